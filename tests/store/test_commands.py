"""The edition and proofing commands on a database edition (`--store URL`), run as `pasteup`
processes against the real server: each save signed by who ran it, under the locks a person
would hold, the roles enforced by the database, a lost race one line with the changes kept."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pymupdf
import pytest
from test_roles import login
from test_store import edit_story, move_block

from app.cli import main
from app.commands.work import edition_work
from app.model.editionfile import read_edition
from app.model.store import SaveConflict
from app.model.store.live import LockHeld, holders, take
from app.model.store.postgres import PostgresStore

NAME = "0109"
PASTEUP = [str(Path(sys.executable).with_name("pasteup"))]  # the installed program


def pasteup(*argv, user: str = "") -> subprocess.CompletedProcess:
    """A real `pasteup` process (the user's name from $PASTEUP_USER, as on a workstation)."""
    env = {**os.environ, "PASTEUP_USER": user}
    return subprocess.run(
        [*PASTEUP, *map(str, argv)], capture_output=True, text=True, env=env, timeout=120
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    """The refusal: exactly one line on stderr, Chinese first, no traceback."""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("pasteup: ")
    return done.stderr


def history(url: str, record: str) -> list[dict]:
    kind, _, key = record.partition(":")
    with PostgresStore(url) as store:
        return [
            {"version": v.version, "by": v.by, "summary": v.summary}
            for v in store.history(NAME, kind, key)
        ]


@pytest.fixture
def urls(cluster, db, edition_dir):
    """The sample edition in a new database, and a login of each role."""
    with PostgresStore(db) as admin:
        admin.push(read_edition(edition_dir), NAME, "admin")
    roles = ("layout", "text", "proof", "chief")
    return {"admin": db} | {r: login(cluster, db, f"t_{r}", f"pasteup_{r}") for r in roles}


def marked(pdf, story, author: str) -> bytes:
    """The proof with a strikeout on three characters of the story's body text, as a viewer
    writes it."""
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        for paragraph in story["paragraphs"][2:]:
            text = paragraph["text"]
            hits = [page.search_for(text[i : i + 3], quads=True) for i in range(10, len(text) - 3)]
            quads = next((h for h in hits if len(h) == 1), None)
            if quads:
                break
        mark = page.add_strikeout_annot(quads)
        mark.set_info(title=author)
        mark.update()
        return doc.tobytes()


def test_a_night_on_the_database_edition(urls, edition_dir, tmp_path):
    """Proofs, marks, a correction, sign-off and delivery, each by its role, on the database."""
    done = pasteup("edition", "export", NAME, "--store", urls["layout"], "--pages", "3",
                   "-o", tmp_path / "proofs", "--proof", user="王美编")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert history(urls["admin"], "status:p3")[-1] == {
        "version": 2,
        "by": "王美编",
        "summary": "一校",
    }
    assert history(urls["admin"], "proof:p3")[-1]["by"] == "王美编"
    pdf = next((tmp_path / "proofs").glob("*.pdf"))
    renda = json.loads((edition_dir / "stories" / "renda.json").read_text("utf-8"))
    (tmp_path / "marked.pdf").write_bytes(marked(pdf, renda, "张校对"))

    # the proofreader files the marks: only the page's proof record changes
    done = pasteup("proof", "import", f"{NAME}/p3", tmp_path / "marked.pdf", "--json",
                   "--store", urls["proof"], user="张校对")  # fmt: skip
    assert done.returncode == 0, done.stderr
    mark = json.loads(done.stdout)[0]["id"]
    assert [v["by"] for v in history(urls["admin"], "proof:p3")] == ["admin", "王美编", "张校对"]
    assert len(history(urls["admin"], "page:p3")) == 1

    # the text editor applies the mark to the story, under the story's lock
    done = pasteup("proof", "accept", f"{NAME}/p3", mark, "--reviewed", "--store", urls["text"],
                   user="李编辑")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert history(urls["admin"], "story:renda")[-1]["by"] == "李编辑"
    assert history(urls["admin"], "proof:p3")[-1]["by"] == "李编辑"

    # a second proof of the corrected page; the proofreader may not sign it off: the database
    # refuses, one line, exit 2
    done = pasteup("edition", "export", NAME, "--store", urls["layout"], "--pages", "3",
                   "-o", tmp_path / "proofs2", "--proof", user="王美编")  # fmt: skip
    assert done.returncode == 0, done.stderr
    for argv in (["edition", "signoff", NAME, "3"], ["proof", "signoff", f"{NAME}/p3"]):
        done = pasteup(*argv, "--store", urls["proof"], user="张校对")
        assert done.returncode == 2 and "只有值班总编可以签版" in one_line(done), done.stderr

    # the chief editor may
    done = pasteup("edition", "signoff", NAME, "3", "--store", urls["chief"], user="周总编")
    assert done.returncode == 0, done.stderr
    done = pasteup("edition", "status", NAME, "--json", "--store", urls["proof"])
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)[2]
    assert (row["stage"], row["by"]) == ("签版", "周总编")

    # delivery to the plant: the signed page printed, its stage 已付印
    code = main(["edition", "export", NAME, "--store", urls["layout"], "--pages", "3",
                 "-o", str(tmp_path / "plate"), "--force", "--by", "传版"])  # fmt: skip
    assert code == 0
    assert history(urls["admin"], "status:p3")[-1]["summary"] == "已付印"


def test_a_lost_race_is_one_line_and_keeps_the_changes(urls):
    """The command read version 1 of the page's stages; another save lands before its own."""
    with psycopg.connect(urls["admin"]) as conn, PostgresStore(urls["admin"]) as rival:
        with conn.transaction():  # hold the record, so the command waits where it compares
            conn.execute(
                "SELECT 1 FROM pasteup_record WHERE kind = 'status' AND key = 'p2' FOR UPDATE"
            )
            command = [*PASTEUP, "edition", "status", NAME, "2", "--set", "一校", "--store",
                       urls["layout"]]  # fmt: skip
            env = {**os.environ, "PASTEUP_USER": "王美编"}
            process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
            wait_for_lock_waits(conn, [process])
            body = [{"stage": "一校", "by": "赵校对", "at": "2026-01-09T21:00:00"}]
            conn.execute(
                "UPDATE pasteup_record SET version = 2, body = %s::json "
                "WHERE kind = 'status' AND key = 'p2'",
                (json.dumps(body),),
            )
            conn.execute(
                "INSERT INTO pasteup_version (edition, kind, key, version, body, saved_by) "
                "VALUES (%s, 'status', 'p2', 2, %s::json, '赵校对')",
                (NAME, json.dumps(body)),
            )
        _, err = process.communicate(timeout=60)
        assert process.returncode == 1
        assert "赵校对" in err and "冲突副本" in err and err.count("\n") == 1, err
        copies = rival.conflicts(NAME)
        assert [(c[1], c[2], c[3], c[4]) for c in copies] == [("status", "p2", 1, "王美编")]
    assert history(urls["admin"], "status:p2")[-1]["by"] == "赵校对"  # nothing overwritten


def wait_for_lock_waits(conn, processes, limit: float = 60) -> None:
    """Until as many other backends as `processes` wait on a row lock (the commands'
    compare-and-swaps)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        with psycopg.connect(conn.info.dsn, autocommit=True) as watcher:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()[0]
        if waiting >= len(processes):
            return
        for process in processes:
            assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the commands never reached their save")


def test_page_and_story_locks(urls, tmp_path, capsys):
    """A layout staffer holding the page does not stop a text editor correcting its story, nor
    the other way round; the story's holder stops a second text editor. `edition locks` lists
    both."""
    with PostgresStore(urls["layout"]) as layout, PostgresStore(urls["text"]) as text:
        take(layout, NAME, "page", "p1", "王美编", host="ws-1")
        story = tmp_path / "lead.txt"
        story.write_text("新导语一段。\n\n第二段。\n", "utf-8")
        done = pasteup("place", f"{NAME}/p1", story, "--block", "lead", "--store", urls["text"],
                       user="李编辑")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert history(urls["admin"], "story:lead")[-1]["by"] == "李编辑"
        assert len(history(urls["admin"], "page:p1")) == 1

        held = take(text, NAME, "story", "xiyun", "李编辑", host="ws-2")
        checkout = layout.open(NAME, tmp_path / "w")
        checkout.lock("page", "p1", "王美编", takeover=True)  # their own page, a new session
        move_block(checkout.edition, "p1", "xiyun", 2)
        assert checkout.commit("王美编") == {("page", "p1"): 2}  # the story lock is no obstacle
        with PostgresStore(urls["chief"]) as chief:
            other = chief.open(NAME, tmp_path / "c")
            edit_story(other.edition, "xiyun", "改")
            with pytest.raises(SaveConflict, match="李编辑"):
                other.commit("周总编")

        code = main(["edition", "locks", urls["admin"], NAME, "--json"])
        rows = json.loads(capsys.readouterr().out)
        assert code == 0
        assert {(r["record"], r["holder"]) for r in rows} == {
            ("page:p1", "王美编"),
            ("story:xiyun", "李编辑"),
        }

        # a second text editor's correction of the held story is refused before any change
        done = pasteup("place", f"{NAME}/p1", story, "--block", "xiyun", "--store",
                       urls["text"], user="孙编辑")  # fmt: skip
        assert done.returncode == 1 and "李编辑（ws-2）" in one_line(done)
        assert history(urls["admin"], "story:xiyun")[-1]["version"] == 1
        assert held.holder == "李编辑"


def test_read_only_commands_and_bad_targets(urls, tmp_path, capsys):
    code = main(["edition", "info", NAME, "--json", "--store", urls["proof"]])
    assert code == 0 and len(json.loads(capsys.readouterr().out)["pages"]) == 4
    code = main(["preflight", f"{NAME}/p3", "--store", urls["proof"], "--json"])
    assert code in (0, 1) and isinstance(json.loads(capsys.readouterr().out), list)
    code = main(
        ["fit", f"{NAME}/stories/renda", "--width", "11字", "--json", "--store", urls["text"]]
    )
    assert code == 0 and json.loads(capsys.readouterr().out)["lines"] > 10
    code = main(["epaper", f"{NAME}/p3", "-o", str(tmp_path / "e"), "--dpi", "36", "--store",
                 urls["proof"]])  # fmt: skip
    assert code == 0 and (tmp_path / "e" / "index.html").is_file()
    capsys.readouterr()
    for argv, problem in (
        (["edition", "status", "nosuch", "--store", urls["proof"]], "no such edition"),
        (
            ["fit", f"{NAME}/stories/nosuch", "--width", "11", "--store", urls["text"]],
            "no such story",
        ),
        (["proof", "status", "p3", "--store", urls["proof"]], "EDITION/PAGE"),
        (["proof", "status", f"{NAME}/p9", "--store", urls["proof"]], "no such page"),
        (["edition", "status", NAME, "--store", "postgresql://nobody@127.0.0.1:1/x"], "cannot"),
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert problem in err and err.count("\n") == 1, err


def test_a_conflict_copy_reapplied_on_the_version_that_beat_it(urls, tmp_path):
    """A block moved by each of two layout staff from version 1: the second save is refused
    and kept; `edition conflicts --apply` puts it on top of the first when it touches another
    block, and refuses (nothing saved, one line) when both moved the same block."""
    with PostgresStore(urls["layout"]) as one, PostgresStore(urls["chief"]) as two:
        first, second, third = (s.open(NAME, tmp_path / n) for s, n in
                                ((one, "a"), (two, "b"), (two, "c")))  # fmt: skip
        move_block(first.edition, "p1", "xiyun", 1)
        first.commit("王美编")
        move_block(second.edition, "p1", "renda", 2)
        move_block(third.edition, "p1", "xiyun", 3)
        refused = []
        for checkout in (second, third):
            with pytest.raises(SaveConflict) as conflict:
                checkout.commit("周总编")
            refused.append(int(conflict.value.copy.lstrip("#")))

    done = pasteup("edition", "conflicts", urls["layout"], NAME, "--apply", refused[0],
                   user="王美编")  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = read_edition_from(urls["admin"], tmp_path / "pulled")
    document = page.page("p1").document
    frames = {b: document.block(b).frames[0].line for b in ("xiyun", "renda")}
    assert (frames["xiyun"], frames["renda"]) == (22, 43)  # both moves
    assert history(urls["admin"], "page:p1")[-1] == {
        "version": 3,
        "by": "王美编",
        "summary": "文框 (blocks) ~renda",
    }

    done = pasteup("edition", "conflicts", urls["layout"], NAME, "--apply", refused[1])
    assert done.returncode == 1 and "xiyun" in one_line(done)
    assert len(history(urls["admin"], "page:p1")) == 3

    done = pasteup("edition", "conflicts", urls["layout"], NAME, "--json")
    rows = json.loads(done.stdout)
    assert [(r["copy"], r["applied"]) for r in rows] == [(refused[0], 3), (refused[1], None)]


def read_edition_from(url: str, folder):
    with PostgresStore(url) as store:
        return store.pull(NAME, folder)


def test_the_plan_is_changed_by_layout_staff_not_proofreaders(urls, capsys):
    code = main(["edition", "move", NAME, "4", "--to", "2", "--store", urls["proof"]])
    err = capsys.readouterr().err
    assert code == 2 and "您的角色不能修改此记录" in err and err.count("\n") == 1
    assert len(history(urls["admin"], "plan")) == 1
    code = main(
        ["edition", "move", NAME, "4", "--to", "2", "--store", urls["layout"], "--by", "王"]
    )
    assert code == 0 and "第2版" in capsys.readouterr().out
    assert history(urls["admin"], "plan")[-1]["by"] == "王"
    code = main(["edition", "info", NAME, "--json", "--store", urls["proof"]])
    assert [p["id"] for p in json.loads(capsys.readouterr().out)["pages"]][:2] == ["p1", "p4"]


def test_a_command_longer_than_its_locks_lease_keeps_them(urls):
    """A command working for three leases still holds its lock (renewed on the renewer's own
    connection), saves under it, and lets it go; the renewer stops when the command ends, and
    when it fails."""
    lease = timedelta(seconds=1)
    with edition_work(NAME, urls["layout"], "王美编", lease=lease) as work:
        work.lock("plan")
        renewer = work.renewer
        time.sleep(3 * lease.total_seconds())  # the command at work
        with PostgresStore(urls["chief"]) as chief, pytest.raises(LockHeld, match="王美编"):
            take(chief, NAME, "plan", "", "周总编")
        work.edition.move("4", 2)
        work.save()
    assert renewer is not None and not renewer.running and not renewer.lost
    assert history(urls["admin"], "plan")[-1]["by"] == "王美编"
    with PostgresStore(urls["admin"]) as admin:
        assert holders(admin, NAME) == []

    with pytest.raises(RuntimeError), edition_work(NAME, urls["layout"], lease=lease) as work:
        work.lock("page", "p1")
        raise RuntimeError("the command failed")
    assert not work.renewer.running
    with PostgresStore(urls["admin"]) as admin:
        assert holders(admin, NAME) == []
