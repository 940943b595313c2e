"""The window's own state: the canvas keeps its room, Qt's dialogs speak the UI language."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from app.editor.window.main_window import MIN_CANVAS_SHARE

HAN = re.compile(r"[\u4e00-\u9fff]")


def _canvas_share(window) -> float:
    return window.canvas.width() / window.width()


def test_file_open_twice_then_restart_keeps_the_canvas(make_editor, sample_page, qtbot):
    window = make_editor(sample_page)
    first = window.canvas.width()
    for _ in range(2):
        window.prompts.paths = [sample_page]
        window.actions_by_name["open"].trigger()
        qtbot.wait(20)
        assert window.canvas.width() >= 0.9 * first
        assert window.canvas.scale > 0.2  # fitted to a real canvas, not a strip
    window.close()  # saves the window state
    again = make_editor(sample_page)
    qtbot.wait(20)
    assert _canvas_share(again) >= MIN_CANVAS_SHARE
    assert again.canvas.width() >= 0.9 * first


def test_a_broken_saved_state_is_replaced_and_reset_layout_restores(make_editor, qtbot):
    window = make_editor()
    window.resizeDocks([window.docks["inspector"]], [1200], Qt.Orientation.Horizontal)
    window.resizeDocks([window.docks["layers"]], [1200], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    assert _canvas_share(window) < MIN_CANVAS_SHARE
    window.close()  # a collapsed layout is not saved
    again = make_editor()
    qtbot.wait(20)
    assert _canvas_share(again) >= MIN_CANVAS_SHARE
    again.resizeDocks([again.docks["inspector"]], [1200], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    again.actions_by_name["reset_layout"].trigger()
    qtbot.wait(20)
    assert _canvas_share(again) >= MIN_CANVAS_SHARE


def _accept_text(window) -> str:
    dialog = QFileDialog(window, "t")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    box = dialog.findChild(QDialogButtonBox)
    texts = [b.text() for b in box.buttons()]
    dialog.deleteLater()
    return " ".join(texts)


def test_qt_dialogs_speak_the_interface_language(make_editor):
    window = make_editor(None)
    assert HAN.search(_accept_text(window)), _accept_text(window)
    window.switch_language("en")
    assert not HAN.search(_accept_text(window))
    assert "Open" in _accept_text(window)
    window.switch_language("zh_CN")
    assert HAN.search(_accept_text(window))


def test_with_nothing_selected_the_inspector_edits_the_page(make_editor, qtbot):
    from PySide6.QtWidgets import QLineEdit

    window = make_editor()
    document = window.session.document
    window.session.select([])
    window.inspector.rebuild()
    name = window.inspector.findChild(QLineEdit, "page-page_name")
    assert name.text() == document.meta.page_name
    name.setText("经济")
    name.editingFinished.emit()
    assert document.meta.page_name == "经济"
    heads = [line.text for line in window.session.layout.lines if line.block == "running-head"]
    assert "经济" in heads  # the running head follows the metadata
    date = window.inspector.findChild(QLineEdit, "page-date")
    date.setText("1月9日")
    date.editingFinished.emit()
    assert window.prompts.errors and "YYYY-MM-DD" in window.prompts.errors[-1]
    assert document.meta.date == "2026-01-09"
    window.session.undo()
    assert document.meta.page_name == "要闻"
