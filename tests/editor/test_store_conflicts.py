"""A refused save in the window (docs/store.md, In the editor): re-applied on the version that
beat it, what could not be merged named; restore as one undoable step; a text editor and a
layout staffer in two processes on one page; another client's plan change followed live."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.editor.edition.store_window import open_from_store  # noqa: E402
from app.editor.edition.store_workspace import StoreWorkspace  # noqa: E402
from app.model import dumps_document  # noqa: E402
from app.model.editionfile import read_edition  # noqa: E402
from app.model.store import SaveConflict  # noqa: E402
from app.model.store.postgres import PostgresStore  # noqa: E402
from app.model.story import Paragraph  # noqa: E402

SAMPLE = ROOT / "assets" / "samples" / "edition"


def _push(url: str, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), name, "admin")


def _block(body: dict, block_id: str) -> dict:
    return next(b for b in body["blocks"] if b["id"] == block_id)


def _move(workspace: StoreWorkspace, block_id: str, columns: int, lines: int = 0) -> None:
    session = workspace.session("p1")
    session.select([block_id])
    from app.editor.commands.actions import EditActions

    EditActions(session).nudge(columns, lines, free=False)


def test_a_lost_race_is_reapplied_on_the_new_version(qtbot, make_editor, url, tmp_path):
    _push(url, tmp_path, "0120")
    window = make_editor(page=None)
    assert open_from_store(window, url, "0120", user="李美编"), window.prompts.errors
    other_store = PostgresStore(url)
    try:
        session = window.session
        session.select(["lead"])
        window.edit.nudge(0, 1, free=False)  # 李美编 moves the lead down a line, unsaved
        mine = _block_json(session, "lead")
        # 王美编 takes the page over, moves another block, saves and lets go.
        other = StoreWorkspace(other_store.open("0120", tmp_path / "other"), "王美编")
        other.take_over()
        _move(other, "renda", -1)
        theirs = _block_json(other.session("p1"), "renda")
        other.save()
        other.close()
        window.prompts.answers["conflict"] = "reapply"
        assert window.action_save(), window.prompts.errors
        assert (
            window.prompts.asked[-1].startswith("conflict: ")
            and "王美编" in window.prompts.asked[-1]
        )
        with PostgresStore(url) as check:
            versions = check.history("0120", "page", "p1")
            body = check.version("0120", "page", "p1", versions[-1].version)
        assert [v.by for v in versions] == ["admin", "王美编", "李美编"]  # the next version
        assert _block(body, "lead") == mine and _block(body, "renda") == theirs  # both landed
        assert window.prompts.reports == [] and not session.modified
        assert _block_json(session, "renda") == theirs  # the window shows the merge

        # The same field both ways: theirs kept, the window names the block and the field;
        # undo of the re-apply brings back what this window had.
        window.edit.nudge(1, 0, free=False)  # the lead, one column right
        mine = _block_json(session, "lead")
        other = StoreWorkspace(other_store.open("0120", tmp_path / "other2"), "王美编")
        other.take_over()
        _move(other, "lead", 0, 2)
        theirs = _block_json(other.session("p1"), "lead")
        other.save()
        other.close()
        assert window.action_save(), window.prompts.errors
        report = window.prompts.reports[-1]
        assert "lead" in report and "frames" in report
        assert _block_json(session, "lead") == theirs
        with PostgresStore(url) as check:  # nothing of this window's was left: no new version
            assert len(check.history("0120", "page", "p1")) == 4
        session.undo()
        assert _block_json(session, "lead") == mine and session.modified
    finally:
        other_store.close()


def test_a_lost_race_kept_as_a_copy_takes_the_new_version(qtbot, make_editor, url, tmp_path):
    _push(url, tmp_path, "0121")
    window = make_editor(page=None)
    assert open_from_store(window, url, "0121", user="李美编"), window.prompts.errors
    other_store = PostgresStore(url)
    try:
        session = window.session
        session.select(["lead"])
        window.edit.nudge(0, 1, free=False)
        other = StoreWorkspace(other_store.open("0121", tmp_path / "other"), "王美编")
        other.take_over()
        _move(other, "renda", -1)
        other.save()
        theirs = dumps_document(other.session("p1").document)
        other.close()
        window.prompts.answers["conflict"] = "cancel"
        assert not window.action_save()  # stopped: the edits stay in the window
        assert "#" in window.prompts.errors[-1] and session.modified
        window.prompts.answers["conflict"] = "copy"
        assert window.action_save(), window.prompts.errors
        assert dumps_document(session.document) == theirs
        with PostgresStore(url) as check:
            assert [v.by for v in check.history("0121", "page", "p1")] == ["admin", "王美编"]
            copies = check.conflicts("0121")
        assert [(c[1], c[2], c[3], c[4]) for c in copies][-1] == ("page", "p1", 1, "李美编")
    finally:
        other_store.close()


def _block_json(session, block_id: str) -> dict:
    import json

    data = json.loads(dumps_document(session.document))
    return _block(data, block_id)


def test_restore_is_one_undoable_step(qtbot, make_editor, url, tmp_path):
    _push(url, tmp_path, "0122")
    window = make_editor(page=None)
    assert open_from_store(window, url, "0122", user="李美编"), window.prompts.errors
    session = window.session
    original = dumps_document(session.document)
    session.select(["renda"])
    window.edit.nudge(-1, 0, free=False)
    assert window.action_save()
    moved = dumps_document(session.document)
    window.prompts.answers["restore"] = 1
    window.actions_by_name["history"].trigger()
    assert window.prompts.errors == []
    assert dumps_document(session.document) == original and not session.modified
    assert window.actions_by_name["undo"].isEnabled()
    window.actions_by_name["undo"].trigger()  # what was there before the restore
    assert dumps_document(session.document) == moved and session.modified
    window.actions_by_name["redo"].trigger()
    assert dumps_document(session.document) == original and not session.modified


EDITOR = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication
from app.editor.commands.actions import EditActions
from app.editor.edition.store_workspace import StoreWorkspace
from app.model.store.postgres import PostgresStore

app = QApplication([])
workspace = StoreWorkspace(PostgresStore(sys.argv[1]).open(sys.argv[2], Path(sys.argv[3])), "王美编")
print("locked" if workspace.lock else "read-only", flush=True)

def command():
    line = sys.stdin.readline().strip()
    if line == "move":
        session = workspace.session("p1")
        session.select(["lead"])
        EditActions(session).nudge(0, 2, free=False)
        workspace.save()
        print("saved", flush=True)
    elif line == "text?":
        print(workspace.edition.stories["renda"].paragraphs[-1].text[-3:], flush=True)
    else:
        app.quit()

notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(command)
app.exec()
"""


def test_a_text_editor_and_a_layout_staffer_in_two_processes_both_land(qtbot, url, tmp_path):
    from app.editor.commands.undo import EditStory

    _push(url, tmp_path, "0123")
    layout = subprocess.Popen(
        [sys.executable, "-c", EDITOR, url, "0123", str(tmp_path / "layout")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    store = PostgresStore(url)
    text = None
    try:
        assert layout.stdout.readline().strip() == "locked"  # 王美编 has the page
        text = StoreWorkspace(store.open("0123", tmp_path / "text"), "李编辑")
        session = text.session("p1")
        assert text.read_only_by == "王美编"  # the layout is theirs ...
        story = session.document.stories["renda"]
        end = len(story.stream)
        session.push(EditStory(session.document, "renda", end, end, "（终）"))  # ... the text ours
        assert session.document.stories["renda"].stream.endswith("（终）")
        text.save()
        with qtbot.waitSignal(text.followed, timeout=2000):
            layout.stdin.write("move\n")
            layout.stdin.flush()
            assert layout.stdout.readline().strip() == "saved"
        layout.stdin.write("text?\n")
        layout.stdin.flush()
        assert layout.stdout.readline().strip() == "（终）"  # the layout side follows the text
        with PostgresStore(url) as check:
            page = check.history("0123", "page", "p1")
            renda = check.history("0123", "story", "renda")
            lead = _block(check.version("0123", "page", "p1", 2), "lead")
        assert [v.by for v in page] == ["admin", "王美编"]
        assert [v.by for v in renda] == ["admin", "李编辑"]
        assert _block_json(session, "lead") == lead  # the text side follows the move
        assert session.document.stories["renda"].stream.endswith("（终）")
    finally:
        if text is not None:
            text.close()
        layout.stdin.write("quit\n")
        layout.stdin.flush()
        layout.wait(10)
        store.close()


def test_another_clients_plan_change_is_followed_live(qtbot, url, tmp_path):
    _push(url, tmp_path, "0124")
    one_store, two_store = PostgresStore(url), PostgresStore(url)
    one = StoreWorkspace(one_store.open("0124", tmp_path / "one"), "甲")
    two = StoreWorkspace(two_store.open("0124", tmp_path / "two"), "乙")
    try:
        story = one.edition.stories["renda"]
        last = story.paragraphs[-1]
        edited = (*story.paragraphs[:-1], Paragraph(last.role, last.text + "（甲）"))
        one.session("p1").document.set_story(dataclasses.replace(story, paragraphs=edited))
        two.move_page("p4", 2)  # 乙 reorders the plan and saves it
        two.save()
        with qtbot.waitSignal(one.plan_changed, timeout=2000):
            pass
        assert [p.id for p in one.edition.pages] == [p.id for p in two.edition.pages]
        assert one.edition.pages[1].id == "p4"
        text = one.edition.stories["renda"].paragraphs[-1].text
        assert text.endswith("（甲）")  # the unsaved story edit is kept, still unsaved
        assert one.modified
        one.save()
        with PostgresStore(url) as check:
            assert [v.by for v in check.history("0124", "story", "renda")] == ["admin", "甲"]

        # The same record changed here too: nothing re-read, the window offers a reload —
        # or saving re-applies this window's change of the plan on theirs.
        one.edition.page("p3").name = "综合新闻"
        one.plan_modified = True
        two.move_page("p2", 4)
        two.save()
        with qtbot.waitSignal(one.stale_conflict, timeout=2000) as clash:
            pass
        assert clash.args[0] == [("plan", "")] and one.edition.pages[1].id == "p4"
        one.ask_conflict = lambda message: "reapply"
        one.save()
        assert [p.id for p in one.edition.pages] == ["p1", "p4", "p3", "p2"]  # theirs
        assert one.edition.page("p3").name == "综合新闻" and not one.modified  # and ours
        qtbot.waitUntil(lambda: two.edition.page("p3").name == "综合新闻", timeout=2000)
        with PostgresStore(url) as check:
            assert [v.by for v in check.history("0124", "plan", "")][-2:] == ["乙", "甲"]

        # Reloading at the window's word drops the clashing edits.
        one.move_page("p3", 1)
        two.move_page("p2", 1)
        two.save()
        with qtbot.waitSignal(one.stale_conflict, timeout=2000):
            pass
        assert one.edition.pages[0].id == "p3"
        assert one.reload(force=True)
        assert [p.id for p in one.edition.pages] == [p.id for p in two.edition.pages]
        assert one.edition.pages[0].id == "p2" and not one.modified
    finally:
        one.close()
        two.close()
        one_store.close()
        two_store.close()


def test_the_window_offers_a_reload_when_the_plan_clashes(qtbot, make_editor, url, tmp_path):
    _push(url, tmp_path, "0125")
    window = make_editor(page=None)
    assert open_from_store(window, url, "0125", user="甲"), window.prompts.errors
    other_store = PostgresStore(url)
    other = StoreWorkspace(other_store.open("0125", tmp_path / "other"), "乙")
    try:
        window.workspace.move_page("p4", 1)  # unsaved here
        first = window.session
        other.move_page("p2", 4)
        other.save()
        window.prompts.answers["reload"] = True
        qtbot.waitUntil(lambda: window.workspace.edition.pages[0].id == "p1", timeout=2000)
        assert window.prompts.asked[-1] == "reload: plan"
        assert [p.id for p in window.workspace.edition.pages] == ["p1", "p3", "p4", "p2"]
        assert window.session is not first and window.session.document.page_id == "p1"
        labels = [window.navigator.item(i).text() for i in range(window.navigator.count())]
        assert [label.split()[0] for label in labels] == [
            p.label for p in window.workspace.edition.pages
        ]
        assert not window.workspace.modified
    finally:
        other.close()
        other_store.close()


def test_another_clients_new_styles_are_re_read_and_recomposed(qtbot, url, tmp_path):
    from app.model.styles import style_to_data

    _push(url, tmp_path, "0126")
    one_store, two_store = PostgresStore(url), PostgresStore(url)
    one = StoreWorkspace(one_store.open("0126", tmp_path / "one"), "甲")
    two = StoreWorkspace(two_store.open("0126", tmp_path / "two"), "乙")
    try:
        two.switch("p3")  # 乙 lays out page 3 and gives its body text a bigger size
        document = two.session("p3").document
        body = document.layout.styles["正文"]
        bigger = style_to_data(dataclasses.replace(body, size=body.size + 1), body)
        document.set_style_overrides({"正文": bigger})
        two.save()
        with qtbot.waitSignal(one.plan_changed, timeout=2000):
            pass  # re-read, since a page's styles are not followed in place
        assert one.page("p3").document.style_overrides == {"正文": bigger}
        assert one.layout("p3").lines == two.layout("p3").lines
        assert one.lock is not None and one.current == "p1" and not one.modified
    finally:
        one.close()
        two.close()
        one_store.close()
        two_store.close()


def test_an_outage_edit_that_lost_a_race_is_re_applied_when_saved(qtbot, tmp_path):
    from app.editor.commands.undo import EditStory
    from app.model.store.checkout import Offline
    from app.model.store.records import record
    from tools.pgcluster import Cluster

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with Cluster() as cluster:
        with PostgresStore(cluster.url) as admin:
            admin.init()
            admin.push(read_edition(folder), "0127", "admin")
        store = PostgresStore(cluster.url)
        workspace = StoreWorkspace(store.open("0127", tmp_path / "w"), "甲")
        workspace._renewal.stop()  # the test says when the next tick comes
        try:
            cluster.halt()
            session = workspace.session("p1")
            story = session.document.stories["renda"]
            first = len(story.paragraphs[0].text)  # the end of the title, in the stream
            session.push(EditStory(session.document, "renda", first, first, "（甲）"))
            with pytest.raises(Offline):
                workspace.save()
            cluster.start()
            with PostgresStore(cluster.url) as other:  # 乙 corrects the last paragraph meanwhile
                body = record(read_edition(folder), "story", "renda")
                body["paragraphs"][-1]["text"] += "（乙）"
                other.save("0127", "story", "renda", body, 1, "乙")
            workspace._renew()  # the first tick finds the line broken and connects again
            with qtbot.waitSignal(workspace.synced) as synced:
                workspace._renew()
            assert isinstance(synced.args[0][("story", "renda")], SaveConflict)
            assert session.modified  # 甲's edit is unsaved again, on the version it started from
            workspace.ask_conflict = lambda message: "reapply"
            workspace.save()
            with PostgresStore(cluster.url) as check:
                versions = check.history("0127", "story", "renda")
                text = check.version("0127", "story", "renda", versions[-1].version)
            assert [v.by for v in versions] == ["admin", "乙", "甲"]
            paragraphs = [p["text"] for p in text["paragraphs"]]
            assert paragraphs[0].endswith("（甲）") and paragraphs[-1].endswith("（乙）")
            assert not session.modified
        finally:
            workspace.close()
            store.close()
