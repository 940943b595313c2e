"""Roles enforced by the database: a proofreader's connection changes no layout and signs no
page off, whoever's program sends the SQL; a chief editor signs off."""

import psycopg
import pytest
from test_store import edit_story, move_block

from app.model.edition import StatusChange
from app.model.editionfile import read_edition
from app.model.store.postgres import NotAllowed, PostgresStore


def login(cluster, db: str, name: str, role: str) -> str:
    """A login role of `role` on the test server (roles are the cluster's), its URL for `db`."""
    cluster.psql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {name} LOGIN IN ROLE {role}; END IF; END $$"
    )
    return db.replace("pasteup@", f"{name}@")


@pytest.fixture
def urls(cluster, db, edition_dir):
    with PostgresStore(db) as admin:
        admin.push(read_edition(edition_dir), "0109", "admin")
    return {
        role: login(cluster, db, f"t_{role}", f"pasteup_{role}")
        for role in ("layout", "text", "proof", "chief")
    }


def sign(edition, page_id: str, stage: str, by: str) -> None:
    edition.page(page_id).history.append(StatusChange(stage, by, "2026-01-09T22:00:00"))


def test_a_proofreader_cannot_change_a_block_or_sign_off(urls, tmp_path):
    with PostgresStore(urls["proof"]) as proof:
        checkout = proof.open("0109", tmp_path / "w")
        move_block(checkout.edition, "p1", "xiyun", 3)
        with pytest.raises(NotAllowed):
            checkout.save("page", "p1", "校对")
        sign(checkout.edition, "p1", "一校", "校对")
        assert (
            checkout.save("status", "p1", "校对") == 2
        )  # moving a page to a proof round is theirs
        sign(checkout.edition, "p1", "签版", "校对")
        with pytest.raises(NotAllowed, match="chief editor"):
            checkout.save("status", "p1", "校对")
        # The database itself refuses, not only Pasteup: plain SQL on the proofreader's connection.
        conn = proof.conn
        changed = conn.execute(
            "UPDATE pasteup_record SET body = '{}' WHERE kind = 'page' AND key = 'p1'"
        ).rowcount
        conn.commit()
        assert changed == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO pasteup_version (edition, kind, key, version, body, saved_by) "
                "VALUES ('0109', 'page', 'p1', 99, '{}', '校对')"
            )
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "UPDATE pasteup_record SET body = json_build_array(json_build_object("
                "'stage', '签版', 'by', '校对', 'at', '')) WHERE kind = 'status' AND key = 'p1'"
            )
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO pasteup_version (edition, kind, key, version, body, saved_by) "
                "VALUES ('0109', 'status', 'p1', 99, json_build_array(json_build_object("
                "'stage', '签版', 'by', '校对', 'at', '')), '校对')"
            )
        conn.rollback()
    with PostgresStore(urls["chief"]) as chief:
        assert chief.records("0109")[("page", "p1")][0] == 1
        checkout = chief.open("0109", tmp_path / "c")
        sign(checkout.edition, "p1", "签版", "总编")
        assert checkout.save("status", "p1", "总编") == 3


def test_text_editors_change_stories_and_layout_staff_pages(urls, tmp_path):
    with PostgresStore(urls["text"]) as text, PostgresStore(urls["layout"]) as layout:
        a = text.open("0109", tmp_path / "a")
        edit_story(a.edition, "renda", "改")
        assert a.save("story", "renda", "编辑") == 2
        move_block(a.edition, "p1", "xiyun", 1)
        with pytest.raises(NotAllowed):
            a.save("page", "p1", "编辑")
        b = layout.open("0109", tmp_path / "b")
        move_block(b.edition, "p1", "xiyun", 1)
        assert b.save("page", "p1", "美编") == 2
        edit_story(b.edition, "lead", "改")
        with pytest.raises(NotAllowed):
            b.save("story", "lead", "美编")
