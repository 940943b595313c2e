"""Typing into a story re-composes the page; undo, save, reopen and crash recovery."""

from __future__ import annotations

import pytest
from gestures import type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from scripted_prompts import FixedPrompts

from app.compose.layout import GlyphRun
from app.editor import settings
from app.editor.document.autosave import find_recovery
from app.model import dumps_document, read_document

pytestmark = pytest.mark.qt


def runs_of(window, story: str) -> list[GlyphRun]:
    return [i for i in window.session.layout.items if isinstance(i, GlyphRun) and i.story == story]


def open_story(window, block: str, position: int):
    window.session.select([block])
    editor = window.story_editor
    assert editor.story_id == window.session.document.block(block).story
    editor.place_cursor(position)
    editor.text.setFocus()
    return editor


def test_typing_recomposes_the_story_and_undo_restores_the_document(make_editor, qtbot):
    window = make_editor()
    session = window.session
    before = dumps_document(session.document)
    old_runs = runs_of(window, "zhengwu")
    other_runs = runs_of(window, "renda")
    editor = open_story(window, "zhengwu", len("李文兵"))
    type_text(editor.text, "同志")
    story = session.document.stories["zhengwu"]
    assert story.paragraphs[0].text == "李文兵同志赴山西医科大学走访慰问联系服务专家"
    new_runs = runs_of(window, "zhengwu")
    assert new_runs != old_runs
    assert "同志" in "".join(r.text for r in new_runs)
    assert runs_of(window, "renda") == other_runs  # other stories untouched
    assert session.undo_stack.count() == 1  # a typing run is one undo step
    assert window.isWindowModified()
    window.actions_by_name["undo"].trigger()
    assert dumps_document(session.document) == before
    assert editor.text.document().toRawText() == session.document.stories["zhengwu"].stream
    assert runs_of(window, "zhengwu") == old_runs
    window.actions_by_name["redo"].trigger()
    assert session.document.stories["zhengwu"].paragraphs[0].text.startswith("李文兵同志")


def test_enter_splits_a_paragraph_and_the_role_can_be_changed(make_editor, qtbot):
    window = make_editor()
    session = window.session
    editor = open_story(window, "zhengwu", len("李文兵赴山西医科大学"))
    qtbot.keyClick(editor.text, Qt.Key.Key_Return)
    story = session.document.stories["zhengwu"]
    assert [p.text for p in story.paragraphs[:2]] == [
        "李文兵赴山西医科大学",
        "走访慰问联系服务专家",
    ]
    assert story.paragraphs[1].role == "主题"  # the new paragraph keeps the role
    editor.place_cursor(len("李文兵赴山西医科大学") + 2)
    editor.role_box.setCurrentText("副题")
    editor.role_box.activated.emit(editor.role_box.currentIndex())
    assert session.document.stories["zhengwu"].paragraphs[1].role == "副题"
    assert editor.text.roles[1] == "副题"


def test_input_method_commit_reaches_the_story(make_editor, qtbot):
    """Pinyin composition shows preedit text; only the committed characters enter the story."""
    window = make_editor()
    session = window.session
    editor = open_story(window, "zhengwu", 0)
    preedit = QInputMethodEvent("wenbing", [])
    QApplication.sendEvent(editor.text, preedit)
    assert session.document.stories["zhengwu"].paragraphs[0].text.startswith("李文兵赴")
    commit = QInputMethodEvent()
    commit.setCommitString("市长")
    QApplication.sendEvent(editor.text, commit)
    assert session.document.stories["zhengwu"].paragraphs[0].text.startswith("市长李文兵")


def test_copyfit_bar_counts_characters_and_lines(make_editor):
    window = make_editor()
    open_story(window, "zhengwu", 0)
    story = window.session.document.stories["zhengwu"]
    text = window.story_editor.copyfit.text()
    lines = sum(1 for line in window.session.layout.lines if line.story == "zhengwu")
    assert f"字数 {story.char_count()}" in text
    assert f"{lines} 行" in text


def test_save_reopen_and_compare(make_editor, qtbot, sample_page, tmp_path):
    window = make_editor()
    session = window.session
    editor = open_story(window, "renda", 3)
    type_text(editor.text, "新")
    session.select(["photo"])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Up)
    window.actions_by_name["save"].trigger()
    assert not window.isWindowModified()
    assert sample_page.with_name("page.json.bak").is_file()
    saved = dumps_document(session.document)
    reopened = read_document(sample_page)
    assert dumps_document(reopened) == saved
    assert (
        reopened.block("photo").frame.line
        == read_document(sample_page.with_name("page.json.bak")).block("photo").frame.line - 1
    )
    target = tmp_path / "elsewhere" / "copy.json"
    target.parent.mkdir()
    window.prompts.paths.append(target)
    window.actions_by_name["save_as"].trigger()
    assert session.document.path == target
    copy = read_document(target)
    assert copy.stories == reopened.stories and copy.blocks == reopened.blocks
    assert not window.isWindowModified()


def test_autosave_recovers_unsaved_work_after_a_crash(make_editor, qtbot, sample_page):
    window = make_editor()
    session = window.session
    editor = open_story(window, "xiyun", 0)
    type_text(editor.text, "【快讯】")
    assert window.autosave.timer.isActive()  # unsaved work arms the 30 s timer
    assert window.autosave.timer.interval() == 30_000
    window.autosave.timer.timeout.emit()  # as if 30 s had passed
    recovery = find_recovery(settings.recovery_dir(), sample_page.resolve())
    assert recovery is not None
    expected = dumps_document(session.document)
    # The crash: the window goes away without closing, the page file is unchanged.
    window.session.close()
    window.autosave.timer.stop()
    window.prompts.answers["save"] = "cancel"
    assert read_document(sample_page).stories["xiyun"] != session.document.stories["xiyun"]

    prompts = FixedPrompts(recover=True)
    second = make_editor(sample_page, prompts)
    assert prompts.asked == ["recover"]
    assert dumps_document(second.session.document) == expected
    assert second.session.document.path == sample_page
    assert second.isWindowModified()
    second.actions_by_name["save"].trigger()
    assert find_recovery(settings.recovery_dir(), sample_page.resolve()) is None
    assert dumps_document(read_document(sample_page)) == expected


def test_declining_recovery_deletes_the_file(make_editor, qtbot, sample_page):
    window = make_editor()
    type_text(open_story(window, "xiyun", 0).text, "甲")
    window.autosave.save_now()
    window.session.close()
    prompts = FixedPrompts(recover=False)
    second = make_editor(sample_page, prompts)
    assert prompts.asked == ["recover"]
    assert not second.session.modified
    assert find_recovery(settings.recovery_dir(), sample_page.resolve()) is None


def test_closing_with_unsaved_changes_asks(make_editor, qtbot, sample_page):
    prompts = FixedPrompts(save="cancel")
    window = make_editor(sample_page, prompts)
    type_text(open_story(window, "xiyun", 0).text, "乙")
    assert not window.close()  # cancelled: the window stays
    assert prompts.asked == ["save"]
    prompts.answers["save"] = "save"
    assert window.close()
    assert read_document(sample_page).stories["xiyun"].paragraphs[0].text.startswith("乙")


def test_undo_reloads_the_text_and_keeps_the_cursor_near(make_editor):
    window = make_editor()
    editor = open_story(window, "xiyun", 2)
    type_text(editor.text, "丙丁")
    assert editor.text.textCursor().position() == 4
    window.session.undo()
    assert editor.text.document().toRawText() == window.session.document.stories["xiyun"].stream
    assert editor.text.textCursor().position() == 4


def test_partial_repaint_matches_a_full_render(make_editor):
    """After typing here and there, the incrementally updated page picture is exactly what
    painting the whole layout afresh gives."""
    from app.editor.canvas.pagecache import PageCache

    window = make_editor()
    story = window.session.document.stories["renda"]
    editor = open_story(window, "renda", len(story.stream) // 2)
    window.canvas.viewport().grab()  # paints: the picture exists before the edits
    assert window.canvas.cache.layout is window.session.layout
    picture = window.canvas.cache.image
    for text in ("甲乙丙", "，丁"):
        type_text(editor.text, text)
        editor.place_cursor(20)
    type_text(editor.text, "戊")
    cache = window.canvas.cache
    assert cache.layout is window.session.layout
    assert cache.image is picture  # updated in place, never redrawn whole
    fresh = PageCache(window.resources)
    fresh.render(window.session.layout, cache.scale)
    assert fresh.image == cache.image
