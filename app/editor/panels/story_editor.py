"""The story editor: the selected block's story as plain text, a role per paragraph.

A QPlainTextEdit keeps input methods (拼音, 五笔 …) working: only committed text
reaches the document, as one `replace(start, end, text)` on the story's character
stream, found by diffing against the last synced text. Paragraph separators in
QTextDocument are U+2029, the stream's separator, so positions map one to one.
A gutter shows each paragraph's role; the copyfit bar shows characters, lines and
overset/underset from the current layout.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QRect, QSize, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.compose.layout import BlockFrame, to_pt
from app.editor.canvas.inplace import ROLE_KEYS
from app.editor.commands.actions import EditActions
from app.editor.commands.placing import is_marked_up, paste_marked
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model.styles import ROLES

GUTTER_PX = 44
ROLE_COLORS = {
    "主题": QColor(200, 40, 40),
    "引题": QColor(200, 110, 0),
    "副题": QColor(200, 110, 0),
    "作者": QColor(0, 120, 60),
    "小标题": QColor(120, 40, 160),
}


class StoryTextEdit(QPlainTextEdit):
    """Plain text with a role gutter on the left. Pasted text with line breaks or 【role】
    tags goes to `paste_marked` (parsed like a story file) instead of in as it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roles: list[str] = []
        # (start, end, text) → caret, set by StoryEditor
        self.paste_marked: Callable[[int, int, str], int | None] | None = None
        # (paragraph, role): Ctrl+Alt+1…6, as when typing on the canvas
        self.set_role: Callable[[int, str], None] | None = None
        self.gutter = _Gutter(self)
        self.setViewportMargins(GUTTER_PX, 0, 0, 0)
        self.updateRequest.connect(self._update_gutter)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers()
        both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if mods & both == both and event.key() in ROLE_KEYS and self.set_role is not None:
            self.set_role(self.textCursor().blockNumber(), ROLE_KEYS[event.key()])
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text() if source.hasText() else ""
        if self.paste_marked is not None and is_marked_up(text):
            cursor = self.textCursor()
            start, end = sorted((cursor.anchor(), cursor.position()))
            caret = self.paste_marked(start, end, text)
            if caret is not None:
                cursor = self.textCursor()
                cursor.setPosition(min(caret, len(self.toPlainText())))
                self.setTextCursor(cursor)
            return
        super().insertFromMimeData(source)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), GUTTER_PX, rect.height()))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), GUTTER_PX, rect.height())

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        painter.fillRect(event.rect(), QColor(240, 240, 240))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        while block.isValid() and top <= event.rect().bottom():
            height = round(self.blockBoundingRect(block).height())
            number = block.blockNumber()
            if block.isVisible() and number < len(self.roles):
                role = self.roles[number]
                painter.setPen(ROLE_COLORS.get(role, QColor(90, 90, 90)))
                painter.drawText(
                    QRect(2, top, GUTTER_PX - 6, self.fontMetrics().height()),
                    Qt.AlignmentFlag.AlignRight,
                    role,
                )
            block = block.next()
            top += height
        painter.end()


class _Gutter(QWidget):
    def __init__(self, editor: StoryTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(GUTTER_PX, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_gutter(event)


class StoryEditor(QWidget):
    def __init__(
        self, session: Session, actions: EditActions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.edit = actions
        self.story_id = ""
        self._synced = ""  # the stream the text box last agreed with the document on
        self._pushing = False
        self.title = QLabel()
        self.role_box = QComboBox()
        self.role_box.addItems(ROLES)
        self.role_box.activated.connect(self._on_role_chosen)
        self.text = StoryTextEdit()
        self.text.paste_marked = self._paste_marked
        self.text.set_role = self._set_role
        self.text.document().contentsChanged.connect(self._on_text_changed)
        self.text.cursorPositionChanged.connect(self._show_role)
        self.copyfit = QLabel()
        self.copyfit.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        self.role_label = QLabel()
        header.addWidget(self.role_label)
        header.addWidget(self.role_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.copyfit)
        session.selection_changed.connect(self._on_selection)
        session.document_changed.connect(self._on_document_change)
        session.layout_changed.connect(lambda *_: self.update_copyfit())
        session.story_holders_changed.connect(self._follow_holder)
        self.retranslate()
        self._on_selection()

    def holder(self) -> str:
        """Who else holds the story shown (the team store locks a story's text apart from
        its page's layout); "" when it may be edited here."""
        return self.session.story_holder(self.story_id) if self.story_id else ""

    def _follow_holder(self) -> None:
        """Someone else holds the story: the text can be read and copied, not typed into."""
        holder = self.holder()
        self.text.setReadOnly(bool(holder))
        self.role_box.setEnabled(bool(self.story_id) and not holder)
        self.retranslate()

    # -- which story ----------------------------------------------------------------------------
    def _on_selection(self) -> None:
        blocks = self.session.selected_blocks()
        story = getattr(blocks[0], "story", "") if len(blocks) == 1 else ""
        if story != self.story_id:
            self.show_story(story)

    def show_story(self, story_id: str) -> None:
        self.story_id = story_id
        self.text.setEnabled(bool(story_id))
        self._load(keep_cursor=False)
        self._follow_holder()

    def _load(self, keep_cursor: bool) -> None:
        story = self.session.document.stories.get(self.story_id)
        stream = story.stream if story else ""
        position = self.text.textCursor().position()
        self._pushing = True
        self.text.setPlainText(stream.replace("\u2029", "\n"))
        self._pushing = False
        self._synced = stream
        self.text.roles = [p.role for p in story.paragraphs] if story else []
        if keep_cursor:
            cursor = self.text.textCursor()
            cursor.setPosition(min(position, len(stream)))
            self.text.setTextCursor(cursor)
        self.text.gutter.update()
        self._show_role()
        self.update_copyfit()

    # -- typing → document ------------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        if self._pushing or not self.story_id:
            return
        current = self.text.document().toRawText()
        start, end, inserted = _difference(self._synced, current)
        if start == end and not inserted:
            return
        self._pushing = True
        try:
            self.edit.edit_text(self.story_id, start, end, inserted)
            self._synced = current
        finally:
            self._pushing = False
        story = self.session.document.stories.get(self.story_id)
        if story is not None and story.stream != current:  # refused: someone else holds it
            self._load(keep_cursor=True)

    def _on_document_change(self, kind: str, ids: tuple) -> None:
        if kind != "story" or self.story_id not in ids:
            return
        story = self.session.document.stories.get(self.story_id)
        if story is None:
            self.show_story("")
            return
        self.text.roles = [p.role for p in story.paragraphs]
        self.text.gutter.update()
        if not self._pushing and story.stream != self._synced:
            self._follow(story.stream)  # undo, redo, typing on the canvas, a replace
        self._show_role()

    def _paste_marked(self, start: int, end: int, text: str) -> int | None:
        if not self.story_id:
            return None
        try:
            return paste_marked(self.edit, self.story_id, start, end, text)
        except PasteupError as error:
            self.title.setText(str(error))
            return None

    def _follow(self, stream: str) -> None:
        """Bring the text box to `stream` by editing only the changed range: reloading a long
        story on every keystroke typed on the canvas cost more than composing it."""
        start, end, inserted = _difference(self._synced, stream)
        position = self.text.textCursor().position()
        self._pushing = True
        try:
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(inserted.replace("\u2029", "\n"))
            mine = self.text.textCursor()  # the cursor stays where it was, as on a reload
            mine.setPosition(min(position, len(stream)))
            self.text.setTextCursor(mine)
        finally:
            self._pushing = False
        self._synced = stream
        if self.text.document().toRawText() != stream:  # never drift from the story
            self._load(keep_cursor=True)

    # -- roles ------------------------------------------------------------------------------------
    def current_paragraph(self) -> int:
        return self.text.textCursor().blockNumber()

    def _show_role(self) -> None:
        paragraph = self.current_paragraph()
        if paragraph < len(self.text.roles):
            self.role_box.setCurrentText(self.text.roles[paragraph])

    def _on_role_chosen(self, index: int) -> None:
        self._set_role(self.current_paragraph(), ROLES[index])

    def _set_role(self, paragraph: int, role: str) -> None:
        if self.story_id:
            self.edit.set_role(self.story_id, paragraph, role)

    # -- copyfit ----------------------------------------------------------------------------------
    def update_copyfit(self) -> None:
        story = self.session.document.stories.get(self.story_id)
        layout = self.session.layout
        if story is None:
            self.copyfit.setText("")
            return
        parts = [tr("字数 {chars}", chars=story.char_count())]
        overset = 0
        if layout is not None:
            lines = sum(1 for line in layout.lines if line.story == self.story_id)
            parts.append(tr("{lines} 行", lines=lines))
            blocks = {
                b.id
                for b in self.session.document.blocks
                if getattr(b, "story", "") == self.story_id
            }
            frames = [f for f in layout.blocks if f.block in blocks]
            overset = sum(f.overset_chars for f in frames)
            overset_lines = sum(f.overset_lines for f in frames)
            underset = sum(f.underset_lines for f in frames)
            if overset:
                parts.append(
                    tr("超排 {chars} 字（{lines} 行）", chars=overset, lines=overset_lines)
                )
                parts.append(tr("需删 {chars} 字", chars=overset))
            elif underset:
                parts.append(tr("欠排 {lines} 行", lines=underset))
                per_line = _chars_per_line(frames, self.session.document.layout.grid.body_size)
                if per_line:
                    parts.append(tr("可补约 {chars} 字", chars=underset * per_line))
            elif frames:
                parts.append(tr("正好排满"))
        self.copyfit.setText(" · ".join(parts))
        self.copyfit.setStyleSheet("color: #c00000" if overset else "")

    def retranslate(self) -> None:
        self.role_label.setText(tr("段落角色"))
        title = tr("稿件 {story}", story=self.story_id) if self.story_id else tr("没有可编辑的稿件")
        if self.holder():
            title += tr("（只读：{holder} 正在编辑）", holder=self.holder())
        self.title.setText(title)
        self.update_copyfit()

    def place_cursor(self, position: int) -> None:
        cursor = self.text.textCursor()
        cursor.setPosition(position, QTextCursor.MoveMode.MoveAnchor)
        self.text.setTextCursor(cursor)


def _chars_per_line(frames: list[BlockFrame], body_pt: float) -> int:
    """Body characters one line of the story's columns holds (for 可补约 N 字)."""
    widths = [to_pt(column.w) for frame in frames for column in frame.frames]
    if not widths or body_pt <= 0:
        return 0
    return int(min(widths) / body_pt + 1e-6)


def _difference(old: str, new: str) -> tuple[int, int, str]:
    """The single replacement turning `old` into `new`: (start, end in old, inserted text)."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    old_end, new_end = len(old), len(new)
    while old_end > start and new_end > start and old[old_end - 1] == new[new_end - 1]:
        old_end -= 1
        new_end -= 1
    return start, old_end, new[start:new_end]
