"""Typing on the canvas: a double-clicked text block edited where it is printed.

The caret, the selection and the input method's pre-edit text are drawn on the composed
lines through the text map (`TextLine.char_x`): the canvas never lays out text itself.
Every change goes through `EditActions.edit_text` (or the marked-up paste), the same undo
commands as the story editor, which stays the other view of the same story. Input
methods work through `QInputMethodEvent`: the pre-edit string is shown at the caret
(underlined) and only the committed string reaches the story.

Keys: arrows, Home/End (Shift extends), Backspace/Delete, Enter (new paragraph), Ctrl+A,
Ctrl+X/C/V, Ctrl+Alt+1…6 sets the paragraph's role (引题 主题 副题 作者 正文 小标题),
Esc leaves.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QInputMethodEvent, QKeyEvent, QPainter

from app.compose.layout import TextLine, to_pt
from app.editor.canvas.overlays import View
from app.editor.commands.placing import is_marked_up, paste_marked
from app.model.story import PARAGRAPH_SEPARATOR

SELECTION = QColor(40, 110, 230, 70)
CARET = QColor(220, 0, 0)
ROLE_KEYS: dict[int, str] = {  # `QKeyEvent.key()` is a plain int
    Qt.Key.Key_1: "引题",
    Qt.Key.Key_2: "主题",
    Qt.Key.Key_3: "副题",
    Qt.Key.Key_4: "作者",
    Qt.Key.Key_5: "正文",
    Qt.Key.Key_6: "小标题",
}


class InPlaceEditor:
    def __init__(self, canvas, block_id: str, story_id: str):
        self.canvas = canvas
        self.block_id = block_id
        self.story_id = story_id
        self.caret = 0
        self.anchor = 0
        self.preedit = ""

    @property
    def session(self):
        return self.canvas.session

    def stream(self) -> str:
        story = self.session.document.stories.get(self.story_id)
        return story.stream if story else ""

    def lines(self) -> list[TextLine]:
        layout = self.session.layout
        if layout is None:
            return []
        return [line for line in layout.lines if line.story == self.story_id]

    # -- positions ------------------------------------------------------------------------------
    def index_at(self, x_pt: float, y_pt: float) -> int:
        """The stream index nearest a page point (points), by the text map."""
        lines = self.lines()
        if not lines:
            return len(self.stream())

        def distance(line: TextLine) -> float:
            top, bottom = to_pt(line.top), to_pt(line.bottom)
            dy = 0.0 if top <= y_pt <= bottom else min(abs(y_pt - top), abs(y_pt - bottom))
            left = to_pt(line.x)
            right = to_pt(line.x + line.width)
            dx = 0.0 if left <= x_pt <= right else min(abs(x_pt - left), abs(x_pt - right))
            return dy * 4 + dx

        line = min(lines, key=distance)
        for offset, (left, right) in enumerate(line.char_x):
            if x_pt < to_pt(left + right) / 2:
                return line.start + offset
        return line.end

    def caret_box(self, index: int) -> tuple[float, float, float] | None:
        """(x, top, bottom) in points of a caret before stream[index]."""
        chosen = None
        for line in self.lines():
            if line.start <= index < line.end:
                chosen = line
                break
            if chosen is None and line.start <= index <= line.end:
                chosen = line  # the end of a paragraph, or an empty one
        if chosen is None:
            return None
        edges = chosen.char_x
        offset = index - chosen.start
        if offset < len(edges):
            x = edges[offset][0]
        elif edges:
            x = edges[-1][1]
        else:
            x = chosen.x
        return to_pt(x), to_pt(chosen.top), to_pt(chosen.bottom)

    def selection(self) -> tuple[int, int]:
        """(start, end) of the selection, within the story as it now is (undo may shorten it)."""
        length = len(self.stream())
        self.caret, self.anchor = min(self.caret, length), min(self.anchor, length)
        return min(self.caret, self.anchor), max(self.caret, self.anchor)

    # -- editing --------------------------------------------------------------------------------
    def insert(self, text: str) -> None:
        start, end = self.selection()
        if not text and start == end:
            return
        old = self.caret_rect(self.canvas.view())
        self.canvas.edit.edit_text(self.story_id, start, end, text)
        self.caret = self.anchor = start + len(text)
        if start == end:  # the changed lines repaint themselves; the caret moved
            self._update(old)
            self._update(self.caret_rect(self.canvas.view()))
        else:
            self.canvas.viewport().update()

    def paste(self, text: str) -> None:
        start, end = self.selection()
        if is_marked_up(text):
            self.caret = self.anchor = paste_marked(
                self.canvas.edit, self.story_id, start, end, text
            )
            self.canvas.viewport().update()
        else:
            self.insert(text.replace("\n", PARAGRAPH_SEPARATOR))

    def selected_text(self) -> str:
        start, end = self.selection()
        return self.stream()[start:end].replace(PARAGRAPH_SEPARATOR, "\n")

    def move_to(self, index: int, extend: bool) -> None:
        self.caret = max(0, min(index, len(self.stream())))
        if not extend:
            self.anchor = self.caret
        self.canvas.viewport().update()

    def key(self, event: QKeyEvent) -> bool:
        """Handle a key; False if it is not for the text (the canvas then handles it)."""
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        start, end = self.selection()
        clipboard = QGuiApplication.clipboard()
        if key == Qt.Key.Key_Escape:
            self.canvas.stop_typing()
        elif ctrl and alt and key in ROLE_KEYS:
            story = self.session.document.stories[self.story_id]
            paragraph = self.stream()[: self.caret].count(PARAGRAPH_SEPARATOR)
            if paragraph < len(story.paragraphs):
                self.canvas.edit.set_role(self.story_id, paragraph, ROLE_KEYS[key])
        elif ctrl and key == Qt.Key.Key_A:
            self.anchor, self.caret = 0, len(self.stream())
            self.canvas.viewport().update()
        elif ctrl and key in (Qt.Key.Key_C, Qt.Key.Key_X):
            if start != end:
                clipboard.setText(self.selected_text())
                if key == Qt.Key.Key_X:
                    self.insert("")
        elif ctrl and key == Qt.Key.Key_V:
            self.paste(clipboard.text())
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            if start != end and not shift:
                self.move_to(start if step < 0 else end, False)
            else:
                self.move_to(self.caret + step, shift)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            box = self.caret_box(self.caret)
            if box is not None:
                x, top, bottom = box
                pitch = bottom - top
                y = top - pitch / 2 if key == Qt.Key.Key_Up else bottom + pitch / 2
                self.move_to(self.index_at(x, y), shift)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            line = self._line_of(self.caret)
            if line is not None:
                self.move_to(line.start if key == Qt.Key.Key_Home else line.end, shift)
        elif key == Qt.Key.Key_Backspace:
            if start == end and start > 0:
                self.anchor = start - 1
            self.insert("")
        elif key == Qt.Key.Key_Delete:
            if start == end and end < len(self.stream()):
                self.caret = end + 1
            self.insert("")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.insert(PARAGRAPH_SEPARATOR)
        elif event.text() and event.text().isprintable() and not ctrl:
            self.insert(event.text())
        else:
            return False
        return True

    def input_method(self, event: QInputMethodEvent) -> None:
        had_preedit = bool(self.preedit)
        if event.commitString():
            self.preedit = ""
            self.insert(event.commitString())
        self.preedit = event.preeditString()
        if self.preedit or had_preedit:
            self.canvas.viewport().update()

    def _update(self, rect: QRectF) -> None:
        if not rect.isNull():
            self.canvas.viewport().update(rect.toAlignedRect().adjusted(-3, -3, 3, 3))

    def _line_of(self, index: int) -> TextLine | None:
        for line in self.lines():
            if line.start <= index <= line.end:
                return line
        return None

    # -- drawing --------------------------------------------------------------------------------
    def caret_rect(self, view: View) -> QRectF:
        box = self.caret_box(self.caret)
        if box is None:
            return QRectF()
        x, top, bottom = box
        a, b = view.point(x, top), view.point(x, bottom)
        return QRectF(a.x() - 1, a.y(), 2, b.y() - a.y())

    def paint(self, painter: QPainter, view: View) -> None:
        start, end = self.selection()
        if start != end:
            for line in self.lines():
                lo, hi = max(start, line.start), min(end, line.end)
                if lo >= hi:
                    continue
                edges = line.char_x
                left = edges[lo - line.start][0]
                right = edges[hi - line.start - 1][1]
                a = view.point(to_pt(left), to_pt(line.top))
                b = view.point(to_pt(right), to_pt(line.bottom))
                painter.fillRect(QRectF(a, b), SELECTION)
        caret = self.caret_rect(view)
        if caret.isNull():
            return
        if self.preedit:
            font = QFont()
            font.setPixelSize(max(6, round(caret.height() * 0.9)))
            painter.setFont(font)
            width = painter.fontMetrics().horizontalAdvance(self.preedit)
            box = QRectF(caret.x(), caret.y(), width + 2, caret.height())
            painter.fillRect(box, QColor(255, 255, 210))
            painter.setPen(QColor(0, 0, 0))
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, self.preedit)
            painter.drawLine(box.bottomLeft(), box.bottomRight())
            caret.moveLeft(box.right())
        painter.fillRect(caret, CARET)

    def input_rect(self, view: View) -> QRectF:
        rect = self.caret_rect(view)
        return rect if not rect.isNull() else QRectF(QPointF(0, 0), QPointF(1, 1))
