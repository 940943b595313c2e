"""The page canvas: the composed page at any zoom, with guides, outlines and tools.

Page content comes from the layout through `PageCache` (painted by `painter.py`);
guides, outlines and handles are drawn in view pixels on top (`overlays.py`). Mouse
gestures go to the current tool (`tools.py`); edits go through `EditActions`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QKeySequence, QPainter, QTransform
from PySide6.QtWidgets import QAbstractScrollArea

from app.compose.layout import PageLayout, to_pt
from app.editor.canvas import overlays
from app.editor.canvas.drops import DropTarget
from app.editor.canvas.inplace import InPlaceEditor
from app.editor.canvas.overlays import HANDLE_PX, View, handle_points
from app.editor.canvas.pagecache import PageCache
from app.editor.canvas.painter import paint_items
from app.editor.canvas.resources import PaintResources
from app.editor.canvas.tools import CreateTool, SelectTool, Tool
from app.editor.commands.actions import EditActions
from app.editor.commands.editing import block_rects
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.export.overlap import overlap_findings
from app.model.blocks import PhotoBlock, RuleBlock
from app.model.geometry import RectPt
from app.publish import headline_paragraphs

Std = QKeySequence.StandardKey
PASTEBOARD_PX = 40
OVERLAP_CHECK_MS = 250
MIN_SCALE, MAX_SCALE = 0.05, 16.0
ZOOM_STEP = 1.25
PASTEBOARD_COLOR = QColor(128, 128, 128)
# Arrow keys nudge the selection by grid steps (x, y); `QKeyEvent.key()` is a plain int.
NUDGE_KEYS: dict[int, tuple[int, int]] = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class PageCanvas(DropTarget, QAbstractScrollArea):
    cursor_moved = Signal(float, float)  # page position in points
    zoom_changed = Signal(float)  # scale in view pixels per point
    message = Signal(str)
    tool_changed = Signal(str)

    def __init__(
        self, session: Session, actions: EditActions, resources: PaintResources, parent=None
    ):
        super().__init__(parent)
        self.session = session
        self.edit = actions  # not `actions`: that is QWidget.actions()
        self.resources = resources
        self.cache = PageCache(resources)
        self.scale = 1.0
        self.show_grid = True
        self.show_outlines = True
        self.tool: Tool = SelectTool(self)
        self.typing: InPlaceEditor | None = None  # in-place text editing, when on
        # Overlaps are checked a moment after the page settles, not on every keystroke.
        self.overlaps: list = []
        self._overlap_timer = QTimer(self)
        self._overlap_timer.setSingleShot(True)
        self._overlap_timer.setInterval(OVERLAP_CHECK_MS)
        self._overlap_timer.timeout.connect(self.check_overlaps)
        self._overlap_timer.start()
        self._selecting_text = False
        self.ask_image: Callable[[], Path | None] = lambda: None  # the window asks the user
        # Panels' marks over the page (e.g. a correction's characters), painted in view pixels.
        self.overlay_painters: list[Callable[[QPainter, View], None]] = []
        self._fit_pending = True
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        session.layout_changed.connect(self._on_layout_changed)
        session.selection_changed.connect(self.viewport().update)
        # Text edits reach the screen through the layout's changed region alone.
        session.document_changed.connect(
            lambda kind, _ids: kind == "story" or self.viewport().update()
        )
        session.document_changed.connect(self._typing_target_gone)

    # -- geometry -------------------------------------------------------------------------------
    @property
    def grid(self):
        return self.session.document.layout.grid

    def _page_px(self) -> tuple[float, float]:
        grid = self.grid
        return (
            (grid.trim_width + 2 * grid.bleed) * self.scale,
            (grid.trim_height + 2 * grid.bleed) * self.scale,
        )

    def view(self) -> View:
        width, height = self._page_px()
        port = self.viewport()
        left = max(PASTEBOARD_PX, (port.width() - width) / 2) - self.horizontalScrollBar().value()
        top = max(PASTEBOARD_PX, (port.height() - height) / 2) - self.verticalScrollBar().value()
        bleed = self.grid.bleed * self.scale
        return View(QPointF(left + bleed, top + bleed), self.scale)

    def _update_scrollbars(self) -> None:
        width, height = self._page_px()
        port = self.viewport()
        for bar, content, page in (
            (self.horizontalScrollBar(), width, port.width()),
            (self.verticalScrollBar(), height, port.height()),
        ):
            bar.setRange(0, max(0, round(content + 2 * PASTEBOARD_PX - page)))
            bar.setPageStep(page)
            bar.setSingleStep(max(1, page // 20))

    # -- zoom -----------------------------------------------------------------------------------
    def set_scale(self, scale: float, anchor: QPointF | None = None) -> None:
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        anchor = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        page_x, page_y = self.view().to_page(anchor)
        self.scale = scale
        self._fit_pending = False
        self._update_scrollbars()
        view = self.view()
        target = view.point(page_x, page_y)
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(target.x() - anchor.x()))
        v.setValue(v.value() + round(target.y() - anchor.y()))
        self.zoom_changed.emit(scale)
        self.viewport().update()

    def fit_page(self) -> None:
        grid = self.grid
        port = self.viewport()
        scale = min(
            (port.width() - 2 * PASTEBOARD_PX) / (grid.trim_width + 2 * grid.bleed),
            (port.height() - 2 * PASTEBOARD_PX) / (grid.trim_height + 2 * grid.bleed),
        )
        self.set_scale(max(MIN_SCALE, scale))
        self.horizontalScrollBar().setValue(0)
        self.verticalScrollBar().setValue(0)
        self._fit_pending = True

    def actual_size(self) -> None:
        self.set_scale(self.logicalDpiX() / 72.0)

    def zoom_in(self) -> None:
        self.set_scale(self.scale * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_scale(self.scale / ZOOM_STEP)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_pending:
            self.fit_page()
        self._update_scrollbars()

    def wheelEvent(self, event) -> None:
        if not event.modifiers() and self.tool.wheel(event.angleDelta().y() / 120):
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.set_scale(self.scale * ZOOM_STEP**steps, event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # -- painting -------------------------------------------------------------------------------
    def check_overlaps(self) -> None:
        layout = self.session.layout
        found = (
            overlap_findings(layout, headline_paragraphs(self.session.document)) if layout else []
        )
        if found or self.overlaps:
            self.overlaps = found
            self.viewport().update()

    def _on_layout_changed(self, layout: PageLayout, previous) -> None:
        self._overlap_timer.start()
        dirty = None
        if self.cache.image is not None and self.cache.fits(layout, self._cache_scale()):
            dirty = self.cache.update(layout, self._cache_scale())
        if dirty is None or previous is None or layout.blocks != previous.blocks:
            self.viewport().update()  # new picture, or frames/overset markers changed
            return
        # A keystroke: only the lines that changed need to reach the screen.
        view = self.view()
        box = dirty.boundingRect()
        self.viewport().update(
            QRectF(view.point(box.left(), box.top()), view.point(box.right() + 1, box.bottom() + 1))
            .toAlignedRect()
            .adjusted(-2, -2, 2, 2)
        )

    def _cache_scale(self) -> float:
        return self.scale * self.devicePixelRatioF()

    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), PASTEBOARD_COLOR)
        view = self.view()
        grid = self.grid
        page = view.rect(
            RectPt(
                -grid.bleed,
                -grid.bleed,
                grid.trim_width + 2 * grid.bleed,
                grid.trim_height + 2 * grid.bleed,
            )
        )
        painter.fillRect(page.translated(3, 3), QColor(0, 0, 0, 60))
        painter.fillRect(page, Qt.GlobalColor.white)
        self._paint_content(painter, view, page, event.rect())
        overlays.paint_guides(painter, view, grid, self.show_grid)
        blocks = self.session.document.blocks
        if self.show_outlines:
            overlays.paint_outlines(painter, view, blocks, grid)
        overlays.paint_threads(painter, view, blocks, grid)
        layout = self.session.layout
        if layout is not None:
            overlays.paint_overset(painter, view, layout, {b.id: b for b in blocks}, grid)
            overlays.paint_overlaps(painter, view, self.overlaps)
        overlays.paint_selection(
            painter,
            view,
            self.session.selected_blocks(),
            self.session.active_frame,
            grid,
            with_handles=len(self.session.selection) == 1 and self.tool.frame_handles,
        )
        for paint_overlay in self.overlay_painters:
            paint_overlay(painter, view)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.tool.paint(painter, view)
        if self.typing is not None:
            self.typing.paint(painter, view)
        painter.end()

    def _paint_content(self, painter: QPainter, view: View, page: QRectF, exposed) -> None:
        layout = self.session.layout
        if layout is None:
            return
        scale = self._cache_scale()
        if self.cache.fits(layout, scale):
            if self.cache.image is None or self.cache.scale != scale:
                self.cache.render(layout, scale)
            elif self.cache.layout is not layout:
                self.cache.update(layout, scale)
            assert self.cache.image is not None  # rendered above if it was missing
            painter.drawImage(page, self.cache.image)
            return
        # Deep zoom: paint the visible part directly instead of a huge picture.
        painter.save()
        painter.setClipRect(page.intersected(QRectF(exposed)))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(
            QTransform(view.scale, 0, 0, view.scale, view.origin.x(), view.origin.y())
        )
        x0, y0 = view.to_page(QPointF(exposed.topLeft()))
        x1, y1 = view.to_page(QPointF(exposed.bottomRight()))
        visible = QRectF(x0, y0, x1 - x0, y1 - y0)
        from app.editor.canvas.painter import item_bounds

        items = [i for i in layout.items if item_bounds(i).intersects(visible)]
        paint_items(painter, layout, items, self.resources)
        painter.restore()

    def render_page(self, dpi: float) -> QImage:
        """The page's print content alone (trim plus bleed) at `dpi`, as the PDF would show it."""
        layout = self.session.layout
        assert layout is not None
        scale = dpi / 72.0
        width = round(to_pt(layout.width + 2 * layout.bleed) * scale)
        height = round(to_pt(layout.height + 2 * layout.bleed) * scale)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bleed = to_pt(layout.bleed) * scale
        painter.setTransform(QTransform(scale, 0, 0, scale, bleed, bleed))
        paint_items(painter, layout, layout.items, self.resources)
        painter.end()
        return image

    # -- hit testing ------------------------------------------------------------------------------
    def hit_block(self, pos: QPointF) -> tuple[str, int] | None:
        """The topmost block under a view position and which of its frames was hit."""
        x, y = self.view().to_page(pos)
        tolerance = 4 / self.scale
        for block in reversed(self.session.document.blocks):
            for index, rect in enumerate(block_rects(block, self.grid)):
                if isinstance(block, RuleBlock):
                    rect = RectPt(
                        rect.x - tolerance,
                        rect.y - tolerance,
                        rect.w + 2 * tolerance,
                        rect.h + 2 * tolerance,
                    )
                if rect.x <= x <= rect.right and rect.y <= y <= rect.bottom:
                    return block.id, index
        return None

    def hit_handle(self, pos: QPointF) -> str | None:
        if len(self.session.selection) != 1 or not self.tool.frame_handles:
            return None
        block = self.session.selected_blocks()[0]
        view = self.view()
        reach = HANDLE_PX
        for name, (x, y) in handle_points(block, self.session.active_frame, self.grid).items():
            p = view.point(x, y)
            if abs(p.x() - pos.x()) <= reach and abs(p.y() - pos.y()) <= reach:
                return name
        return None

    def blocks_in(self, area: RectPt) -> list[str]:
        found = []
        for block in self.session.document.blocks:
            for rect in block_rects(block, self.grid):
                if (
                    area.x <= rect.x
                    and rect.right <= area.right
                    and area.y <= rect.y
                    and rect.bottom <= area.bottom
                ):
                    found.append(block.id)
                    break
        return found

    # -- tools and input --------------------------------------------------------------------------
    def set_tool(self, name: str) -> None:
        self.tool = SelectTool(self) if name == "select" else CreateTool(self, name)
        self.viewport().setCursor(self.tool.cursor)
        self.tool_changed.emit(name)
        self.viewport().update()

    # -- typing in place ----------------------------------------------------------------------------
    def start_typing(self, block_id: str, x: float, y: float) -> bool:
        """Edit the block's story on the canvas, the caret at page point (x, y); False when it
        has none, or someone else holds its text (said through the session's `refused`)."""
        story = getattr(self.session.document.block(block_id), "story", "")
        if not story:
            return False
        if holder := self.session.story_holder(story):  # its text is someone else's now
            self.session.refused.emit(holder)
            return False
        self.typing = InPlaceEditor(self, block_id, story)
        self.typing.move_to(self.typing.index_at(x, y), False)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.session.select([block_id])
        self.setFocus()
        self.viewport().update()
        return True

    def _typing_target_gone(self, _kind: str, _ids: tuple) -> None:
        """An undo or a delete took the typed-in block or its story away: stop typing."""
        typing = self.typing
        if typing is None:
            return
        document = self.session.document
        if typing.story_id not in document.stories or not any(
            b.id == typing.block_id for b in document.blocks
        ):
            self.stop_typing()

    def stop_typing(self) -> None:
        self.typing = None
        self._selecting_text = False
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.viewport().update()

    def mouseDoubleClickEvent(self, event) -> None:
        hit = self.hit_block(event.position())
        if hit is not None and self.start_typing(hit[0], *self.view().to_page(event.position())):
            self.tool.release(event)  # the first click's move, if any, ends here
            return
        if (
            hit is not None
            and isinstance(self.session.document.block(hit[0]), PhotoBlock)
            and not self.session.read_only_by  # cropping is layout
        ):
            self.tool.release(event)
            self.start_cropping(hit[0])
            return
        super().mouseDoubleClickEvent(event)

    def start_cropping(self, block_id: str) -> None:
        """Crop mode for one photo (double-click): drag the picture, wheel zooms it, crop
        handles move the edges."""
        from app.editor.canvas.crop import CropTool

        self.session.select([block_id])
        self.tool = CropTool(self, block_id)
        self.viewport().setCursor(self.tool.cursor)
        self.message.emit(tr("裁切图片：拖动图片平移，拖动黑色裁切柄裁边，滚轮缩放，Esc 结束"))
        self.viewport().update()

    def inputMethodEvent(self, event) -> None:
        if self.typing is not None:
            self.typing.input_method(event)
            event.accept()
            return
        super().inputMethodEvent(event)

    def inputMethodQuery(self, query):
        if self.typing is not None:
            if query == Qt.InputMethodQuery.ImEnabled:
                return True
            if query == Qt.InputMethodQuery.ImCursorRectangle:
                return self.typing.input_rect(self.view())
        return super().inputMethodQuery(query)

    def _typing_press(self, typing: InPlaceEditor, event) -> bool:
        """A click while `typing`: in the story's text it moves the caret; elsewhere it ends."""
        hit = self.hit_block(event.position())
        block = self.session.document.block(hit[0]) if hit else None
        if block is None or getattr(block, "story", "") != typing.story_id:
            self.stop_typing()
            return False
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        typing.move_to(typing.index_at(*self.view().to_page(event.position())), shift)
        self._selecting_text = True
        return True

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position()
            return
        if self.typing is not None and self._typing_press(self.typing, event):
            return
        self.tool.press(event)

    def mouseMoveEvent(self, event) -> None:
        self.cursor_moved.emit(*self.view().to_page(event.position()))
        if event.buttons() & Qt.MouseButton.MiddleButton:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(
                self.horizontalScrollBar().value() - round(delta.x())
            )
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            return
        if self._selecting_text and self.typing is not None:
            self.typing.move_to(self.typing.index_at(*self.view().to_page(event.position())), True)
            return
        self.tool.move(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._selecting_text:
            self._selecting_text = False
            return
        if event.button() != Qt.MouseButton.MiddleButton:
            self.tool.release(event)

    def event(self, event) -> bool:
        # While typing, keys are text: Backspace must not delete the block, nor Ctrl+A select
        # every block; undo, redo and save still reach the window.
        if self.typing is not None and event.type() == QEvent.Type.ShortcutOverride:
            passing = (Std.Undo, Std.Redo, Std.Save)
            if not any(event.matches(key) for key in passing):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.typing is not None and self.typing.key(event):
            return
        steps = NUDGE_KEYS.get(event.key())
        if steps and self.session.selection:
            free = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.edit.nudge(*steps, free=free)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.set_tool("select")
            self.session.select([])
            return
        super().keyPressEvent(event)
