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
    """The fill, then the stroke, each in its own graphics state: a tint knocks out what lies
    under it even where its black frame overprints."""
    rect = box.rect
    path = (
        f"{surface.x(rect.x)} {surface.y(rect.bottom)} "
        f"{surface.length(rect.w)} {surface.length(rect.h)} re"
    )
    if box.fill is not None:
        surface.begin(fill=box.fill)
        surface.emit(f"{path} f")
        surface.end()
    if box.stroke is not None and box.weight > 0:
        surface.begin(stroke=box.stroke)
        surface.emit(f"{surface.length(box.weight)} w 0 j {path} S")
        surface.end()
