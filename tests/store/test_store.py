"""The team store on a real PostgreSQL server: push/pull, records, versions, conflicts."""

import dataclasses
import json
import shutil

import psycopg
import pytest

from app.cli import main
from app.commands.compose import layout_json
from app.compose.edition import EditionComposer
from app.model.editionfile import read_edition
from app.model.store import SaveConflict, open_store
from app.model.store.postgres import PostgresStore
from app.model.story import Paragraph


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def composed(edition) -> list:
    """Every page's `compose --json`, less the page file's path (the folders differ)."""
    layouts = EditionComposer().compose(edition)
    pages = []
    for page_id, layout in zip(layouts.ids, layouts.pages, strict=True):
        data = layout_json(edition.page(page_id).document, layout)
        pages.append({k: v for k, v in data.items() if k != "page"})
    return pages


def files(folder) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".bak" and p.name != "README.md"
    }


def edit_story(edition, story_id: str, text: str) -> None:
    story = edition.stories[story_id]
    first = story.paragraphs[-1]
    paragraphs = (*story.paragraphs[:-1], Paragraph(first.role, first.text + text))
    edition.stories[story_id] = dataclasses.replace(story, paragraphs=paragraphs)


def move_block(edition, page_id: str, block_id: str, lines: int) -> None:
    document = edition.page(page_id).document
    i = next(i for i, b in enumerate(document.blocks) if b.id == block_id)
    block = document.blocks[i]
    frames = tuple(dataclasses.replace(f, line=f.line + lines) for f in block.frames)
    document.blocks[i] = dataclasses.replace(block, frames=frames)


def test_push_then_pull_gives_back_the_same_edition(db, edition_dir, tmp_path, capsys):
    code, out, err = run(capsys, "edition", "push", edition_dir, db, "--as", "0109", "--json")
    assert code == 0, err
    pushed = json.loads(out)
    assert pushed["new"] > 0 and pushed["pictures"] >= 2
    code, _, err = run(capsys, "edition", "pull", db, "0109", tmp_path / "back")
    assert code == 0, err
    assert files(tmp_path / "back") == files(edition_dir)
    assert composed(read_edition(tmp_path / "back")) == composed(read_edition(edition_dir))
    # A second push of the unchanged folder makes no version.
    code, out, _ = run(capsys, "edition", "push", edition_dir, db, "--as", "0109", "--json")
    assert json.loads(out)["new"] == json.loads(out)["changed"] == 0


def test_an_edition_opened_from_the_database_composes_as_from_its_folder(db, edition_dir, tmp_path):
    with PostgresStore(db) as store:
        store.push(read_edition(edition_dir), "0109", "王美编")
        checkout = store.open("0109", tmp_path / "work")
        assert composed(checkout.edition) == composed(read_edition(edition_dir))


def test_a_text_edit_and_a_block_move_on_one_page_both_land(db, edition_dir, tmp_path):
    with PostgresStore(db) as admin:
        admin.push(read_edition(edition_dir), "0109", "admin")
    with PostgresStore(db) as layout, PostgresStore(db) as text:
        a = layout.open("0109", tmp_path / "a")
        b = text.open("0109", tmp_path / "b")
        move_block(a.edition, "p1", "xiyun", 2)
        edit_story(b.edition, "xiyun", "（编辑改）")
        assert b.save_all("李编辑") == {("story", "xiyun"): 2}
        assert a.save_page("p1", "王美编") == {("page", "p1"): 2}
        again = layout.open("0109", tmp_path / "c").edition
    assert again.stories["xiyun"].paragraphs[-1].text.endswith("（编辑改）")
    block = next(b for b in again.page("p1").document.blocks if b.id == "xiyun")
    before = next(
        b for b in read_edition(edition_dir).page("p1").document.blocks if b.id == "xiyun"
    )
    assert block.frames[0].line == before.frames[0].line + 2


def test_a_racing_save_is_refused_and_its_changes_kept(db, edition_dir, tmp_path, capsys):
    with PostgresStore(db) as one, PostgresStore(db) as two:
        one.push(read_edition(edition_dir), "0109", "admin")
        a = one.open("0109", tmp_path / "a")
        b = two.open("0109", tmp_path / "b")
        edit_story(a.edition, "renda", "甲")
        edit_story(b.edition, "renda", "乙")
        assert a.save("story", "renda", "甲编辑") == 2
        with pytest.raises(SaveConflict) as refused:
            b.save("story", "renda", "乙编辑")
        assert "甲编辑" in str(refused.value) and "conflict copy" in str(refused.value)
        kept = two.conn.execute(
            "SELECT body, saved_by FROM pasteup_conflict WHERE id = %s",
            (int(refused.value.copy.lstrip("#")),),
        ).fetchone()
        assert kept[1] == "乙编辑" and kept[0]["paragraphs"][-1]["text"].endswith("乙")
        assert two.history("0109", "story", "renda")[-1].by == "甲编辑"
    code, out, _ = run(capsys, "edition", "history", db, "0109", "story:renda", "--json")
    assert [v["version"] for v in json.loads(out)] == [1, 2]
    # Restoring version 1 is a new version 3 with version 1's text; nothing is lost.
    code, out, err = run(
        capsys, "edition", "restore", db, "0109", "story:renda", "1", "--by", "总编"
    )
    assert code == 0, err
    with PostgresStore(db) as store:
        assert store.version("0109", "story", "renda", 3) == store.version(
            "0109", "story", "renda", 1
        )
        assert [v.version for v in store.history("0109", "story", "renda")] == [1, 2, 3]


def test_the_folder_store_refuses_to_overwrite_a_changed_file(edition_dir):
    store = open_store(edition_dir.parent)
    assert store.editions() == ["edition"]
    a = store.open("edition")
    b = store.open("edition")
    edit_story(a.edition, "renda", "甲")
    edit_story(b.edition, "renda", "乙")
    assert a.save_page("p1", "甲") != {}
    with pytest.raises(SaveConflict) as refused:
        b.save_page("p1", "乙")
    copy = edition_dir / "stories" / refused.value.copy.rsplit("/", 1)[-1]
    assert "乙" in json.loads(copy.read_text())["paragraphs"][-1]["text"]
    assert read_edition(edition_dir).stories["renda"].paragraphs[-1].text.endswith("甲")
    edit_story(a.edition, "lead", "甲")
    a.edition.move("p4", 1)
    assert set(a.save_all("甲")) == {("plan", ""), ("story", "lead")}
    assert read_edition(edition_dir).pages[0].id == "p4"


def test_db_init_migrates_once(cluster, db, capsys):
    code, out, _ = run(capsys, "db", "init", db)
    assert code == 0 and "up to date" in out
    with psycopg.connect(db) as conn:
        rows = conn.execute("SELECT version FROM pasteup_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))


def test_bad_urls_and_names_are_one_line(cluster, db, tmp_path, capsys):
    port = cluster.port
    code, _, err = run(capsys, "db", "init", f"postgresql://nobody:secret@127.0.0.1:{port}/none")
    assert code == 2 and err.count("\n") == 1 and "secret" not in err and "cannot connect" in err
    code, _, err = run(capsys, "edition", "pull", db, "nothing", tmp_path / "x")
    assert code == 2 and "no such edition" in err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    code, _, err = run(capsys, "edition", "pull", db, "nothing", tmp_path / "full")
    assert (
        code == 2 and "not empty" in err and (tmp_path / "full" / "keep.txt").read_text() == "mine"
    )
    code, _, err = run(capsys, "edition", "history", db, "0109", "blocks:x")
    assert code == 2


def test_save_all_writes_what_changed_and_removes_what_went(db, edition_dir, tmp_path):
    with PostgresStore(db) as store:
        store.push(read_edition(edition_dir), "0109", "admin")
        checkout = store.open("0109", tmp_path / "w")
        assert checkout.save_all("王美编") == {}
        edition = checkout.edition
        edition.remove("p2")  # the full-page ad's page: no story jumps there
        saved = checkout.save_all("王美编")
        assert {k for k in saved if k[1] == "p2"} == {
            ("status", "p2"),
            ("page", "p2"),
            ("proof", "p2"),
        }
        assert ("plan", "") in saved
        assert ("page", "p2") not in store.records("0109")
        assert store.history("0109", "page", "p2")[-1].summary == "删除 (removed)"
        again = store.open("0109", tmp_path / "again").edition
        assert [p.id for p in again.pages] == [p.id for p in edition.pages]


def test_a_record_named_to_escape_the_folder_is_refused_on_pull(db, edition_dir, tmp_path, capsys):
    with PostgresStore(db) as store:
        store.push(read_edition(edition_dir), "0109", "admin")
        store.conn.execute(
            "UPDATE pasteup_record SET key = '../../escape' WHERE kind = 'story' AND key = 'lead'"
        )
        store.conn.commit()
    code, _, err = run(capsys, "edition", "pull", db, "0109", tmp_path / "back" / "here")
    assert code == 2 and "outside the edition folder" in err
    assert (
        not (tmp_path / "escape.json").exists() and not (tmp_path / "back" / "escape.json").exists()
    )


def test_a_role_that_cannot_make_the_schema_is_one_line(cluster, capsys):
    cluster.psql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 't_plain') THEN "
        "CREATE ROLE t_plain LOGIN; END IF; END $$"
    )
    cluster.psql("CREATE DATABASE t_plain_db")  # owned by the superuser: t_plain may not create
    url = cluster.url.replace("pasteup@", "t_plain@").rsplit("/", 1)[0] + "/t_plain_db"
    code, _, err = run(capsys, "db", "init", url)
    assert code == 2 and err.count("\n") == 1 and "permission denied" in err
    assert "t_plain@127.0.0.1" in err


def test_a_picture_outside_the_folder_is_refused_on_push(db, edition_dir, capsys):
    page = edition_dir / "p1.json"
    data = json.loads(page.read_text("utf-8"))
    photo = next(b for b in data["blocks"] if b["type"] == "photo")
    shutil.copy(edition_dir / photo["image"], edition_dir.parent / "outside.jpg")
    photo["image"] = "../outside.jpg"
    photo["outside_folder"] = True  # linked by choice: the page validates, the store still refuses
    page.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    code, _, err = run(capsys, "edition", "push", edition_dir, db)
    assert code == 2 and "../outside.jpg" in err and "outside the edition folder" in err
    with PostgresStore(db) as store:
        assert store.editions() == []
