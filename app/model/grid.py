"""The page grid: trim, margins, columns, the baseline grid and the 报眉 zone.

Newspaper staff think in columns and lines, measured in characters at the body
size (Founder FIT's 背景格). A grid position (column, span, line, depth) and an
absolute one (mm) both resolve to a rectangle in points here, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageGrid:
    trim_width: float  # pt
    trim_height: float
    bleed: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    columns: int
    column_width: float
    gutter: float
    body_size: float
    line_pitch: float  # baseline to baseline of body text
    head_zone: float  # height of the running-head (报眉) zone above the type area
    head_rule: float  # weight of the rule under the running head (眉线), 0 = none

    @property
    def area_width(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    @property
    def area_height(self) -> float:
        return self.trim_height - self.margin_top - self.margin_bottom

    @property
    def lines(self) -> int:
        """Body lines per column: the last line's em box must fit in the type area."""
        return int((self.area_height - self.body_size) // self.line_pitch) + 1

    @property
    def column_chars(self) -> float:
        return self.column_width / self.body_size

    def column_x(self, column: int) -> float:
        return self.margin_left + column * (self.column_width + self.gutter)

    def span_width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.gutter

    def line_top(self, line: int) -> float:
        """Top of line `line`'s em box; the baseline grid hangs from the type area's top."""
        return self.margin_top + line * self.line_pitch

    def depth_height(self, depth: int) -> float:
        """Height of `depth` body lines, from the first em-box top to the last em-box bottom."""
        return (depth - 1) * self.line_pitch + self.body_size if depth > 0 else 0.0

    def column_at(self, x: float) -> float:
        """Fractional column index of an x position (for the status bar and snapping)."""
        return (x - self.margin_left) / (self.column_width + self.gutter)

    def line_at(self, y: float) -> float:
        return (y - self.margin_top) / self.line_pitch
