"""One call from a paragraph's text to its lines of positioned glyphs (cjk-composition §3.1).

    lines = compose_paragraph(text, measure, metrics, settings).lines

Coordinates are integer lu relative to the left edge of the column; the caller places the
lines on baselines. Character offsets index `text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import add, sub

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
    s, end = brk.start, brk.end
    first_char = u.starts[s]
    last_char = u.ends[end - 1]
    starts = u.starts[s:end]
    lefts = [x0 + left for left in setl.left] if x0 else setl.left
    rights = list(map(add, lefts, setl.set_width))
    if last_char - first_char == end - s:  # one character per unit
        char_x = tuple(zip(lefts, rights, strict=True))
    else:
        char_x = tuple(_char_boxes(lefts, rights, starts, u.ends[s:end]))
    # Each glyph's advance reaches the next glyph's origin, the last one ends at its box.
    origins = map(sub, lefts, setl.shift)
    singles = u.single[s:end]
    if None not in singles:  # one glyph per unit, drawing all of it: the common case
        fonts, gids, dxs, _, _ = zip(*singles, strict=True)
        xs = list(map(add, origins, dxs))
        glyph_starts, glyph_ends = starts, u.ends[s:end]
    else:
        parts = [
            (font, gid, origin + dx, start + cs, start + ce)
            for origin, start, glyphs in zip(origins, starts, u.glyphs[s:end], strict=True)
            for font, gid, dx, cs, ce in glyphs
        ]
        fonts, gids, xs, glyph_starts, glyph_ends = zip(*parts, strict=True) if parts else ((),) * 5
    advances = map(sub, [*xs[1:], max(rights)], xs)
    glyphs = tuple(map(_placed, fonts, gids, xs, advances, glyph_starts, glyph_ends))
    return _make_line(
        first_char, last_char, u.text[first_char:last_char], x0, brk.measure, setl.natural,
        setl.width, glyphs, char_x, setl.adjustments,
        setl.loose, brk.relaxed, brk.emergency or setl.overfull > 0, brk.hang, brk.last,
        setl.overfull,
    )  # fmt: skip


def _char_boxes(lefts, rights, starts, ends):
    """Left/right of every character: a unit's box shared evenly by its characters."""
    for left, right, start, end in zip(lefts, rights, starts, ends, strict=True):
        nchars = end - start
        span = right - left
        for c in range(nchars):
            yield left + span * c // nchars, left + span * (c + 1) // nchars


_new = object.__new__


def _maker(cls):
    """A positional constructor of frozen slots dataclass `cls` that skips its `__init__`, which
    goes through `object.__setattr__` field by field (slow enough to matter per line)."""
    setters = tuple(cls.__dict__[field.name].__set__ for field in fields(cls))

    def make(*values):
        obj = _new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(obj, value)
        return obj

    return make


_make_line = _maker(Line)
_set_font, _set_gid, _set_x, _set_advance, _set_start, _set_end = (
    PlacedGlyph.__dict__[name].__set__ for name in ("font", "gid", "x", "advance", "start", "end")
)


def _placed(font: str, gid: int, x: int, advance: int, start: int, end: int) -> PlacedGlyph:
    """`_maker(PlacedGlyph)` unrolled: one per glyph, a third of the engine's time once."""
    glyph = _new(PlacedGlyph)
    _set_font(glyph, font)
    _set_gid(glyph, gid)
    _set_x(glyph, x)
    _set_advance(glyph, advance)
    _set_start(glyph, start)
    _set_end(glyph, end)
    return glyph
