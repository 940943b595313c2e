"""Frames to rectangles: the one place where grid units become points."""

from __future__ import annotations

from dataclasses import dataclass

from app.model.blocks import Frame, FreeFrame, GridFrame
from app.model.grid import PageGrid


@dataclass(frozen=True, slots=True)
class RectPt:
    """A rectangle in points, origin at the trim's top-left, y down."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


def frame_rect(frame: Frame, grid: PageGrid) -> RectPt:
    if isinstance(frame, FreeFrame):
        return RectPt(frame.x, frame.y, frame.w, frame.h)
    return RectPt(
        grid.column_x(frame.col),
        grid.line_top(frame.line),
        grid.span_width(frame.span),
        grid.depth_height(frame.depth),
    )


def text_columns(frame: Frame, grid: PageGrid) -> list[RectPt]:
    """The text columns inside a frame, left to right.

    A grid frame has one text column per grid column unless `columns` says otherwise
    (FIT's 相对 mode); then the frame's width is shared equally with one grid gutter
    between columns.
    """
    rect = frame_rect(frame, grid)
    count = frame.columns or (frame.span if isinstance(frame, GridFrame) else 1)
    if isinstance(frame, GridFrame) and count == frame.span:
        return [
            RectPt(grid.column_x(frame.col + i), rect.y, grid.column_width, rect.h)
            for i in range(count)
        ]
    width = (rect.w - (count - 1) * grid.gutter) / count
    return [RectPt(rect.x + i * (width + grid.gutter), rect.y, width, rect.h) for i in range(count)]


def frame_from_rect(rect: RectPt, grid: PageGrid, columns: int = 0) -> GridFrame:
    """The grid frame nearest to a rectangle: what snapping to columns and lines yields."""
    col = max(0, min(grid.columns - 1, round(grid.column_at(rect.x))))
    last = max(col, min(grid.columns - 1, round(grid.column_at(rect.right + grid.gutter)) - 1))
    line = max(0, min(grid.lines - 1, round(grid.line_at(rect.y))))
    depth = max(1, min(grid.lines - line, round((rect.h - grid.body_size) / grid.line_pitch) + 1))
    return GridFrame(col=col, span=last - col + 1, line=line, depth=depth, columns=columns)
