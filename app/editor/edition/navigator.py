"""The page navigator (版面导航): every page of the edition as a live thumbnail, in plan order,
with its number, name, stage and — in the team store — who is editing it, relabelled as the
workspace's `board_changed` says; a click switches the window to that page."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.compose.layout import PageLayout, to_pt
from app.editor.canvas.painter import paint_items
from app.editor.canvas.resources import PaintResources
from app.editor.edition.overset_drag import dragged_block
from app.editor.edition.workspace import EditionWorkspace
from app.editor.i18n import tr

THUMB_WIDTH = 120  # pixels
HOVER_MS = 700  # an overset marker held this long over a page's thumbnail shows that page


def thumbnail(layout: PageLayout, resources: PaintResources, width: int = THUMB_WIDTH) -> QImage:
    """The page painted small by the canvas's painter (the same display list, never re-set)."""
    scale = width / to_pt(layout.width)
    image = QImage(width, max(1, round(to_pt(layout.height) * scale)), QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(scale, scale)
    paint_items(painter, layout, layout.items, resources)
    painter.setPen(Qt.GlobalColor.gray)
    painter.drawRect(QRectF(0, 0, to_pt(layout.width), to_pt(layout.height)))
    painter.end()
    return image


class PageNavigator(QListWidget):
    page_chosen = Signal(str)
    continue_requested = Signal(str, str)  # (block id, page id): an overset marker dropped here

    def __init__(self, workspace: EditionWorkspace, resources: PaintResources):
        super().__init__()
        self.workspace = workspace
        self.resources = resources
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setFlow(QListWidget.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListWidget.Movement.Static)
        self.setIconSize(QSize(THUMB_WIDTH, THUMB_WIDTH * 3 // 2))
        self.setSpacing(4)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self._hover = QTimer(self)
        self._hover.setSingleShot(True)
        self._hover.setInterval(HOVER_MS)
        self._hover.timeout.connect(self._on_hover)
        self.rebuild()
        workspace.pages_changed.connect(self._on_pages_changed)
        workspace.plan_changed.connect(self.rebuild)
        workspace.board_changed.connect(self._on_board_changed)
        workspace.page_switched.connect(self._on_page_switched)
        self.itemClicked.connect(
            lambda item: self.page_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        )

    def rebuild(self) -> None:
        """One item per page in plan order (after the plan changed)."""
        self.clear()
        for page in self.workspace.edition.pages:
            item = QListWidgetItem(self)
            item.setData(Qt.ItemDataRole.UserRole, page.id)
            self._paint(item, page.id)
        self._on_page_switched(self.workspace.current)

    def item_of(self, page_id: str) -> QListWidgetItem:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == page_id:
                return item
        raise KeyError(page_id)

    def retranslate(self) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setText(self._label(item.data(Qt.ItemDataRole.UserRole)))

    def _label(self, page_id: str) -> str:
        page = self.workspace.page(page_id)
        label = f"{page.label} {page.name}\n{tr(page.stage)}"
        holder = self.workspace.holder(page_id)
        return label + "\n" + tr("{holder} 编辑中", holder=holder) if holder else label

    def _paint(self, item: QListWidgetItem, page_id: str) -> None:
        image = thumbnail(self.workspace.layout(page_id), self.resources)
        item.setIcon(QIcon(QPixmap.fromImage(image)))
        item.setText(self._label(page_id))

    def _on_pages_changed(self, ids: tuple) -> None:
        for page_id in ids:
            try:
                self._paint(self.item_of(page_id), page_id)
            except KeyError:
                self.rebuild()
                return

    def _on_board_changed(self, ids: tuple) -> None:
        for page_id in ids:
            with contextlib.suppress(KeyError):
                self.item_of(page_id).setText(self._label(page_id))

    # -- an overset marker dropped on a page ---------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if dragged_block(event) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if dragged_block(event) is None or item is None:
            self._hover.stop()
            event.ignore()
            return
        event.acceptProposedAction()
        page_id = item.data(Qt.ItemDataRole.UserRole)
        if page_id == self.workspace.current:
            self._hover.stop()
        elif not self._hover.isActive() or self._hover.property("page") != page_id:
            self._hover.setProperty("page", page_id)  # held here a moment: show that page
            self._hover.start()

    def dragLeaveEvent(self, event) -> None:
        self._hover.stop()

    def dropEvent(self, event) -> None:
        self._hover.stop()
        item = self.itemAt(event.position().toPoint())
        block_id = dragged_block(event)
        if block_id is None or item is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.continue_requested.emit(block_id, item.data(Qt.ItemDataRole.UserRole))

    def _on_hover(self) -> None:
        self.page_chosen.emit(self._hover.property("page"))

    def _on_page_switched(self, page_id: str) -> None:
        with contextlib.suppress(KeyError):
            self.setCurrentItem(self.item_of(page_id))
