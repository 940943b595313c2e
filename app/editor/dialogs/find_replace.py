"""编辑 → 查找替换: find across the page's stories, show each match on the canvas, replace.

A found match is shown selected in place on the canvas (the in-place editor), so 替换
replaces exactly what is highlighted; 全部替换 changes every story in one undo step.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from app.editor.commands.find import Match, compile_pattern, find_next, replace_all
from app.editor.i18n import tr
from app.errors import PasteupError


class FindReplaceDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(tr("查找替换"))
        self.current: Match | None = None
        self.find_text = QLineEdit()
        self.replace_text = QLineEdit()
        self.regex = QCheckBox(tr("正则表达式"))
        self.result = QLabel()
        buttons = QHBoxLayout()
        for text, slot in (
            ("查找下一个", self.find),
            ("替换", self.replace),
            ("全部替换", self.replace_everything),
        ):
            button = QPushButton(tr(text))
            button.clicked.connect(slot)
            buttons.addWidget(button)
        form = QFormLayout(self)
        form.addRow(tr("查找"), self.find_text)
        form.addRow(tr("替换为"), self.replace_text)
        form.addRow("", self.regex)
        form.addRow(buttons)
        form.addRow(self.result)

    def _pattern(self):
        try:
            return compile_pattern(self.find_text.text(), self.regex.isChecked())
        except PasteupError as error:
            self.result.setText(str(error))
            return None

    def find(self) -> Match | None:
        pattern = self._pattern() if self.find_text.text() else None
        if pattern is None:
            return None
        match = find_next(self.window.session.document, pattern, self.current)
        self.current = match
        if match is None:
            self.result.setText(tr("没有找到"))
            return None
        self._show(match)
        self.result.setText("")
        return match

    def _show(self, match: Match) -> None:
        """Select the block printing the match and highlight it in place."""
        document = self.window.session.document
        layout = self.window.session.layout
        block = None
        for line in layout.lines if layout else ():
            if line.story == match.story and line.start <= match.start < max(
                line.end, 1 + line.start
            ):
                block = line.block
                break
        if block is None:
            block = next(
                (b.id for b in document.blocks if getattr(b, "story", "") == match.story), None
            )
        if block is None:
            return
        canvas = self.window.canvas
        canvas.stop_typing()
        x, y = 0.0, 0.0
        if canvas.start_typing(block, x, y):
            canvas.typing.anchor, canvas.typing.caret = match.start, match.end
            canvas.viewport().update()

    def replace(self) -> None:
        canvas = self.window.canvas
        typing = canvas.typing
        match = self.current
        if match is None or typing is None or typing.selection() != (match.start, match.end):
            self.find()
            return
        pattern = self._pattern()
        if pattern is None:
            return
        text = self.replace_text.text()
        if self.regex.isChecked():
            stream = self.window.session.document.stories[match.story].stream
            found = pattern.match(stream, match.start)
            text = found.expand(text) if found else text
        typing.insert(text)
        self.current = Match(match.story, match.start, match.start + len(text))
        self.find()

    def replace_everything(self) -> None:
        pattern = self._pattern() if self.find_text.text() else None
        if pattern is None:
            return
        count = replace_all(
            self.window.edit, pattern, self.replace_text.text(), self.regex.isChecked()
        )
        self.current = None
        self.result.setText(tr("替换了 {count} 处", count=count))
