"""Mouse tools on the canvas: select/move/resize, and drawing a new block.

A drag shows a preview of where the blocks will go and commits one undo step on
release. Snapping to columns and body lines is on unless Shift is held.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen

from app.editor.canvas.overlays import View, paint_preview
from app.editor.commands.editing import move_block, resize_block
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model.blocks import Block
from app.model.geometry import RectPt

DRAG_START_PX = 3


def snapping(event: QMouseEvent) -> bool:
    return not event.modifiers() & Qt.KeyboardModifier.ShiftModifier


class Tool:
    cursor = Qt.CursorShape.ArrowCursor
    frame_handles = True  # whether the selected frame's handles show and resize it

    def __init__(self, canvas) -> None:
        self.canvas = canvas

    def press(self, event: QMouseEvent) -> None: ...
    def move(self, event: QMouseEvent) -> None: ...
    def release(self, event: QMouseEvent) -> None: ...
    def paint(self, painter: QPainter, view: View) -> None: ...

    def wheel(self, steps: float) -> bool:
        """A plain wheel turn; True if the tool used it (else the canvas scrolls)."""
        return False


class SelectTool(Tool):
    """Click selects (Ctrl toggles, Shift adds), drag moves, handles resize, empty drag bands."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.mode = ""
        self.start = QPointF()
        self.preview: list[Block] = []
        self.handle = ""
        self.band = QRectF()

    def press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        canvas, session = self.canvas, self.canvas.session
        self.start = event.position()
        self.preview = []
        handle = canvas.hit_handle(event.position())
        if handle is not None and not session.read_only_by:
            self.mode, self.handle = "resize", handle
            return
        hit = canvas.hit_block(event.position())
        modifiers = event.modifiers()
        toggling = modifiers & Qt.KeyboardModifier.ControlModifier
        if hit is None:
            if not (toggling or modifiers & Qt.KeyboardModifier.ShiftModifier):
                session.select([])
            self.mode = "band"
            self.band = QRectF(self.start, self.start)
            return
        block_id, frame = hit
        if toggling:  # Ctrl-click: add or remove, no drag
            ids = list(session.selection)
            ids.remove(block_id) if block_id in ids else ids.append(block_id)
            session.select(ids, frame)
            self.mode = ""
            return
        if block_id in session.selection:
            session.select(session.selection, frame)
        elif modifiers & Qt.KeyboardModifier.ShiftModifier:  # Shift-click adds, and may drag
            session.select([*session.selection, block_id], frame)
        else:
            session.select([block_id], frame)
        self.mode = "" if session.read_only_by else "move"  # read-only: select, never drag

    def move(self, event: QMouseEvent) -> None:
        if not self.mode:
            return
        delta = event.position() - self.start
        if self.mode == "band":
            self.band = QRectF(self.start, event.position()).normalized()
            self.canvas.viewport().update()
            return
        if max(abs(delta.x()), abs(delta.y())) < DRAG_START_PX and not self.preview:
            return
        scale = self.canvas.view().scale
        dx, dy = delta.x() / scale, delta.y() / scale
        session, grid = self.canvas.session, self.canvas.grid
        snap = snapping(event)
        if self.mode == "move":
            self.preview = [move_block(b, dx, dy, grid, snap) for b in session.selected_blocks()]
        elif self.mode == "resize":
            block = session.selected_blocks()[0]
            self.preview = [
                resize_block(block, session.active_frame, self.handle, dx, dy, grid, snap)
            ]
        self.canvas.viewport().update()

    def release(self, event: QMouseEvent) -> None:
        mode, preview = self.mode, self.preview
        self.mode, self.preview = "", []
        if mode == "band":
            view = self.canvas.view()
            x0, y0 = view.to_page(self.band.topLeft())
            x1, y1 = view.to_page(self.band.bottomRight())
            ids = self.canvas.blocks_in(RectPt(x0, y0, x1 - x0, y1 - y0))
            if ids:
                session = self.canvas.session
                session.select(list(session.selection) + ids)
            self.canvas.viewport().update()
            return
        if preview:
            text = tr("移动") if mode == "move" else tr("调整大小")
            self.canvas.edit.replace_blocks(preview, text)
        self.canvas.viewport().update()

    def paint(self, painter: QPainter, view: View) -> None:
        if self.mode == "band" and not self.band.isEmpty():
            painter.setPen(QPen(QColor(0, 102, 255), 1, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(0, 102, 255, 25))
            painter.drawRect(self.band)
        if self.preview:
            paint_preview(painter, view, self.preview, self.canvas.grid)


class CreateTool(Tool):
    """Drag out a rectangle; a block of `kind` is created there (snapped unless Shift)."""

    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas, kind: str):
        super().__init__(canvas)
        self.kind = kind
        self.start = QPointF()
        self.rect = QRectF()
        self.active = False

    def press(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.canvas.session.editable():
            self.active = True
            self.start = event.position()
            self.rect = QRectF(self.start, self.start)

    def move(self, event: QMouseEvent) -> None:
        if self.active:
            self.rect = QRectF(self.start, event.position()).normalized()
            self.canvas.viewport().update()

    def release(self, event: QMouseEvent) -> None:
        if not self.active:
            return
        self.active = False
        view = self.canvas.view()
        x0, y0 = view.to_page(self.rect.topLeft())
        x1, y1 = view.to_page(self.rect.bottomRight())
        grid = self.canvas.grid
        if x1 - x0 < 2 and y1 - y0 < 2:  # a click: one column wide, ten lines deep
            x1, y1 = x0 + grid.column_width, y0 + grid.depth_height(10)
        rect = RectPt(x0, y0, x1 - x0, y1 - y0)
        try:
            if self.kind == "photo":  # a picture frame is made by placing a picture
                image = self.canvas.ask_image()
                if image is not None:
                    self.canvas.edit.place_image(image, rect, snapping(event))
            else:
                self.canvas.edit.create(self.kind, rect, snapping(event))
        except PasteupError as error:
            self.canvas.message.emit(str(error))
        self.canvas.set_tool("select")

    def paint(self, painter: QPainter, view: View) -> None:
        if self.active:
            painter.setPen(QPen(QColor(0, 102, 255), 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect)
