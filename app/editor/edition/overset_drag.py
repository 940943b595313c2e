"""Dragging a story's overset marker (the red ＋ at its last frame) continues the story: dropped
on a page in the navigator, in that page's first free column area; dropped on the canvas, where
it is dropped (the grid cell under it, if there is room). Held over another page's thumbnail,
the canvas switches to that page (navigator), so a drop can land anywhere on any page.

The marker's place is the overlay's (`overlays.paint_overset`): a 12-pixel box whose bottom-right
corner is the bottom-right of the block's last frame. An event filter on the canvas's viewport
starts the drag and takes the drop, so the canvas itself is unchanged. The drag starts from the
event loop, not from inside the canvas's press, and belongs to the window: the canvas it began
on is replaced when the page switches under it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QObject, QPointF, QRectF, Qt, QTimer, Signal
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


def dragged_block(event) -> str | None:
    """The block id a drag of an overset marker carries, or None for any other drag."""
    mime = event.mimeData()
    return bytes(mime.data(MIME)).decode() if mime.hasFormat(MIME) else None


class OversetDrag(QObject):
    """Starts a drag when the left button goes down on an overset marker; takes its drop."""

    dropped = Signal(str, float, float)  # (block id, x, y points on the page shown)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        canvas.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if (
            kind == QEvent.Type.MouseButtonPress
            and event.button() == Qt.MouseButton.LeftButton
            and (marked := marker_at(self.canvas, event.position())) is not None
        ):
            window = self.canvas.window()
            QTimer.singleShot(0, window, lambda: start_drag(window, marked))
            return True
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            block_id = dragged_block(event)
            if block_id is None:
                return False  # files: the canvas's own drop
            event.acceptProposedAction()
            if kind == QEvent.Type.Drop:
                x, y = self.canvas.view().to_page(event.position())
                self.dropped.emit(block_id, x, y)
            return True
        return False


def start_drag(window, block_id: str) -> None:
    drag = QDrag(window)
    drag.setMimeData(continue_mime(block_id))
    drag.exec(Qt.DropAction.LinkAction)
