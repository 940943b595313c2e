"""Locks with leases, read-only opening naming the holder, and the LISTEN/NOTIFY change feed."""

import json
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from test_store import edit_story, move_block

from app.cli import main
from app.model.editionfile import read_edition
from app.model.store import SaveConflict
from app.model.store.live import Feed, LockHeld, LockLost, events, holders, release, renew, take
from app.model.store.postgres import PostgresStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(db, edition_dir):
    with PostgresStore(db) as admin:
        admin.push(read_edition(edition_dir), "0109", "admin")
        yield admin


def test_a_locked_page_opens_read_only_naming_its_holder(db, store, tmp_path, capsys):
    with PostgresStore(db) as other:
        mine = store.open("0109", tmp_path / "a")
        theirs = other.open("0109", tmp_path / "b")
        mine.lock("page", "p1", "王美编")
        with pytest.raises(LockHeld) as held:
            theirs.lock("page", "p1", "李美编")
        assert "王美编" in str(held.value) and held.value.lock.host
        move_block(theirs.edition, "p1", "xiyun", 1)
        with pytest.raises(SaveConflict) as refused:  # a save without the lock is kept aside
            theirs.save("page", "p1", "李美编")
        assert "王美编" in str(refused.value)
        move_block(mine.edition, "p1", "xiyun", 2)
        assert mine.save("page", "p1", "王美编") == 2
        # The page's lock does not hold its stories: a text editor saves meanwhile.
        edit_story(theirs.edition, "xiyun", "改")
        assert theirs.save("story", "xiyun", "李编辑") == 2
        assert [(lock.key, lock.holder) for lock in holders(other, "0109")] == [("p1", "王美编")]
    code = main(["edition", "locks", db, "0109", "--json"])
    assert code == 0
    assert [row["holder"] for row in json.loads(capsys.readouterr().out)] == ["王美编"]
    assert main(["edition", "conflicts", db, "0109", "--json"]) == 0
    assert [row["by"] for row in json.loads(capsys.readouterr().out)] == ["李美编"]
    assert main(["edition", "board", db, "0109", "--json"]) == 0
    board = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["holder"]) for r in board] == [
        ("1", "王美编"),
        ("2", ""),
        ("3", ""),
        ("4", ""),
    ]
    assert {r["stage"] for r in board} <= {"排版中", "一校", "二校", "三校", "签版", "已付印"}


def test_a_lease_not_renewed_expires_and_a_takeover_is_recorded(store):
    first = take(store, "0109", "story", "renda", "甲", host="pc-1", lease=timedelta(seconds=0.4))
    assert renew(store, first).expires > first.expires
    with pytest.raises(LockHeld):
        take(store, "0109", "story", "renda", "乙", host="pc-2")
    time.sleep(0.6)
    second = take(store, "0109", "story", "renda", "乙", host="pc-2")
    with pytest.raises(LockLost):
        renew(store, first)
    third = take(store, "0109", "story", "renda", "总编", host="pc-3", takeover=True)
    release(store, third)
    release(store, second)  # no longer second's: nothing happens
    assert holders(store, "0109") == []
    assert [(e[2], e[3], e[5]) for e in events(store, "0109")] == [
        ("take", "甲", None),
        ("expired", "乙", "甲"),
        ("takeover", "总编", "乙"),
        ("release", "总编", None),
    ]


HOLDER = """
import sys, time
from datetime import timedelta
from app.model.store.live import renew, take
from app.model.store.postgres import PostgresStore

store = PostgresStore(sys.argv[1])
lock = take(store, "0109", "page", "p1", "王美编", lease=timedelta(seconds=1))
print("held", flush=True)
while True:
    time.sleep(0.2)
    lock = renew(store, lock)
"""


def test_a_killed_editor_frees_its_lock_after_the_lease(db, store):
    editor = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert editor.stdout.readline().strip() == "held"
        time.sleep(1.2)  # longer than the lease: renewals keep it
        with pytest.raises(LockHeld):
            take(store, "0109", "page", "p1", "李美编")
    finally:
        editor.send_signal(signal.SIGKILL)
        editor.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            lock = take(store, "0109", "page", "p1", "李美编")
            break
        except LockHeld:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    assert lock.holder == "李美编"
    assert events(store, "0109")[-1][2:6] == ("expired", "李美编", lock.host, "王美编")


def test_another_client_hears_saves_and_locks(db, store, tmp_path):
    feed = Feed(db, "0109")
    try:
        checkout = store.open("0109", tmp_path / "a")
        edit_story(checkout.edition, "renda", "新")
        checkout.save("story", "renda", "李编辑")
        heard = feed.wait(timeout=5, stop_after=1)
        assert heard == [
            {"what": "save", "edition": "0109", "kind": "story", "key": "renda", "version": 2,
             "by": "李编辑"}
        ]  # fmt: skip
        lock = checkout.lock("page", "p3", "王美编")
        release(store, lock)
        heard = feed.wait(timeout=5, stop_after=2)
        assert [(c["what"], c["key"], c["by"]) for c in heard] == [
            ("lock", "p3", "王美编"),
            ("unlock", "p3", "王美编"),
        ]
    finally:
        feed.close()


def test_an_open_edition_follows_what_others_save(db, store, tmp_path):
    from test_store import composed

    from app.model.edition import StatusChange

    feed = Feed(db, "0109")
    try:
        with PostgresStore(db) as other:
            mine = store.open("0109", tmp_path / "a")
            theirs = other.open("0109", tmp_path / "b")
            heard_blocks = []
            theirs.edition.page("p1").document.subscribe(lambda kind, ids: heard_blocks.append(ids))
            edit_story(mine.edition, "renda", "（新）")
            move_block(mine.edition, "p1", "xiyun", 2)
            mine.edition.page("p3").history.append(StatusChange("一校", "校对", "t"))
            saved = mine.save_page("p1", "王美编")
            mine.save("status", "p3", "校对")
            changes = feed.wait(timeout=5, stop_after=len(saved) + 1)
            touched = set().union(*(theirs.follow(change) for change in changes))
            assert {"p1", "p3", "p4"} <= touched  # renda jumps from 第1版 to 第3、4版
            assert ("xiyun",) in heard_blocks
            assert theirs.edition.page("p3").stage == "一校" and not theirs.stale
            assert composed(theirs.edition) == composed(mine.edition)
            assert all(theirs.follow(change) == set() for change in changes)  # seen once
    finally:
        feed.close()
