"""Where a correction's characters stand on the page, from the layout's text map, and the
highlight the canvas draws over them (in view pixels, above the page picture)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPainter

from app.compose.layout import PageLayout, TextLine, to_pt
from app.editor.canvas.overlays import View
from app.model.geometry import RectPt

HIGHLIGHT_FILL = QColor(255, 200, 0, 110)
HIGHLIGHT_EDGE = QColor(230, 120, 0)
CARET_PT = 1.2  # width of the bar drawn for an insertion point


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a story range is set on the page: one rectangle (points) per line it touches."""

    block: str
    frame: int
    rect: RectPt


def range_spots(layout: PageLayout, story: str, start: int, end: int) -> list[Spot]:
    """The characters [start, end) of `story` as the layout set them; an empty range gives a
    thin bar at the insertion point. Empty when the text is not on the page (overset)."""
    lines = [line for line in layout.lines if line.story == story and line.char_x]
    if start == end:
        return _insertion_spot(lines, start)
    spots = []
    for line in lines:
        first, last = max(start, line.start), min(end, line.end)
        if first >= last:
            continue
        left = to_pt(line.char_x[first - line.start][0])
        right = to_pt(line.char_x[last - 1 - line.start][1])
        top, bottom = to_pt(line.top), to_pt(line.bottom)
        spots.append(Spot(line.block, line.frame, RectPt(left, top, right - left, bottom - top)))
    return spots


def _insertion_spot(lines: list[TextLine], at: int) -> list[Spot]:
    """Before the character at `at`; at a paragraph's end, after its last character."""
    inside = [line for line in lines if line.start <= at < line.end]
    ending = [line for line in lines if line.end == at]
    for line in inside[:1] or ending[:1]:
        i = at - line.start
        x = to_pt(line.char_x[i][0] if i < len(line.char_x) else line.char_x[-1][1])
        top, bottom = to_pt(line.top), to_pt(line.bottom)
        return [Spot(line.block, line.frame, RectPt(x - CARET_PT / 2, top, CARET_PT, bottom - top))]
    return []


def paint_spots(painter: QPainter, view: View, spots: list[Spot]) -> None:
    if not spots:
        return
    painter.save()
    painter.setPen(HIGHLIGHT_EDGE)
    painter.setBrush(HIGHLIGHT_FILL)
    for spot in spots:
        painter.drawRect(view.rect(spot.rect).adjusted(-1, -1, 1, 1))
    painter.restore()
