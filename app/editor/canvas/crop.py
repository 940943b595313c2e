"""Cropping a photo on the canvas: double-click it, then drag the picture inside its frame.

Dragging pans the visible part (`crop`); the wheel zooms it about its centre. While
cropping, the frame's own (white, square) handles give way to crop handles of their own
look: dark bars on the edges and corners of the visible part, with the whole picture's
outline dashed around it. A crop handle moves that edge of the visible part, and the
frame's with it, so the picture keeps its scale and place on the page and the edge crops
it (or shows more of it, up to the picture's own edge). Esc or a click outside the photo
ends cropping. A whole drag is one undo step.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen

from app.editor.canvas.overlays import HANDLE_PX, View, handle_points
from app.editor.canvas.tools import Tool
from app.editor.commands import photo as photos
from app.editor.commands.editing import resize_block
from app.editor.i18n import tr
from app.model.blocks import PhotoBlock, block_frames
from app.model.geometry import frame_rect

ZOOM_STEP = 1.1
CROP_ARM_PX = 12  # length of a crop handle's bar (each arm of a corner's L), in view pixels
CROP_PEN_PX = 4
CROP_COLOR = QColor(30, 30, 30)


class CropTool(Tool):
    cursor = Qt.CursorShape.SizeAllCursor
    frame_handles = False  # the crop handles stand in for them

    def __init__(self, canvas, block_id: str):
        super().__init__(canvas)
        self.block_id = block_id
        self.start = QPointF()
        self.original: PhotoBlock | None = None
        self.handle = ""
        self.in_macro = False

    def photo(self) -> PhotoBlock:
        return self.canvas.session.document.block(self.block_id)

    def press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.handle = self.hit_crop_handle(event.position()) or ""
        hit = self.canvas.hit_block(event.position())
        if not self.handle and (hit is None or hit[0] != self.block_id):
            self.canvas.set_tool("select")
            self.canvas.tool.press(event)
            return
        self.start = event.position()
        self.original = self.photo()
        self.in_macro = False

    def move(self, event: QMouseEvent) -> None:
        if self.original is None:
            return
        delta = event.position() - self.start
        scale = self.canvas.view().scale
        self._apply(self.original, delta.x() / scale, delta.y() / scale)

    def release(self, event: QMouseEvent) -> None:
        if self.original is None:
            return
        self.original = None
        if self.in_macro:
            self.in_macro = False
            self.canvas.session.undo_stack.endMacro()

    def _apply(self, block: PhotoBlock, dx: float, dy: float) -> None:
        """`block` (the photo as the drag started) panned, or cropped by its handle, by (dx, dy)."""
        grid = self.canvas.grid
        rect = frame_rect(block.frame, grid)
        left, top, right, bottom = block.crop
        per_x = (right - left) / rect.w if rect.w else 0.0  # picture fraction per point
        per_y = (bottom - top) / rect.h if rect.h else 0.0
        if not self.handle:  # the picture follows the pointer
            changed = replace(block, crop=photos.pan_crop(block.crop, -dx * per_x, -dy * per_y))
        else:
            resized = resize_block(block, 0, self.handle, dx, dy, grid, snap=True)
            frame = block_frames(resized)[0]
            new = frame_rect(frame, grid)
            crop = (
                left - (rect.x - new.x) * per_x,
                top - (rect.y - new.y) * per_y,
                right + (new.right - rect.right) * per_x,
                bottom + (new.bottom - rect.bottom) * per_y,
            )
            if not (0 <= crop[0] < crop[2] <= 1 and 0 <= crop[1] < crop[3] <= 1):
                return  # the frame may not show more than the picture
            x0, y0, x1, y1 = (round(v, 5) for v in crop)
            changed = replace(block, frame=frame, crop=(x0, y0, x1, y1))
        if changed == self.photo():
            return
        if not self.in_macro:  # a whole drag is one undo step
            self.in_macro = True
            self.canvas.session.undo_stack.beginMacro(tr("图片裁切"))
        self.canvas.edit.replace_blocks([changed], tr("图片裁切"), merge_id=CROP_ID)

    def wheel(self, steps: float) -> bool:
        block = self.photo()
        pixels = photos.picture_size(block, self.canvas.session.document.base_dir())
        if pixels is None:
            return True
        rect = frame_rect(block.frame, self.canvas.grid)
        zoom = photos.zoom_of(block.crop, pixels, rect.w, rect.h) * ZOOM_STEP**steps
        changed = photos.filled(block, self.canvas.grid, pixels, max(1.0, zoom))
        self.canvas.edit.replace_blocks([changed], tr("图片裁切"), merge_id=CROP_ID)
        return True

    def hit_crop_handle(self, pos: QPointF) -> str | None:
        """The crop handle (n, se, …) within reach of a view position, if any."""
        view = self.canvas.view()
        for name, (x, y) in handle_points(self.photo(), 0, self.canvas.grid).items():
            p = view.point(x, y)
            if abs(p.x() - pos.x()) <= HANDLE_PX and abs(p.y() - pos.y()) <= HANDLE_PX:
                return name
        return None

    def paint(self, painter: QPainter, view: View) -> None:
        block = self.photo()
        frame = frame_rect(block.frame, self.canvas.grid)
        rect = view.rect(frame)
        left, top, right, bottom = block.crop
        if right > left and bottom > top:  # the whole picture, at its scale and place
            width, height = rect.width() / (right - left), rect.height() / (bottom - top)
            whole = QRectF(rect.x() - left * width, rect.y() - top * height, width, height)
            painter.setPen(QPen(QColor(230, 120, 0), 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(whole)
        painter.setPen(QPen(QColor(230, 120, 0), 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        pen = QPen(CROP_COLOR, CROP_PEN_PX)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        arm = CROP_ARM_PX
        for name, (x, y) in handle_points(block, 0, self.canvas.grid).items():
            p = view.point(x, y)
            # Bars lie along the edges, inside the frame: an L at a corner, a bar mid-edge.
            inward_x = 1 if "w" in name else -1
            inward_y = 1 if "n" in name else -1
            if name in ("n", "s"):
                painter.drawLine(QPointF(p.x() - arm / 2, p.y()), QPointF(p.x() + arm / 2, p.y()))
            elif name in ("e", "w"):
                painter.drawLine(QPointF(p.x(), p.y() - arm / 2), QPointF(p.x(), p.y() + arm / 2))
            else:
                painter.drawLine(p, QPointF(p.x() + inward_x * arm, p.y()))
                painter.drawLine(p, QPointF(p.x(), p.y() + inward_y * arm))


CROP_ID = 3
