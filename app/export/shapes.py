"""Rules and boxes (frames, tints) as PDF path operators."""

from __future__ import annotations

from app.compose.layout import Box, Rule
from app.export.surface import Surface


def draw_rule(surface: Surface, rule: Rule) -> None:
    surface.begin(stroke=rule.color)
    dash = " ".join(surface.length(v) for v in rule.dash)
    surface.emit(
        f"{surface.length(rule.weight)} w 0 J [{dash}] 0 d "
        f"{surface.x(rule.x0)} {surface.y(rule.y0)} m {surface.x(rule.x1)} {surface.y(rule.y1)} l S"
    )
    surface.end()


def draw_box(surface: Surface, box: Box) -> None:
    stroked = box.stroke is not None and box.weight > 0
    if box.fill is None and not stroked:
        return
    surface.begin(fill=box.fill, stroke=box.stroke if stroked else None)
    rect = box.rect
    path = (
        f"{surface.x(rect.x)} {surface.y(rect.bottom)} "
        f"{surface.length(rect.w)} {surface.length(rect.h)} re"
    )
    if stroked:
        surface.emit(f"{surface.length(box.weight)} w 0 j")
    operator = "B" if box.fill is not None and stroked else ("S" if stroked else "f")
    surface.emit(f"{path} {operator}")
    surface.end()
