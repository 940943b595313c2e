"""One call from a paragraph's text to its lines of positioned glyphs (cjk-composition §3.1).

    lines = compose_paragraph(text, measure, metrics, settings).lines

Coordinates are integer lu relative to the left edge of the column; the caller places the
lines on baselines. Character offsets index `text`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from app.compose.config import DEFAULT, Settings, to_lu
from app.compose.justify import SetLine, set_line
from app.compose.linebreak import LineBreak, break_lines
from app.compose.measure import LineMeasure
from app.compose.metrics import Metrics
from app.compose.segment import Units, build_units


@dataclass(frozen=True, slots=True)
class PlacedGlyph:
    """A glyph at x (its origin) with the advance to the next glyph's origin as set."""

    font: str
    gid: int
    x: int
    advance: int
    start: int  # characters [start, end) of the paragraph this glyph draws
    end: int


@dataclass(frozen=True, slots=True)
class Line:
    """One composed line. `x` is the left edge of its measure (the indent on a first line)."""

    start: int
    end: int
    text: str
    x: int
    measure: int
    natural: int
    width: int
    glyphs: tuple[PlacedGlyph, ...]
    char_x: tuple[tuple[int, int], ...]  # per character in [start, end): left, right
    adjustments: tuple[tuple[str, tuple[int, ...]], ...]  # level → per-item lu (R negative)
    loose: bool = False
    relaxed: str = ""  # the weak kinsoku rule broken at this line's end
    emergency: bool = False
    hanging: bool = False
    last: bool = False
    overfull: int = 0


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    em: int
    lines: tuple[Line, ...]
    missing: tuple[int, ...]  # offsets of characters no font could draw


def compose_paragraph(
    text: str,
    measure: int,
    metrics: Metrics,
    settings: Settings = DEFAULT,
    *,
    widths: Callable[[int], int] | None = None,
    first_line_indent: bool = True,
) -> Paragraph:
    """Break and set `text` (one paragraph, no U+2029) in a column `measure` lu wide.

    `widths(i)`, if given, is the full width of line i (text wrap, several columns); the first
    line is narrowed by the indent either way unless `first_line_indent` is False.
    """
    units = build_units(text, metrics, settings)
    m = LineMeasure(units, settings)
    indent = to_lu(units.em, settings.first_line_indent) if first_line_indent else 0
    width_of = widths or (lambda _i: measure)

    def measure_of(i: int) -> int:
        return width_of(i) - (indent if i == 0 else 0)

    breaks = break_lines(units, m, measure_of) if len(units) else []
    lines = []
    for index, brk in enumerate(breaks):
        setl = set_line(m, brk, settings.align)
        lines.append(_emit(units, brk, setl, indent if index == 0 else 0))
    return Paragraph(text, units.em, tuple(lines), tuple(units.missing))


def _emit(u: Units, brk: LineBreak, setl: SetLine, x0: int) -> Line:
    glyphs: list[PlacedGlyph] = []
    first_char = u.starts[brk.start]
    last_char = u.ends[brk.end - 1]
    char_x: list[tuple[int, int]] = []
    count = brk.end - brk.start
    for j in range(count):
        i = brk.start + j
        left = x0 + setl.left[j]
        box_origin = left - setl.shift[j]
        right = left + setl.set_width[j]
        for font, gid, dx, _adv, cs, ce in u.glyphs[i]:
            glyphs.append(PlacedGlyph(font, gid, box_origin + dx, 0, cs, ce))
        nchars = u.ends[i] - u.starts[i]
        for c in range(nchars):
            char_x.append(
                (left + (right - left) * c // nchars, left + (right - left) * (c + 1) // nchars)
            )
    # Each glyph's advance reaches the next glyph's origin; the last one ends at its box.
    placed = []
    for g, nxt in itertools.pairwise(glyphs):
        placed.append(PlacedGlyph(g.font, g.gid, g.x, nxt.x - g.x, g.start, g.end))
    if glyphs:
        tail = glyphs[-1]
        end_x = max(x for _, x in char_x) if char_x else tail.x
        placed.append(
            PlacedGlyph(tail.font, tail.gid, tail.x, end_x - tail.x, tail.start, tail.end)
        )
    return Line(
        start=first_char,
        end=last_char,
        text=u.text[first_char:last_char],
        x=x0,
        measure=brk.measure,
        natural=setl.natural,
        width=setl.width,
        glyphs=tuple(placed),
        char_x=tuple(char_x),
        adjustments=setl.adjustments,
        loose=setl.loose,
        relaxed=brk.relaxed,
        emergency=brk.emergency or setl.overfull > 0,
        hanging=brk.hang,
        last=brk.last,
        overfull=setl.overfull,
    )
