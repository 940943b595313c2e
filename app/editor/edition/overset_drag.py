"""Dragging a story's overset marker (the red ＋ at its last frame) onto a page in the navigator
continues the story on that page: the canvas starts the drag, the navigator takes the drop.

The marker's place is the overlay's (`overlays.paint_overset`): a 12-pixel box whose bottom-right
corner is the bottom-right of the block's last frame. An event filter on the canvas's viewport
starts the drag, so the canvas itself is unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QDrag

from app.editor.commands.editing import block_rects

MIME = "application/x-pasteup-continue"  # the dragged block's id, UTF-8
MARKER_PX = 12


def marker_at(canvas, pos: QPointF) -> str | None:
    """The id of the block whose overset marker is at `pos` (view pixels), if any."""
    layout = canvas.session.layout
    if layout is None:
        return None
    blocks = {b.id: b for b in canvas.session.document.blocks}
    view = canvas.view()
    for frame in layout.blocks:
        if frame.overset_chars <= 0 or frame.block not in blocks:
            continue
        last = block_rects(blocks[frame.block], canvas.grid)[-1]
        corner = view.point(last.right, last.bottom)
        box = QRectF(corner.x() - MARKER_PX, corner.y() - MARKER_PX, MARKER_PX, MARKER_PX)
        if box.adjusted(-2, -2, 2, 2).contains(pos):
            return frame.block
    return None


def continue_mime(block_id: str) -> QMimeData:
    data = QMimeData()
    data.setData(MIME, block_id.encode())
    return data


class OversetDrag(QObject):
    """Starts a drag when the left button goes down on an overset marker."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        canvas.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and event.button() == Qt.MouseButton.LeftButton
            and (block_id := marker_at(self.canvas, event.position())) is not None
        ):
            drag = QDrag(self.canvas)
            drag.setMimeData(continue_mime(block_id))
            drag.exec(Qt.DropAction.LinkAction)
            return True
        return False
