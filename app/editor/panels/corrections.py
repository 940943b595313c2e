"""The corrections panel (校对意见): proofreaders' marks by round and proofreader, decided here.

Each row shows the action, the marked text in its current context (the marked part in
bold red), the proposed change, the proofreader and the state. Choosing a row selects
the block and brings the marked characters into view, highlighted on the canvas from
the layout's text map (`TextLine.char_x`). Accept, reject, reply and "accept all open"
go through `ProofActions`, so each is one undo step and the page re-composes at once.
"""

from __future__ import annotations

import getpass
import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QPalette,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editor.canvas.overlays import View
from app.editor.canvas.page_canvas import PageCanvas
from app.editor.canvas.proof_highlight import Spot, paint_spots, range_spots
from app.editor.commands.proof import ProofActions
from app.editor.dialogs.proof import ProofPrompts, round_label
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.model.geometry import RectPt
from app.model.proofing import Correction
from app.proof.corrections import CorrectionView, Outcome, current_range, shown, views

ID_ROLE = Qt.ItemDataRole.UserRole
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
ACTION_NAMES = {"delete": "删除", "insert": "插入", "replace": "替换", "comment": "批注"}
STATE_NAMES = {"open": "待处理", "applied": "已采用", "rejected": "已退回"}
STATE_COLORS = {"open": QColor(200, 110, 0), "applied": QColor(0, 130, 60), "rejected": QColor(190, 0, 0)}  # fmt: skip
ModelIndex = QModelIndex | QPersistentModelIndex  # what a delegate is handed
ZOOM_TO = 2.5  # view pixels per point when jumping to a correction (body text ≈ 25 px)


class CorrectionsPanel(QWidget):
    message = Signal(str)
    problem = Signal(str)  # something the user must read (failed decisions)

    def __init__(
        self,
        session: Session,
        actions: ProofActions,
        canvas: PageCanvas,
        prompts: ProofPrompts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.proof_actions = actions
        self.canvas = canvas
        self.prompts = prompts
        self.user = getpass.getuser()
        self.current_id = ""
        self.highlight: list[Spot] = []
        self._filling = False
        self._stale = False

        self.filter = QComboBox()
        self.accept_button, self.reject_button = QPushButton(), QPushButton()
        self.reply_button, self.accept_all_button = QPushButton(), QPushButton()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setItemDelegateForColumn(1, RichTextDelegate(self.tree))
        self.tree.setUniformRowHeights(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for widget in (self.filter, self.accept_button, self.reject_button, self.reply_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_all_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(buttons)
        column.addWidget(self.tree, 1)
        column.addWidget(self.detail)

        self.filter.currentIndexChanged.connect(lambda _: self.refresh())
        self.accept_button.clicked.connect(lambda: self.accept_selected())
        self.reject_button.clicked.connect(lambda: self.reject_selected())
        self.reply_button.clicked.connect(lambda: self.reply_to_current())
        self.accept_all_button.clicked.connect(lambda: self.accept_all())
        self.tree.currentItemChanged.connect(lambda item, _: self._on_current(item))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        session.document_changed.connect(self._on_document_change)
        session.layout_changed.connect(lambda *_: self._update_highlight())
        canvas.overlay_painters.append(self.paint_highlight)
        self.retranslate()

    # -- the list ---------------------------------------------------------------------------------
    @property
    def open_only(self) -> bool:
        return self.filter.currentIndex() == 0

    def _on_document_change(self, kind: str, ids: tuple) -> None:
        """Proof changes re-list at once; typing only when it touches a marked story (the
        context shown changes), and a hidden panel waits until it is shown."""
        corrections = self.session.document.proof.corrections
        if kind == "story" and not any(c.story in ids for c in corrections):
            return
        if kind in ("proof", "story"):
            if self.isVisible() or kind == "proof":
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._filling = True
        self._stale = False
        self.tree.clear()
        chosen: QTreeWidgetItem | None = None
        groups: dict[tuple, QTreeWidgetItem] = {}
        for view in views(self.session.document):
            c = view.correction
            if self.open_only and c.state != "open":
                continue
            round_item = groups.get((c.round,))
            if round_item is None:
                round_item = groups[(c.round,)] = self._group(self.tree, round_label(c.round))
            author_item = groups.get((c.round, c.author))
            if author_item is None:
                author_item = groups[(c.round, c.author)] = self._group(
                    round_item, c.author or tr("（未署名）")
                )
            item = self._row(view)
            author_item.addChild(item)
            if c.id == self.current_id:
                chosen = item
        for key, item in groups.items():
            rows = [item] if len(key) == 2 else _children(item)
            total = sum(r.childCount() for r in rows)
            item.setText(0, f"{item.text(0)}（{total}）")
        self.tree.expandAll()
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._filling = False
        self._show_detail()
        self._update_buttons()
        self._update_highlight()

    @staticmethod
    def _group(parent: QTreeWidget | QTreeWidgetItem, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text])
        item.setFirstColumnSpanned(True)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        return item

    def _row(self, view: CorrectionView) -> QTreeWidgetItem:
        c = view.correction
        marked = view.marked or ("‸" if c.action == "insert" else "")
        context = (
            f"{html.escape(view.before)}<b style='color:#c00000'>{html.escape(marked)}</b>"
            f"{html.escape(view.after)}"
        )
        plain = f"{view.before}【{marked}】{view.after}"
        if not c.pinned:
            context = f"<i>{tr('未定位')}</i>" + (f" {context}" if marked else "")
            plain = f"{tr('未定位')} {plain}" if marked else tr("未定位")
        elif c.review and c.state == "open":
            context = f"<i>{tr('待人工核对')}</i> {context}"
            plain = f"{tr('待人工核对')} {plain}"
        elif not view.located:
            context = f"<i>{tr('原文已改动')}</i> {context}"
            plain = f"{tr('原文已改动')} {plain}"
        item = QTreeWidgetItem(
            [tr(ACTION_NAMES[c.action]), plain, self.proposal(view), c.author, tr(STATE_NAMES[c.state])]
        )  # fmt: skip
        item.setData(0, ID_ROLE, c.id)
        item.setData(1, HTML_ROLE, context)
        item.setForeground(4, STATE_COLORS[c.state])
        item.setToolTip(1, c.unpinned_reason or c.review or plain)
        if c.why:
            item.setToolTip(4, tr("理由：{why}", why=c.why))
        return item

    @staticmethod
    def proposal(view: CorrectionView) -> str:
        c = view.correction
        old, new = shown(c.text), shown(c.replacement)
        match c.action:
            case "delete":
                return tr("删除「{marked}」", marked=old)
            case "insert":
                return tr("插入「{new}」", new=new)
            case "replace":
                return tr("「{old}」改为「{new}」", old=old, new=new)
        return shown(c.contents) or tr("（无说明）")

    # -- choosing a row ---------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        return [i.data(0, ID_ROLE) for i in self.tree.selectedItems() if i.data(0, ID_ROLE)]

    def select_correction(self, correction_id: str) -> None:
        """Choose a row as a click would (tests, and after decisions)."""
        for item in self._rows():
            if item.data(0, ID_ROLE) == correction_id:
                self.tree.setCurrentItem(item)
                return
        raise KeyError(correction_id)

    def _rows(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = _children(self.tree.invisibleRootItem())  # its children: the top-level items
        while stack:
            item = stack.pop(0)
            if item.data(0, ID_ROLE):
                found.append(item)
            stack[:0] = _children(item)
        return found

    def _on_current(self, item: QTreeWidgetItem | None) -> None:
        if self._filling:
            return
        self.current_id = item.data(0, ID_ROLE) if item is not None else ""
        self._show_detail()
        self._update_highlight()
        if not self.highlight:
            correction = self._current()
            if correction is not None and correction.pinned:
                self.message.emit(tr("所标文字不在版面上（超排或已删去）"))
            return
        first = self.highlight[0]
        self.session.select([first.block], first.frame)
        self._zoom_to(first.rect)

    def _current(self) -> Correction | None:
        return next(
            (c for c in self.session.document.proof.corrections if c.id == self.current_id), None
        )

    def _update_highlight(self) -> None:
        c = self._current()
        layout = self.session.layout
        spots: list[Spot] = []
        if c is not None and layout:
            found = current_range(self.session.document, c)
            if found:
                spots = range_spots(layout, c.story, *found)
        if spots != self.highlight:
            self.highlight = spots
            self.canvas.viewport().update()

    def _zoom_to(self, rect: RectPt) -> None:
        canvas = self.canvas
        if canvas.scale < ZOOM_TO:
            canvas.set_scale(ZOOM_TO)
        target = canvas.view().point(rect.x + rect.w / 2, rect.y + rect.h / 2)
        centre = canvas.viewport().rect().center()
        h, v = canvas.horizontalScrollBar(), canvas.verticalScrollBar()
        h.setValue(h.value() + round(target.x() - centre.x()))
        v.setValue(v.value() + round(target.y() - centre.y()))
        canvas.viewport().update()

    def paint_highlight(self, painter: QPainter, view: View) -> None:
        paint_spots(painter, view, self.highlight)

    def _show_detail(self) -> None:
        c = self._current()
        if c is None:
            self.detail.setText("")
            return
        esc = html.escape
        parts = [f"<b>{esc(c.author or tr('（未署名）'))}</b> · {esc(c.type)} · {esc(c.id)}"]
        if c.contents:
            parts.append(tr("批注：{note}", note=esc(shown(c.contents))))
        if not c.pinned:
            parts.append(tr("未定位：{reason}", reason=esc(c.unpinned_reason)))
        elif c.review:
            parts.append(tr("待人工核对：{reason}", reason=esc(c.review)))
        if c.why:
            parts.append(tr("退回理由：{why}", why=esc(c.why)))
        if c.viewer_state:
            parts.append(tr("阅读器中的状态：{state}", state=esc(c.viewer_state)))
        for reply in c.replies:
            parts.append(f"↳ <b>{esc(reply.author)}</b>：{esc(reply.text)}")
        self.detail.setText("<br>".join(parts))

    def _update_buttons(self) -> None:
        chosen = [c for c in self.session.document.proof.corrections if c.id in self.selected_ids()]
        self.accept_button.setEnabled(any(c.state == "open" for c in chosen))
        self.reject_button.setEnabled(any(c.state != "rejected" for c in chosen))
        self.reply_button.setEnabled(bool(self.current_id))
        self.accept_all_button.setEnabled(
            any(c.state == "open" for c in self.session.document.proof.corrections)
        )

    # -- deciding ---------------------------------------------------------------------------------
    def accept_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._report(self.proof_actions.accept(ids, by=self.user), "已采用 {count} 条")

    def accept_all(self) -> None:
        self._report(self.proof_actions.accept_all_open(by=self.user), "已采用 {count} 条")

    def reject_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        why = self.prompts.reason(len(ids))
        if why is None or not why.strip():
            return
        self._report(self.proof_actions.reject(ids, why.strip(), by=self.user), "已退回 {count} 条")

    def reply_to_current(self) -> None:
        if not self.current_id:
            return
        text = self.prompts.text(tr("回复"), tr("回复内容："))
        if text and text.strip():
            self.proof_actions.reply(self.current_id, text.strip(), by=self.user)
            self.message.emit(tr("已回复"))

    def _report(self, outcome: Outcome, done_text: str) -> None:
        self.message.emit(tr(done_text, count=len(outcome.done)))
        if outcome.failed:
            lines = [f"{key}: {why}" for key, why in outcome.failed]
            self.problem.emit(
                tr("{count} 条未能处理：", count=len(outcome.failed)) + "\n" + "\n".join(lines)
            )

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([tr("动作"), tr("原文"), tr("修改"), tr("校对人"), tr("状态")])
        index = max(0, self.filter.currentIndex())
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItems([tr("只看待处理"), tr("全部")])
        self.filter.setCurrentIndex(index)
        self.filter.blockSignals(False)
        self.accept_button.setText(tr("采用"))
        self.reject_button.setText(tr("退回…"))
        self.reply_button.setText(tr("回复…"))
        self.accept_all_button.setText(tr("全部采用"))
        self.refresh()


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """`item`'s children (`child()` is typed optional: None only for an index out of range)."""
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


class RichTextDelegate(QStyledItemDelegate):
    """Paints a cell's HTML (HTML_ROLE): the marked characters emphasised inside their context."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        markup = index.data(HTML_ROLE)
        if not markup:
            super().paint(painter, option, index)
            return
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = self._document(markup, option)
        painter.save()
        top = option.rect.top() + (option.rect.height() - document.size().height()) / 2
        painter.translate(option.rect.left() + 2, top)
        painter.setClipRect(QRectF(0, 0, option.rect.width() - 4, document.size().height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(
                QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.HighlightedText)
            )
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        markup = index.data(HTML_ROLE)
        if not markup:
            return super().sizeHint(option, index)
        size = self._document(markup, option).size()
        return QSize(round(size.width()) + 4, round(size.height()))

    @staticmethod
    def _document(markup: str, option: QStyleOptionViewItem) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(1)
        document.setHtml(markup)
        return document
