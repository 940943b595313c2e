"""Typing on the canvas: double-click a text block, type through key and input-method events."""

from __future__ import annotations

from gestures import double_click, input_method, key
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from app.compose.layout import to_pt


def _line_point(window, story_id: str, n: int = 3) -> tuple[QPointF, object]:
    lines = [line for line in window.session.layout.lines if line.story == story_id]
    line = lines[n]
    left, right = line.char_x[2]
    x, y = to_pt(left + right) / 2, to_pt(line.top + line.bottom) / 2
    return window.canvas.view().point(x, y), line


def test_double_click_types_in_place_with_an_input_method(make_editor, qtbot):
    window = make_editor()
    canvas = window.canvas
    document = window.session.document
    before = document.stories["xiyun"].stream
    point, line = _line_point(window, "xiyun")
    double_click(canvas.viewport(), point)
    assert canvas.typing is not None and canvas.typing.story_id == "xiyun"
    assert canvas.typing.caret in (line.start + 2, line.start + 3)
    caret = canvas.typing.caret
    input_method(canvas, preedit="shi")  # composing: nothing reaches the story yet
    assert document.stories["xiyun"].stream == before
    assert canvas.typing.preedit == "shi"
    input_method(canvas, commit="市民")
    after = document.stories["xiyun"].stream
    assert after == before[:caret] + "市民" + before[caret:]
    assert canvas.typing.caret == caret + 2
    assert window.story_editor.text.toPlainText().replace("\n", "\u2029") == after
    # Backspace edits the text, not the page (the window's Backspace deletes blocks)
    key(canvas, Qt.Key.Key_Backspace)
    assert document.stories["xiyun"].stream == before[:caret] + "市" + before[caret:]
    assert "xiyun" in {b.id for b in document.blocks}
    # select two characters with Shift+Left, cut, paste back
    key(canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    key(canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    key(canvas, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    cut = QApplication.clipboard().text()
    assert len(cut) == 2
    assert document.stories["xiyun"].stream == before[: caret - 1] + before[caret:]
    key(canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert document.stories["xiyun"].stream == before[:caret] + "市" + before[caret:]
    key(canvas, Qt.Key.Key_Escape)
    assert canvas.typing is None
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert document.stories["xiyun"].stream == before


def test_pasting_marked_up_text_in_place_gives_roles(make_editor):
    window = make_editor()
    canvas = window.canvas
    document = window.session.document
    point, _ = _line_point(window, "xiyun")
    double_click(canvas.viewport(), point)
    count = len(document.stories["xiyun"].paragraphs)
    QApplication.clipboard().setText("插入的话,\n【小标题】新的小标题\n新的一段正文。")
    key(canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    paragraphs = document.stories["xiyun"].paragraphs
    assert len(paragraphs) == count + 2
    roles = [p.role for p in paragraphs]
    texts = [p.text for p in paragraphs]
    index = texts.index("新的小标题")
    assert roles[index] == "小标题" and roles[index + 1] == "正文"
    assert any("插入的话，" in t for t in texts)  # the comma made full width, as on import


def test_the_story_editor_parses_pasted_marked_up_text_and_shows_what_to_add(make_editor):
    from PySide6.QtCore import QMimeData

    window = make_editor()
    document = window.session.document
    window.session.select(["xiyun"])
    editor = window.story_editor
    count = len(document.stories["xiyun"].paragraphs)
    editor.place_cursor(len(document.stories["xiyun"].stream))
    data = QMimeData()
    data.setText("\n【小标题】新的小标题\n新的一段,正文。")
    editor.text.insertFromMimeData(data)
    paragraphs = document.stories["xiyun"].paragraphs
    assert [p.role for p in paragraphs[count:]] == ["小标题", "正文"]
    assert paragraphs[-1].text == "新的一段，正文。"
    assert editor.text.toPlainText().endswith("新的一段，正文。")
    assert "欠排" in editor.copyfit.text() and "可补约" in editor.copyfit.text()


def test_blocks_get_readable_names_and_are_renamed_in_the_layers_panel(make_editor):
    from app.editor.panels.layers import BLOCK_ROLE

    window = make_editor()
    document = window.session.document
    from app.model.geometry import RectPt

    grid = document.layout.grid
    rect = RectPt(grid.column_x(0), grid.line_top(50), grid.span_width(2), grid.depth_height(6))
    assert window.edit.create("box", rect, True).id == "方框1"
    assert window.edit.create("text", rect, True).id == "文字1"
    layers = window.layers
    row = next(
        layers.item(i) for i in range(layers.count()) if layers.item(i).data(BLOCK_ROLE) == "photo"
    )
    layers.start_rename(row)
    row.setText("头条图片")
    assert "头条图片" in {b.id for b in document.blocks}
    assert document.block("photo-caption").photo == "头条图片"  # the caption follows
    window.session.undo()
    assert document.block("photo-caption").photo == "photo"
    row = next(
        layers.item(i) for i in range(layers.count()) if layers.item(i).data(BLOCK_ROLE) == "photo"
    )
    layers.start_rename(row)
    row.setText("lead")  # taken
    assert window.prompts.errors and "lead" in window.prompts.errors[-1]


def test_typing_stops_when_undo_takes_the_block_away(make_editor):
    from app.model.geometry import RectPt

    window = make_editor()
    document = window.session.document
    grid = document.layout.grid
    rect = RectPt(grid.column_x(0), grid.line_top(60), grid.span_width(2), grid.depth_height(6))
    block = window.edit.create("text", rect, True)
    canvas = window.canvas
    assert canvas.start_typing(block.id, rect.x + 2, rect.y + 2)
    input_method(canvas, commit="临时文字")
    assert document.stories[block.id].paragraphs[0].text == "临时文字"
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for code, mods, taken in (
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier, False),  # undo stays the window's
        (Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier, True),  # not 删除 the block
    ):
        override = QKeyEvent(QEvent.Type.ShortcutOverride, code, mods)
        override.ignore()
        QApplication.sendEvent(canvas, override)
        assert override.isAccepted() == taken
    window.actions_by_name["undo"].trigger()
    assert document.stories[block.id].paragraphs[0].text == ""
    assert canvas.typing is not None
    input_method(canvas, commit="又")  # the caret was past the end: clamped, no error
    assert document.stories[block.id].paragraphs[0].text == "又"
    window.session.undo()
    window.session.undo()  # the block and its story go
    assert canvas.typing is None


def test_role_shortcuts_in_the_story_editor(make_editor):
    window = make_editor()
    document = window.session.document
    window.session.select(["xiyun"])
    editor = window.story_editor
    starts = document.stories["xiyun"].paragraph_starts()
    editor.place_cursor(starts[2] + 1)
    key(
        editor.text,
        Qt.Key.Key_6,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert document.stories["xiyun"].paragraphs[2].role == "小标题"
