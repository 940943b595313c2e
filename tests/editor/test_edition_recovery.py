"""An edition's unsaved work (every page's edits, its stories, its plan) survives a crash: the
edition autosave writes it to a recovery file, the next opening of the folder offers it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gestures import type_text
from PySide6.QtCore import Qt
from scripted_prompts import FixedPrompts

from app.editor import settings
from app.editor.edition.recovery import find_recovery, recovery_file
from app.model.editionfile import read_edition
from app.model.store.records import edition_records

pytestmark = pytest.mark.qt

EDITION = Path(__file__).resolve().parents[2] / "assets" / "samples" / "edition"


class AddPagePrompts:
    def page_name(self) -> str | None:
        return "体育"


@pytest.fixture
def edition_dir(tmp_path) -> Path:
    folder = tmp_path / "edition"
    shutil.copytree(EDITION, folder)
    return folder


def click_page(qtbot, window, page_id: str) -> None:
    navigator = window.navigator
    rect = navigator.visualItemRect(navigator.item_of(page_id))
    qtbot.mouseClick(navigator.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def edit_everywhere(qtbot, window) -> None:
    """A story typed into on page 1, a block deleted on page 4, a page added to the plan."""
    window.session.select(["renda"])
    editor = window.story_editor
    editor.place_cursor(0)
    editor.text.setFocus()
    type_text(editor.text, "【快讯】")
    click_page(qtbot, window, "p4")
    window.session.select(["p4-head"])
    window.edit.delete_selection()
    window.edition_prompts = AddPagePrompts()
    qtbot.mouseClick(window.plan_panel.buttons["add"], Qt.MouseButton.LeftButton)


def crash(window) -> None:
    """The window goes away without closing: nothing saved, the recovery file left behind."""
    window.autosave.timer.stop()
    window.workspace.close()
    window.prompts.answers["save"] = "cancel"


def test_an_editions_unsaved_work_is_recovered_after_a_crash(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    edit_everywhere(qtbot, window)
    assert window.autosave.timer.isActive()  # unsaved work arms the 30 s timer
    window.autosave.timer.timeout.emit()  # as if 30 s had passed
    recovery = find_recovery(settings.recovery_dir(), edition_dir)
    assert recovery is not None
    expected = edition_records(window.workspace.edition)
    assert expected[("story", "renda")]["paragraphs"][0]["text"].startswith("【快讯】")
    crash(window)
    on_disk = read_edition(edition_dir)
    assert len(on_disk.pages) == 4 and on_disk.page("p4").document.block("p4-head")

    prompts = FixedPrompts(recover=True)
    second = make_editor(edition_dir, prompts)
    assert prompts.asked == ["recover"]
    assert edition_records(second.workspace.edition) == expected
    assert second.navigator.count() == 5
    assert second.workspace.modified and second.isWindowModified()  # recovered is unsaved
    second.actions_by_name["save"].trigger()
    assert not second.isWindowModified()
    assert not recovery_file(settings.recovery_dir(), edition_dir).exists()
    assert edition_records(read_edition(edition_dir)) == expected


def test_declining_an_editions_recovery_deletes_it(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    edit_everywhere(qtbot, window)
    window.autosave.save_now()
    crash(window)
    prompts = FixedPrompts(recover=False)
    second = make_editor(edition_dir, prompts)
    assert prompts.asked == ["recover"]
    assert not second.workspace.modified and second.navigator.count() == 4
    assert not recovery_file(settings.recovery_dir(), edition_dir).exists()


def test_undoing_back_to_the_saved_edition_deletes_its_recovery(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    window.session.select(["rule-mid"])
    window.edit.delete_selection()
    window.autosave.save_now()
    assert recovery_file(settings.recovery_dir(), edition_dir).exists()
    window.session.undo()
    assert not window.workspace.modified
    assert not recovery_file(settings.recovery_dir(), edition_dir).exists()


@pytest.mark.parametrize(
    "content", [b"{not json", b'{"kind": "pasteup-edition-recovery", "files": {"p1.json": 3}}']
)
def test_a_damaged_edition_recovery_is_one_line_and_the_edition_opens(
    make_editor, edition_dir, content
):
    recovery_file(settings.recovery_dir(), edition_dir).write_bytes(content)
    prompts = FixedPrompts(recover=True)
    window = make_editor(edition_dir, prompts)
    assert window.workspace is not None and window.navigator.count() == 4
    assert len(prompts.errors) == 1 and "\n" not in prompts.errors[0]
    assert "recovery" in prompts.errors[0]
    assert not window.workspace.modified
