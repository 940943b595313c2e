"""Working through an outage: the server stops while someone works; their edits wait in the
local journal and are saved when it is back — or kept as a conflict copy if someone else saved
the record meanwhile. A server of its own, so the other tests' server stays up."""

import os
import re
import shlex
import subprocess

import psycopg
import pytest
from test_commands import PASTEUP, one_line, wait_for_lock_waits
from test_store import edit_story

from app.cli import main
from app.model.editionfile import read_edition
from app.model.store import SaveConflict
from app.model.store.checkout import Offline
from app.model.store.postgres import PostgresStore
from tools.pgcluster import Cluster


@pytest.fixture(scope="module")
def server():
    with Cluster() as running:
        with PostgresStore(running.url) as store:
            store.init()
        yield running


def test_edits_made_while_the_server_is_down_are_saved_afterwards(server, edition_dir, tmp_path):
    with PostgresStore(server.url) as store, PostgresStore(server.url) as other:
        store.push(read_edition(edition_dir), "outage", "admin")
        checkout = store.open("outage", tmp_path / "w")
        theirs = other.open("outage", tmp_path / "o")
        server.halt()
        try:
            edit_story(checkout.edition, "renda", "断线时一")
            with pytest.raises(Offline, match="journal"):
                checkout.save("story", "renda", "李编辑")
            edit_story(checkout.edition, "renda", "断线时二")
            with pytest.raises(Offline):
                checkout.save("story", "renda", "李编辑")
            edit_story(checkout.edition, "lead", "断线时")
            with pytest.raises(Offline):
                checkout.save("story", "lead", "李编辑")
            assert checkout.pending() == [("story", "lead"), ("story", "renda")]
            with pytest.raises(Offline):
                checkout.sync()  # still down: the journal stays
        finally:
            server.start()
        edit_story(theirs.edition, "lead", "别人先存")  # someone saved the lead meanwhile
        assert theirs.save("story", "lead", "王编辑") == 2
        results = checkout.sync()
        assert results[("story", "renda")] == 2
        assert isinstance(results[("story", "lead")], SaveConflict)
        assert checkout.pending() == []
        text = store.version("outage", "story", "renda", 2)["paragraphs"][-1]["text"]
        assert text.endswith("断线时一断线时二")
        copy = int(results[("story", "lead")].copy.lstrip("#"))
        kept = store.conn.execute(
            "SELECT body FROM pasteup_conflict WHERE id = %s", (copy,)
        ).fetchone()[0]
        assert kept["paragraphs"][-1]["text"].endswith("断线时")


def test_a_command_cut_off_by_an_outage_is_saved_by_the_command_it_names(server, edition_dir):
    """Two commands wait at their compare-and-swap when the server stops: each ends with one
    line naming `pasteup edition sync`; once the server is back, that command saves the stage
    nobody touched meanwhile and keeps the other, changed meanwhile, as a conflict copy."""
    with PostgresStore(server.url) as store:
        store.push(read_edition(edition_dir), "cut", "admin")
    held = psycopg.connect(server.url)
    held.execute(  # the commands wait where they compare: the outage comes mid-save
        "SELECT 1 FROM pasteup_record WHERE edition = 'cut' AND kind = 'status' FOR UPDATE"
    )
    env = {**os.environ, "PASTEUP_USER": "王美编"}
    commands = [
        subprocess.Popen([*PASTEUP, "edition", "status", "cut", page, "--set", "一校", "--store",
                          server.url], stderr=subprocess.PIPE, text=True, env=env)
        for page in ("2", "3")
    ]  # fmt: skip
    try:
        wait_for_lock_waits(held, commands)
        server.halt()
        errors = [command.communicate(timeout=60)[1] for command in commands]
    finally:
        held.close()
        server.start()
    named = set()
    for command, err in zip(commands, errors, strict=True):
        done = subprocess.CompletedProcess(command.args, command.returncode, "", err)
        assert done.returncode == 1 and "服务器不可用" in one_line(done), err
        named.add(re.search(r"`(pasteup edition sync [^`]+)`", err)[1])
    (sync,) = named

    assert main(["edition", "status", "cut", "3", "--set", "二校", "--store", server.url,
                 "--by", "赵校对"]) == 0  # fmt: skip
    argv = shlex.split(sync)
    done = subprocess.run([*PASTEUP, *argv[1:]], capture_output=True, text=True, env=env)
    assert done.returncode == 1, done.stderr
    assert "status:p2: 已保存为第 2 版" in done.stdout
    assert "赵校对" in done.stdout and "冲突副本" in done.stdout
    with PostgresStore(server.url) as store:
        last = store.history("cut", "status", "p2")[-1]
        assert (last.version, last.by, last.summary) == (2, "王美编", "一校")
        assert [(c.kind, c.key, c.by) for c in store.conflicts("cut")] == [
            ("status", "p3", "王美编")
        ]
    done = subprocess.run([*PASTEUP, *argv[1:]], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "本地日志为空" in done.stdout, done.stderr
