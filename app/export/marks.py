"""Printer's marks outside the bleed: crop marks, registration targets, the slug line.

Marks are drawn in registration colour (all four inks) so they appear on every
plate. Every stroke of them — crop marks, the registration targets' circles and crosshairs —
lies at least `GAP` beyond the bleed, so trimming never leaves a mark on paper.
"""

from __future__ import annotations

from typing import NamedTuple

from app.compose.layout import Color, FontSource, GlyphRun, Rule, from_pt
from app.export.labels import label_run
from app.export.shapes import draw_rule
from app.export.surface import Surface

MM = 72 / 25.4  # points per millimetre
GAP = from_pt(2 * MM)
MARK_LENGTH = from_pt(5 * MM)
MARK_WEIGHT = from_pt(0.25)
TARGET_RADIUS = from_pt(2.5 * MM)
TARGET_ARM = TARGET_RADIUS + from_pt(1 * MM)  # the crosshair's reach from the target's centre
SLUG_SIZE = from_pt(7)
MARGIN = GAP + MARK_LENGTH + from_pt(3 * MM)  # room for marks and slug beyond the bleed
assert GAP + 2 * TARGET_ARM < MARGIN  # the targets fit inside the MediaBox
REGISTRATION = Color(1.0, 1.0, 1.0, 1.0)


class Slug(NamedTuple):
    """What the slug line says: which paper, which day, which page (版次), which version of
    its content (not the export time: the same page exports to the same bytes). A named
    tuple, as this module's other records: a print export defines them all at start-up, and a
    frozen dataclass costs about ten times more to define."""

    paper: str = ""
    date: str = ""
    edition: str = ""
    version: str = ""  # app.model.content_hash of the page

    def line(self) -> str:
        version = f"版本 {self.version}" if self.version else ""
        parts = [self.paper, self.date, self.edition, version]
        return "  ".join(part for part in parts if part) or "Pasteup"


def slug_run(font: FontSource, text: str, height: int, bleed: int) -> GlyphRun:
    baseline = height + bleed + GAP + SLUG_SIZE
    return label_run(font, text, SLUG_SIZE, from_pt(20 * MM), baseline, REGISTRATION)


def draw_marks(surface: Surface, width: int, height: int, bleed: int) -> None:
    near, far = bleed + GAP, bleed + GAP + MARK_LENGTH
    rules = []
    for x in (0, width):
        for y in (0, height):
            outward_y = -1 if y == 0 else 1
            outward_x = -1 if x == 0 else 1
            rules.append(_rule(x, y + outward_y * near, x, y + outward_y * far))
            rules.append(_rule(x + outward_x * near, y, x + outward_x * far, y))
    middle = bleed + GAP + TARGET_ARM  # the crosshair's inner end is GAP beyond the bleed
    for cx, cy in (
        (width // 2, -middle),
        (width // 2, height + middle),
        (-middle, height // 2),
        (width + middle, height // 2),
    ):
        rules.append(_rule(cx - TARGET_ARM, cy, cx + TARGET_ARM, cy))
        rules.append(_rule(cx, cy - TARGET_ARM, cx, cy + TARGET_ARM))
        _circle(surface, cx, cy, TARGET_RADIUS)
    for rule in rules:
        draw_rule(surface, rule)


def _rule(x0: int, y0: int, x1: int, y1: int) -> Rule:
    return Rule(x0, y0, x1, y1, MARK_WEIGHT, REGISTRATION)


_KAPPA = 0.5522847498  # control-point distance of a cubic quarter circle


def _circle(surface: Surface, cx: int, cy: int, r: int) -> None:
    k = round(r * _KAPPA)
    points = [
        (cx + r, cy),
        (cx + r, cy + k),
        (cx + k, cy + r),
        (cx, cy + r),
        (cx - k, cy + r),
        (cx - r, cy + k),
        (cx - r, cy),
        (cx - r, cy - k),
        (cx - k, cy - r),
        (cx, cy - r),
        (cx + k, cy - r),
        (cx + r, cy - k),
        (cx + r, cy),
    ]
    coords = [f"{surface.x(x)} {surface.y(y)}" for x, y in points]
    segments = " ".join(f"{' '.join(coords[i : i + 3])} c" for i in range(1, 13, 3))
    surface.begin(stroke=REGISTRATION)
    surface.emit(f"{surface.length(MARK_WEIGHT)} w {coords[0]} m {segments} S")
    surface.end()
