"""Two editors on one edition in one database (the editor's side of docs/store.md): the second
opens the page read-only naming the holder, sees the first's save within a second, and gets the
page when the first lets go."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.editor.edition.store_workspace import StoreWorkspace  # noqa: E402
from app.errors import PasteupError  # noqa: E402
from app.model.editionfile import read_edition  # noqa: E402
from app.model.store import SaveConflict  # noqa: E402
from app.model.store.postgres import PostgresStore  # noqa: E402
from app.model.story import Paragraph  # noqa: E402
from tools.pgcluster import Cluster  # noqa: E402

SAMPLE = ROOT / "assets" / "samples" / "edition"


def test_a_second_editor_is_read_only_and_follows_the_first(qtbot, url, tmp_path):
    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), "0109", "admin")
    one_store, two_store = PostgresStore(url), PostgresStore(url)
    one = StoreWorkspace(one_store.open("0109", tmp_path / "one"), "王美编")
    two = StoreWorkspace(two_store.open("0109", tmp_path / "two"), "李美编")
    try:
        assert one.read_only_by == "" and two.read_only_by == "王美编"
        session = one.session("p1")
        story = one.edition.stories["renda"]
        last = story.paragraphs[-1]
        edited = (*story.paragraphs[:-1], Paragraph(last.role, last.text + "（终）"))
        session.document.set_story(dataclasses.replace(story, paragraphs=edited))
        one.save()
        with qtbot.waitSignal(two.followed, timeout=1000) as heard:
            pass
        assert "p1" in heard.args[0]
        assert two.edition.stories["renda"].paragraphs[-1].text.endswith("（终）")
        assert two.layout("p1").lines == one.layout("p1").lines
        with qtbot.waitSignal(two.holder_changed, timeout=1000) as holder:
            one.close()
        assert holder.args == [""] and two.read_only_by == "" and two.lock is not None
    finally:
        two.close()
        one_store.close()
        two_store.close()


def test_the_window_opens_a_database_edition_read_only_naming_the_holder(
    qtbot, make_editor, url, tmp_path
):
    from app.editor.edition.store_window import open_from_store

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), "0110", "admin")
    holder_store = PostgresStore(url)
    holder = StoreWorkspace(holder_store.open("0110", tmp_path / "holder"), "王美编")
    try:
        window = make_editor(page=None)
        assert open_from_store(window, url, "0110", user="李美编"), window.prompts.errors
        assert isinstance(window.workspace, StoreWorkspace)
        assert window.workspace.read_only_by == "王美编"
        assert "王美编" in window.status.currentMessage()
        assert window.navigator is not None and window.session.document.page_id == "p1"
    finally:
        holder.close()
        holder_store.close()
    qtbot.waitUntil(lambda: window.workspace.read_only_by == "", timeout=1000)
    assert window.status.currentMessage() == ""


def test_a_read_only_page_refuses_edits_on_the_canvas_and_in_the_panels(
    qtbot, make_editor, url, tmp_path
):
    from gestures import double_click, drag, type_text
    from PySide6.QtCore import QPointF, Qt

    from app.editor.commands.editing import block_rects
    from app.editor.edition.store_window import open_from_store
    from app.model import dumps_document

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), "0112", "admin")
    holder_store = PostgresStore(url)
    holder = StoreWorkspace(holder_store.open("0112", tmp_path / "holder"), "王美编")
    assert holder._claim("renda") == ""  # 王美编 is editing renda's text too
    try:
        window = make_editor(page=None)
        assert open_from_store(window, url, "0112", user="李美编"), window.prompts.errors
        session = window.session
        assert session.read_only_by == "王美编" and session.story_holder("renda") == "王美编"
        before = dumps_document(session.document)
        window.canvas.set_scale(1.0)
        grid = session.document.layout.grid
        rect = block_rects(session.document.block("renda"), grid)[0]
        centre = window.canvas.view().point(rect.x + rect.w / 2, rect.y + rect.h / 2)
        viewport = window.canvas.viewport()
        drag(viewport, centre, centre + QPointF(2 * grid.column_width, 40))  # selects, no move
        assert session.selection == ("renda",)
        window.canvas.keyPressEvent(_key(Qt.Key.Key_Left))  # nudge
        window.edit.delete_selection()
        window.edit.duplicate_selection()
        double_click(viewport, centre)  # renda's text is 王美编's: no in-place typing
        assert window.canvas.typing is None
        window.canvas.set_tool("text")
        drag(viewport, QPointF(20, 20), QPointF(200, 200))  # no new block either
        assert dumps_document(session.document) == before and not session.modified
        assert "王美编" in window.status.currentMessage()  # the refusal says who holds it
        window.story_editor.show_story("renda")
        text = window.story_editor.text
        assert text.isReadOnly() and not window.story_editor.role_box.isEnabled()
        assert "王美编" in window.story_editor.title.text()
        shown = text.toPlainText()
        text.setFocus()
        type_text(text, "改")
        assert text.toPlainText() == shown and dumps_document(session.document) == before
        # Everything that changes the layout is greyed while the page is someone else's.
        for panel in (window.inspector, window.styles, window.layers):
            assert not panel.isEnabled()
        assert not window.actions_by_name["delete"].isEnabled()
        assert not window.tool_actions["article"].isEnabled()
        assert window.tool_actions["select"].isEnabled()
        assert "王美编" in window.windowTitle()  # still said after the status bar moved on
        # A story nobody holds is the text editor's to correct on this page: its lock is
        # taken by the first keystroke, the layout stays untouched.
        window.story_editor.show_story("xiyun")
        assert not window.story_editor.text.isReadOnly()
        window.story_editor.text.setFocus()
        type_text(window.story_editor.text, "改")
        assert "改" in session.document.stories["xiyun"].stream
        assert "xiyun" in window.workspace.story_locks
        # A story taken a moment ago, before this window heard of it: the keystroke is
        # refused by its lock, the text box goes back to the story and turns read-only.
        assert holder._claim("zhengwu") == ""
        window.story_editor.show_story("zhengwu")
        shown = window.story_editor.text.toPlainText()
        window.story_editor.text.setFocus()
        type_text(window.story_editor.text, "改")
        assert window.story_editor.text.toPlainText() == shown
        assert window.story_editor.text.isReadOnly() and "王美编" in window.status.currentMessage()
        assert [b for b in session.document.blocks] == [
            b for b in holder.session("p1").document.blocks
        ]
    finally:
        holder.close()
        holder_store.close()
    # The holder let go: the page is ours and every door opens again.
    qtbot.waitUntil(lambda: session.read_only_by == "", timeout=1000)
    qtbot.waitUntil(lambda: session.story_holder("renda") == "", timeout=1000)
    window.story_editor.show_story("renda")
    assert not window.story_editor.text.isReadOnly() and window.inspector.isEnabled()
    assert window.styles.isEnabled() and window.actions_by_name["delete"].isEnabled()
    assert window.tool_actions["article"].isEnabled()
    assert "王美编" not in window.windowTitle()
    window.canvas.set_tool("select")
    window.session.select(["renda"])
    window.canvas.keyPressEvent(_key(Qt.Key.Key_Left))
    assert dumps_document(session.document) != before and session.modified


def test_taking_over_a_live_lock_asks_first_and_is_recorded(qtbot, make_editor, url, tmp_path):
    from app.editor.edition.store_window import open_from_store

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), "0113", "admin")
    holder_store = PostgresStore(url)
    holder = StoreWorkspace(holder_store.open("0113", tmp_path / "holder"), "王美编")
    try:
        window = make_editor(page=None)  # scripted prompts: the first answer is no
        assert open_from_store(window, url, "0113", user="李美编"), window.prompts.errors
        take_over = window.actions_by_name["take_over"]
        assert take_over.isEnabled()
        take_over.trigger()  # the answer is no: nothing changes
        assert window.prompts.asked[-1].startswith("take over 第1版")
        assert "王美编" in window.prompts.asked[-1]
        assert window.workspace.read_only_by == "王美编" and window.session.read_only_by
        holder.session("p1").select(["renda"])
        from app.editor.commands.actions import EditActions

        EditActions(holder.session("p1")).nudge(-1, 0, free=False)  # 王美编's unsaved move
        window.prompts.answers["takeover"] = True
        take_over.trigger()
        assert window.workspace.read_only_by == "" and window.workspace.lock is not None
        assert window.session.read_only_by == "" and not take_over.isEnabled()
        holder._renew()  # the holder's next renewal finds the page gone: read-only, naming us
        assert holder.read_only_by == "李美编" and holder.session("p1").read_only_by == "李美编"
        with pytest.raises(SaveConflict, match="李美编") as refused:  # their move: kept as a copy
            holder.save()
        with PostgresStore(url) as admin:
            copies = admin.conflicts("0113")
        assert f"#{copies[-1][0]}" == refused.value.copy and copies[-1][1:3] == ("page", "p1")
        with PostgresStore(url) as admin:
            events = admin.conn.execute(
                "SELECT event, holder, previous_holder FROM pasteup_lock_event "
                "WHERE edition = '0113' AND key = 'p1' ORDER BY id"
            ).fetchall()
        assert events[-1] == ("takeover", "李美编", "王美编")
        assert [e[0] for e in events].count("takeover") == 1  # the refused question took nothing
    finally:
        holder.close()
        holder_store.close()


def test_history_lists_versions_and_restore_makes_a_new_one(qtbot, make_editor, url, tmp_path):
    from app.editor.edition.store_window import open_from_store
    from app.model import dumps_document

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), "0114", "admin")
    window = make_editor(page=None)
    assert open_from_store(window, url, "0114", user="李美编"), window.prompts.errors
    follower_store = PostgresStore(url)
    follower = StoreWorkspace(follower_store.open("0114", tmp_path / "follower"), "王美编")
    try:
        session = window.session
        original = dumps_document(session.document)
        session.select(["renda"])
        window.edit.nudge(-1, 0, free=False)
        assert window.action_save()  # page p1 version 2
        moved = dumps_document(session.document)
        assert moved != original
        window.prompts.answers["restore"] = 1
        window.actions_by_name["history"].trigger()
        rows = window.prompts.history_rows
        assert [r[0] for r in rows] == ["2", "1"] and [r[1] for r in rows] == ["李美编", "admin"]
        assert all(r[2] and r[3] for r in rows)  # when, and what changed
        assert window.prompts.errors == []
        assert dumps_document(session.document) == original and not session.modified
        with PostgresStore(url) as admin:
            versions = admin.history("0114", "page", "p1")
            assert [(v.version, v.by) for v in versions][-1] == (3, "李美编")
            assert admin.version("0114", "page", "p1", 3) == admin.version("0114", "page", "p1", 1)
        qtbot.waitUntil(
            lambda: dumps_document(follower.session("p1").document) == original, timeout=1000
        )
        # Unsaved edits are never overwritten by a restore: the window says save first.
        window.edit.nudge(-1, 0, free=False)
        window.prompts.answers["restore"] = 2
        window.actions_by_name["history"].trigger()
        assert "先保存" in window.prompts.errors[-1] and session.modified
    finally:
        follower.close()
        follower_store.close()


def test_the_navigator_shows_each_pages_stage_and_holder_live(qtbot, make_editor, url, tmp_path):
    from app.editor.edition.store_window import open_from_store
    from app.model.edition import StatusChange

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), "0115", "admin")
    window = make_editor(page=None)
    assert open_from_store(window, url, "0115", user="李美编"), window.prompts.errors
    navigator = window.navigator

    def label(page_id: str) -> str:
        return navigator.item_of(page_id).text()

    assert "李美编" in label("p1") and "排版中" in label("p2") and "编辑中" not in label("p2")
    other_store = PostgresStore(url)
    other = StoreWorkspace(other_store.open("0115", tmp_path / "other"), "王美编")
    try:
        other.switch("p2")  # 王美编 opens page 2: every navigator names them within a second
        qtbot.waitUntil(lambda: "王美编" in label("p2"), timeout=1000)
        with pytest.raises(PasteupError, match="王美编"):  # not onto a page they lay out
            window.workspace.continue_story("renda", "p2")
        page = other.edition.page("p2")
        page.history.append(StatusChange("一校", "王美编", "2026-12-06T04:00:00+08:00"))
        other.checkout.save("status", "p2", "王美编")  # the page moves on to 一校
        qtbot.waitUntil(lambda: "一校" in label("p2"), timeout=1000)
        assert "李美编" in label("p1")
    finally:
        other.close()
        other_store.close()
    qtbot.waitUntil(lambda: "编辑中" not in label("p2"), timeout=1000)  # let go
    assert "一校" in label("p2") and "李美编" in label("p1")


def _key(code):
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier)


def test_a_bad_database_is_one_message(make_editor, url):
    from app.editor.edition.store_window import open_from_store

    window = make_editor(page=None)
    assert not open_from_store(window, url, "nothing")
    assert "no such edition" in window.prompts.errors[-1]


EDITOR = """
import os, sys
from datetime import timedelta
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication
from app.editor.edition.store_workspace import StoreWorkspace
from app.model.store.postgres import PostgresStore
import dataclasses
from app.model.story import Paragraph

app = QApplication([])
store = PostgresStore(sys.argv[1])
workspace = StoreWorkspace(store.open("0111", Path(sys.argv[2])), "王美编", timedelta(seconds=1))
print("locked" if workspace.lock else "read-only", flush=True)

def edit():
    sys.stdin.readline()
    story = workspace.edition.stories["renda"]
    last = story.paragraphs[-1]
    edited = (*story.paragraphs[:-1], Paragraph(last.role, last.text + "（甲）"))
    workspace.session("p1").document.set_story(dataclasses.replace(story, paragraphs=edited))
    workspace.save()
    print("saved", flush=True)

notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(edit)
app.exec()
"""


def test_two_editor_processes_and_a_killed_holder(qtbot, url, tmp_path):
    import signal
    import subprocess
    from datetime import timedelta

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with PostgresStore(url) as admin:
        admin.push(read_edition(folder), "0111", "admin")
    first = subprocess.Popen(
        [sys.executable, "-c", EDITOR, url, str(tmp_path / "first")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    store = PostgresStore(url)
    second = None
    try:
        assert first.stdout.readline().strip() == "locked"
        second = StoreWorkspace(
            store.open("0111", tmp_path / "second"), "李美编", timedelta(seconds=1)
        )
        assert second.read_only_by == "王美编"
        with qtbot.waitSignal(second.followed, timeout=1000) as heard:
            first.stdin.write("edit\n")
            first.stdin.flush()
        assert "p1" in heard.args[0]
        assert second.edition.stories["renda"].paragraphs[-1].text.endswith("（甲）")
        first.send_signal(signal.SIGKILL)
        first.wait()
        # Nobody announces a dead holder: its lease runs out (1 s) and the page is ours.
        qtbot.waitUntil(lambda: second.read_only_by == "" and second.lock is not None, timeout=4000)
        assert second.checkout.store.conn.execute(
            "SELECT event, previous_holder FROM pasteup_lock_event ORDER BY id DESC LIMIT 1"
        ).fetchone() == ("expired", "王美编")
    finally:
        if second is not None:
            second.close()
        if first.poll() is None:
            first.kill()
        store.close()


def test_edits_made_while_the_server_is_away_are_saved_when_it_is_back(qtbot, tmp_path):
    from datetime import timedelta

    from app.model.store.checkout import Offline

    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    with Cluster() as cluster:
        with PostgresStore(cluster.url) as admin:
            admin.init()
            admin.push(read_edition(folder), "0112", "admin")
        store = PostgresStore(cluster.url)
        workspace = StoreWorkspace(
            store.open("0112", tmp_path / "w"), "王美编", timedelta(seconds=1)
        )
        try:
            cluster.halt()
            story = workspace.edition.stories["renda"]
            last = story.paragraphs[-1]
            edited = (*story.paragraphs[:-1], Paragraph(last.role, last.text + "（断线）"))
            workspace.session("p1").document.set_story(
                dataclasses.replace(story, paragraphs=edited)
            )
            with pytest.raises(Offline):
                workspace.save()
            qtbot.wait(500)  # the renewal timer meets the outage and keeps going
            cluster.start()
            with qtbot.waitSignal(workspace.synced, timeout=5000) as synced:
                pass
            assert synced.args[0] == {("story", "renda"): 2}
            with PostgresStore(cluster.url) as check:
                text = check.version("0112", "story", "renda", 2)["paragraphs"][-1]["text"]
            assert text.endswith("（断线）")
        finally:
            workspace.close()
            store.close()
