"""What the canvas draws over the page that is not print content.

Guides (bleed, margins, columns, the baseline/character grid), block outlines,
linked-frame threads, overset markers and selection handles. All of it is drawn in
view pixels so lines stay hairlines at any zoom; `View` maps points to pixels.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QTransform

from app.compose.layout import PageLayout
from app.editor.commands.editing import HANDLES, block_rects
from app.model.blocks import ArticleBlock, Block, RuleBlock, TextBlock
from app.model.geometry import RectPt
from app.model.grid import PageGrid

HANDLE_PX = 7
MARGIN_COLOR = QColor(214, 0, 147)
COLUMN_COLOR = QColor(0, 150, 220, 150)
GRID_COLOR = QColor(0, 150, 220, 40)
BLEED_COLOR = QColor(230, 0, 0, 160)
OUTLINE_COLOR = QColor(120, 120, 120, 170)
SELECTED_COLOR = QColor(0, 102, 255)
THREAD_COLOR = QColor(0, 102, 255, 190)
OVERSET_COLOR = QColor(220, 0, 0)


@dataclass(frozen=True, slots=True)
class View:
    """Points → view pixels: x_px = origin.x + x_pt * scale."""

    origin: QPointF
    scale: float

    def point(self, x: float, y: float) -> QPointF:
        return QPointF(self.origin.x() + x * self.scale, self.origin.y() + y * self.scale)

    def rect(self, rect: RectPt) -> QRectF:
        return QRectF(self.point(rect.x, rect.y), self.point(rect.right, rect.bottom))

    def transform(self) -> QTransform:
        return QTransform(self.scale, 0, 0, self.scale, self.origin.x(), self.origin.y())

    def to_page(self, pos: QPointF) -> tuple[float, float]:
        return ((pos.x() - self.origin.x()) / self.scale, (pos.y() - self.origin.y()) / self.scale)


def paint_guides(painter: QPainter, view: View, grid: PageGrid, show_grid: bool) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if grid.bleed > 0:
        painter.setPen(QPen(BLEED_COLOR, 0))
        painter.drawRect(
            view.rect(
                RectPt(
                    -grid.bleed,
                    -grid.bleed,
                    grid.trim_width + 2 * grid.bleed,
                    grid.trim_height + 2 * grid.bleed,
                )
            )
        )
    painter.setPen(QPen(MARGIN_COLOR, 0))
    area = RectPt(grid.margin_left, grid.margin_top, grid.area_width, grid.area_height)
    painter.drawRect(view.rect(area))
    if grid.head_zone > 0:
        top = grid.margin_top - grid.head_zone
        painter.drawLine(
            view.point(grid.margin_left, top), view.point(grid.margin_left + grid.area_width, top)
        )
    if not show_grid:
        return
    painter.setPen(QPen(COLUMN_COLOR, 0))
    painter.drawRects(
        [
            view.rect(
                RectPt(grid.column_x(c), grid.margin_top, grid.column_width, grid.area_height)
            )
            for c in range(grid.columns)
        ]
    )
    # The character grid (背景格), drawn in points under the view transform: a cached list
    # of lines, so a repaint costs no Python work per line.
    full = view.scale * grid.body_size >= 8
    step = 1 if view.scale * grid.line_pitch >= 6 else 5  # zoomed out: every fifth line
    columns = full and view.scale * grid.body_size >= 14
    painter.save()
    painter.setTransform(view.transform(), combine=True)
    painter.setPen(QPen(GRID_COLOR, 0))  # width 0: a cosmetic hairline at any zoom
    painter.drawLines(_grid_lines(grid, step, full, columns))
    painter.restore()


@lru_cache(maxsize=16)
def _grid_lines(grid: PageGrid, step: int, em_bottoms: bool, char_columns: bool) -> list[QLineF]:
    lines: list[QLineF] = []
    for col in range(grid.columns):
        left, right = grid.column_x(col), grid.column_x(col) + grid.column_width
        for line in range(0, grid.lines, step):
            top = grid.line_top(line)
            lines.append(QLineF(left, top, right, top))
            if em_bottoms:
                lines.append(QLineF(left, top + grid.body_size, right, top + grid.body_size))
        if char_columns:
            bottom = grid.line_top(grid.lines - 1) + grid.body_size
            for i in range(1, int(grid.column_width / grid.body_size + 1e-6)):
                x = left + i * grid.body_size
                lines.append(QLineF(x, grid.margin_top, x, bottom))
    return lines


def paint_outlines(painter: QPainter, view: View, blocks: list[Block], grid: PageGrid) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    pen = QPen(OUTLINE_COLOR, 0, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawRects(
        [
            view.rect(rect)
            for block in blocks
            if not isinstance(block, RuleBlock)
            for rect in block_rects(block, grid)
        ]
    )


def paint_threads(painter: QPainter, view: View, blocks: list[Block], grid: PageGrid) -> None:
    """Linked frames (续排): a line from each frame's out-port to the next frame's in-port."""
    painter.setPen(QPen(THREAD_COLOR, 1.2))
    painter.setBrush(QBrush(THREAD_COLOR))
    for block in blocks:
        if not isinstance(block, ArticleBlock | TextBlock) or len(block.frames) < 2:
            continue
        rects = block_rects(block, grid)
        for here, there in itertools.pairwise(rects):
            start = view.point(here.right, here.bottom)
            end = view.point(there.x, there.y)
            painter.drawLine(start, end)
            painter.drawEllipse(start, 3, 3)
            painter.drawEllipse(end, 3, 3)


def paint_overset(
    painter: QPainter, view: View, layout: PageLayout, blocks: dict[str, Block], grid: PageGrid
) -> None:
    """A red ＋ with the count of characters that do not fit, on the story's last frame."""
    font = QFont()
    font.setPixelSize(11)
    font.setBold(True)
    painter.setFont(font)
    for frame in layout.blocks:
        if frame.overset_chars <= 0 or frame.block not in blocks:
            continue
        last = block_rects(blocks[frame.block], grid)[-1]
        corner = view.point(last.right, last.bottom)
        box = QRectF(corner.x() - 12, corner.y() - 12, 12, 12)
        painter.setPen(QPen(OVERSET_COLOR, 1))
        painter.setBrush(QBrush(Qt.GlobalColor.white))
        painter.drawRect(box)
        painter.drawLine(
            QPointF(box.center().x(), box.top() + 2), QPointF(box.center().x(), box.bottom() - 2)
        )
        painter.drawLine(
            QPointF(box.left() + 2, box.center().y()), QPointF(box.right() - 2, box.center().y())
        )
        label = QRectF(corner.x() + 3, corner.y() - 13, 80, 14)
        painter.fillRect(
            label.adjusted(-1, 0, -80 + 8 * len(str(frame.overset_chars)) + 12, 0),
            QColor(255, 255, 255, 220),
        )
        painter.drawText(
            label,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"+{frame.overset_chars}",
        )


def handle_points(block: Block, frame: int, grid: PageGrid) -> dict[str, tuple[float, float]]:
    """Handle name → its position in points, for the block's active frame."""
    if isinstance(block, RuleBlock):
        return {"p0": (block.x0, block.y0), "p1": (block.x1, block.y1)}
    rects = block_rects(block, grid)
    if not rects:
        return {}
    r = rects[min(frame, len(rects) - 1)]
    cx, cy = r.x + r.w / 2, r.y + r.h / 2
    spots = {
        "nw": (r.x, r.y),
        "n": (cx, r.y),
        "ne": (r.right, r.y),
        "e": (r.right, cy),
        "se": (r.right, r.bottom),
        "s": (cx, r.bottom),
        "sw": (r.x, r.bottom),
        "w": (r.x, cy),
    }
    return {name: spots[name] for name in HANDLES}


def paint_selection(
    painter: QPainter,
    view: View,
    selected: list[Block],
    active_frame: int,
    grid: PageGrid,
    with_handles: bool,
) -> None:
    painter.setPen(QPen(SELECTED_COLOR, 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for block in selected:
        if isinstance(block, RuleBlock):
            painter.drawLine(view.point(block.x0, block.y0), view.point(block.x1, block.y1))
        else:
            for rect in block_rects(block, grid):
                painter.drawRect(view.rect(rect))
    if not with_handles:
        return
    painter.setPen(QPen(SELECTED_COLOR, 1))
    painter.setBrush(QBrush(Qt.GlobalColor.white))
    half = HANDLE_PX / 2
    for block in selected:
        for x, y in handle_points(block, active_frame, grid).values():
            p = view.point(x, y)
            painter.drawRect(QRectF(p.x() - half, p.y() - half, HANDLE_PX, HANDLE_PX))


def paint_preview(painter: QPainter, view: View, blocks: list[Block], grid: PageGrid) -> None:
    """Where a drag would put the blocks, before the gesture is committed."""
    painter.setPen(QPen(SELECTED_COLOR, 1, Qt.PenStyle.DashLine))
    painter.setBrush(QBrush(QColor(0, 102, 255, 30)))
    for block in blocks:
        if isinstance(block, RuleBlock):
            painter.drawLine(view.point(block.x0, block.y0), view.point(block.x1, block.y1))
            continue
        for rect in block_rects(block, grid):
            painter.drawRect(view.rect(rect))


def paint_overlaps(painter: QPainter, view: View, findings) -> None:
    """Text printed on top of something (preflight errors): the overlapped area hatched red."""
    for finding in findings:
        args = dict(finding.args)
        if "w" not in args:
            continue
        a = view.point(args["x"], args["y"])
        b = view.point(args["x"] + args["w"], args["y"] + args["h"])
        area = QRectF(a, b)
        painter.setPen(QPen(OVERSET_COLOR, 2))
        painter.setBrush(QBrush(OVERSET_COLOR, Qt.BrushStyle.BDiagPattern))
        painter.drawRect(area)
