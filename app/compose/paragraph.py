"""One call from a paragraph's text to its lines of positioned glyphs (cjk-composition §3.1).

    lines = compose_paragraph(text, measure, metrics, settings).lines

Coordinates are integer lu relative to the left edge of the column; the caller places the
lines on baselines. Character offsets index `text`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from operator import add, sub
from typing import NamedTuple, cast

from app.compose.classes import CL, CLOSING, PAUSE
from app.compose.config import DEFAULT, Settings, lengths
from app.compose.headline import break_headline
from app.compose.justify import SetLine, e3_gaps, set_line, spread, water_fill
from app.compose.layout import edge_columns, edge_pairs, maker
from app.compose.linebreak import LineBreak, break_lines
from app.compose.measure import LineMeasure
from app.compose.metrics import Metrics, ShapedGlyph
from app.compose.segment import Units, build_units
from app.compose.totalfit import break_total_fit


class PlacedGlyph(NamedTuple):
    """A glyph at x (its origin) with the advance to the next glyph's origin as set."""

    font: str
    gid: int
    x: int
    advance: int
    start: int  # characters [start, end) of the paragraph this glyph draws
    end: int


class Line(NamedTuple):
    """One composed line. `x` is the left edge of its measure (the indent on a first line).

    Its glyphs are parallel tuples, as the display list's glyph runs are, so a line is drawn
    without a per-glyph object: `fonts[i]` ("" where no face has the character), `gids[i]`,
    origin `xs[i]`, `advances[i]` to the next origin, and `clusters[i]`, the characters
    [a, b) it draws counted from `start`. The glyph origins and the character edges
    (`char_lefts`, `char_rights`) are counted from `origin`, so a line that needs no
    adjustment can take them as slices of its paragraph's (`_Natural`); `char_x` and
    `glyphs` add it back.
    """

    start: int
    end: int
    text: str
    x: int
    measure: int
    natural: int
    width: int
    fonts: tuple[str, ...]
    gids: tuple[int, ...]
    xs: tuple[int, ...]
    advances: tuple[int, ...]
    clusters: tuple[tuple[int, int], ...]
    char_lefts: tuple[int, ...]  # per character in [start, end)
    char_rights: tuple[int, ...]
    left: int  # the characters' extent: the least of char_lefts, the most of char_rights
    right: int
    adjustments: tuple[tuple[str, tuple[int, ...]], ...]  # level → per-item lu (R negative)
    loose: bool = False
    relaxed: str = ""  # the weak kinsoku rule broken at this line's end
    emergency: bool = False
    hanging: bool = False
    last: bool = False
    overfull: int = 0
    origin: int = 0

    @property
    def char_x(self) -> tuple[tuple[int, int], ...]:
        """Left and right edge of every character, from the column's left edge."""
        return edge_pairs(self.char_lefts, self.char_rights, self.origin)

    @property
    def glyphs(self) -> tuple[PlacedGlyph, ...]:
        """The glyphs one by one, x from the column's left edge, characters from the
        paragraph's start."""
        s, o = self.start, self.origin
        return tuple(
            PlacedGlyph(font, gid, o + x, advance, s + a, s + b)
            for font, gid, x, advance, (a, b) in zip(
                self.fonts, self.gids, self.xs, self.advances, self.clusters, strict=True
            )
        )


_line = maker(Line)


class Paragraph(NamedTuple):
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
    indent = lengths(settings, units.em).indent if first_line_indent else 0

    def measure_of(i: int) -> int:
        return (widths(i) if widths else measure) - (indent if i == 0 else 0)

    hyphen = _hyphen(metrics) if settings.hyphenate_latin else None
    breaks = _breaks(units, m, measure_of, hyphen.advance if hyphen else 0)
    natural = _Natural.of(units, m) if breaks else None
    lines = []
    for index, brk in enumerate(breaks):
        x0 = indent if index == 0 else 0
        drawn_hyphen = hyphen if brk.hyphen else None
        if (
            drawn_hyphen is not None
        ):  # set in the measure less the hyphen, which is drawn after the line
            brk = brk._replace(measure=brk.measure - drawn_hyphen.advance)
        line = natural.line(brk, x0) if natural else None
        if line is None:
            line = _emit(units, brk, set_line(m, brk, settings.align), x0)
        if drawn_hyphen is not None:
            line = _with_hyphen(line, drawn_hyphen)
        lines.append(line)
    return Paragraph(text, units.em, tuple(lines), tuple(units.missing))


def _hyphen(metrics: Metrics) -> ShapedGlyph | None:
    """The hyphen drawn after a hyphenated Latin word, None if no face has one."""
    glyph = metrics.latin("-")[0]
    return glyph if glyph.gid else None


def _with_hyphen(line: Line, hyphen: ShapedGlyph) -> Line:
    """`line` with a hyphen after its last character: a glyph that draws no character of the
    text (an empty cluster), filling the measure it was set short of."""
    count = line.end - line.start
    return line._replace(
        fonts=(*line.fonts, hyphen.font),
        gids=(*line.gids, hyphen.gid),
        xs=(*line.xs, line.right + hyphen.dx),
        advances=(*line.advances, hyphen.advance),
        clusters=(*line.clusters, (count, count)),
        measure=line.measure + hyphen.advance,
        width=line.width + hyphen.advance,
    )


def _breaks(units: Units, m: LineMeasure, measure_of: Callable[[int], int], hyphen: int):
    """The paragraph's lines as unit ranges, by the settings' composer (headlines and bylines
    at word boundaries); `hyphen` (the hyphen's advance, 0 for none) lets total fit hyphenate."""
    if not len(units):
        return []
    composer = m.settings.composer
    if composer == "greedy":
        return break_lines(units, m, measure_of)
    if composer in ("headline", "byline"):
        return break_headline(units, m, measure_of, byline=composer == "byline")
    return break_total_fit(units, m, measure_of, hyphen)


class _Natural(NamedTuple):
    """A paragraph set as one long line at natural width, each unit one character drawn by one
    glyph. A line that needs no adjustment (three in four on a news page) is a slice of it."""

    u: Units
    m: LineMeasure
    lefts: tuple[int, ...]  # unit k's box
    rights: tuple[int, ...]
    xs: tuple[int, ...]  # unit k's glyph origin
    advances: tuple[int, ...]  # xs[k + 1] - xs[k]
    fonts: tuple[str, ...]
    gids: tuple[int, ...]

    @classmethod
    def of(cls, u: Units, m: LineMeasure) -> _Natural | None:
        n = len(u)
        if n != len(u.text) or None in u.font or not m.monotone:
            return None
        glue, widths = m.glue, m.widths
        if any(glue):
            lefts, rights = tuple(map(add, widths[:n], glue)), tuple(map(add, widths[1:], glue))
        else:  # no autospace: the boxes are the width sums themselves
            lefts, rights = tuple(widths[:n]), tuple(widths[1:])
        # Each glyph sits `glyph_dx` from its ink, which starts `lb` into the box.
        if any(u.glyph_dx) or any(u.lb):
            xs = tuple(map(add, lefts, map(add, u.lb, u.glyph_dx)))
        else:
            xs = lefts
        advances = tuple(map(sub, xs[1:], xs))
        # every unit has its one glyph (`None in u.font` returned above): a font and a gid
        fonts, gids = cast("tuple[str, ...]", u.font), cast("tuple[int, ...]", u.gid)
        return cls(u, m, lefts, rights, xs, advances, fonts, gids)

    def line(self, brk: LineBreak, x0: int) -> Line | None:
        """Line `brk` as `set_line` and `_emit` would set it, or None if it needs more than E3
        expansion or R4 compression, hangs, trims an opening mark or ends in spaces."""
        m, s, end = self.m, brk.start, brk.end
        e = end - 1
        if brk.hang or m.last_visible(s, end) != e or m.start_trim(s):
            return None
        right = self.rights[e] - m.end_trim(e)
        natural = right - self.lefts[s]
        delta = brk.measure - natural
        settings = m.settings
        align = settings.align
        justified = align == "even" or (align == "justify" and (not brk.last or brk.forced))
        if delta < 0:
            return self._compressed(brk, x0, right, natural, delta)
        if delta and justified:
            return self._expanded(brk, x0, right, natural, delta)
        offset = 0
        if delta:
            mode = settings.last_line_align if brk.last else align
            if mode == "center":
                offset = delta // 2
            elif mode == "right":
                offset = delta
        xs, rights = self.xs, self.rights
        char_rights = rights[s:end] if right == rights[e] else (*rights[s:e], right)
        return _line((
            s, end, self.u.text[s:end], x0, brk.measure, natural, natural, self.fonts[s:end],
            self.gids[s:end], xs[s:end], (*self.advances[s:e], right - xs[e]),
            _consecutive(end - s), self.lefts[s:end], char_rights, self.lefts[s], right, (),
            False, brk.relaxed, brk.emergency, False, brk.last, 0, x0 + offset - self.lefts[s],
        ))  # fmt: skip

    def _expanded(self, brk: LineBreak, x0: int, right: int, natural: int, delta: int):
        """A justified line short by `delta` with no word space (E1): E2 widens its autospaces,
        E3 spreads the rest over its gaps. Most kinsoku push-outs (on the sample page 92 of
        the 125 lines that `set_line` would set)."""
        u, m, s, end = self.u, self.m, brk.start, brk.end
        e = end - 1
        if m.settings.align != "justify" or True in u.space[s:end]:
            return None
        bump = [0] * (end - s)  # gap j follows unit s + j: it moves the units after it
        adjustments = []
        extra = delta
        autos = [j for j, width in enumerate(u.auto[s + 1 : end]) if width]
        if autos:
            alloc = water_fill([m.auto_stretch] * len(autos), extra)
            if any(alloc):
                adjustments.append(("E2", tuple(alloc)))
                for j, amount in zip(autos, alloc, strict=True):
                    bump[j + 1] += amount
                extra -= sum(alloc)
        loose = False
        if extra:
            gaps = e3_gaps(u, s, e, even=False)
            if not gaps:
                return None
            alloc = spread(len(gaps), extra)
            adjustments.append(("E3", tuple(alloc)))
            for j, amount in zip(gaps, alloc, strict=True):
                bump[j + 1] += amount
            numerator, denominator = m.loose_warning
            loose = max(alloc) * denominator > numerator * u.em
        moved = list(accumulate(bump))
        done = tuple(adjustments)
        return self._shifted(brk, x0, natural, delta, moved, moved, right, done, loose)

    def _compressed(self, brk: LineBreak, x0: int, right: int, natural: int, delta: int):
        """A line over by -delta that R4 alone brings to its measure: the blanks of its pause
        marks (、，：；), with no word space, bracket blank or autospace to take from first or
        after: most push-ins (on the sample page 20 of those 125)."""
        u, m, s, end = self.u, self.m, brk.start, brk.end
        e = end - 1
        settings = m.settings
        classes = u.cls[s:end]
        if (
            not settings.compressible
            or (settings.keep_end_if_fits and classes[-1] in CLOSING)
            or any(u.auto[s + 1 : end])
            or True in u.space[s:end]
            or any(u.lb[s:end])  # only an opening bracket has a left blank
        ):
            return None
        blanks = u.rb[s:end]
        blanks[-1] -= m.end_trim(e)
        if any(b for c, b in zip(classes, blanks, strict=True) if c == CL):
            return None  # R3 takes closing brackets' blanks first
        pauses = [j for j, c in enumerate(classes) if c == PAUSE and blanks[j]]
        caps = [blanks[j] for j in pauses]
        if sum(caps) < -delta:
            return None
        cut = [0] * (end - s)
        for j, amount in zip(pauses, water_fill(caps, -delta), strict=True):
            cut[j] = -amount
        through = list(accumulate(cut))  # unit k's right edge moves by all cuts up to k
        before = [0, *through[:-1]]  # its left edge and glyph by those before it
        adjustments = (("R4", tuple(cut[j] for j in pauses)),)
        return self._shifted(brk, x0, natural, delta, before, through, right, adjustments, False)

    def _shifted(self, brk, x0, natural, delta, at_left, at_right, right, adjustments, loose):
        """The line cut from the natural paragraph, each unit's left edge and glyph moved by
        `at_left[k]` and its right edge by `at_right[k]`: `delta` taken up."""
        s, end = brk.start, brk.end
        e = end - 1
        xs = tuple(map(add, self.xs[s:end], at_left))
        rights = tuple(map(add, (*self.rights[s:e], right), at_right))
        return _line((
            s, end, self.u.text[s:end], x0, brk.measure, natural, natural + delta,
            self.fonts[s:end], self.gids[s:end], xs, (*map(sub, xs[1:], xs), rights[-1] - xs[-1]),
            _consecutive(end - s), tuple(map(add, self.lefts[s:end], at_left)), rights,
            self.lefts[s] + at_left[0], rights[-1], adjustments, loose, brk.relaxed, brk.emergency,
            False, brk.last, 0, x0 - self.lefts[s],
        ))  # fmt: skip


def _emit(u: Units, brk: LineBreak, setl: SetLine, x0: int) -> Line:
    s, end = brk.start, brk.end
    first_char = u.starts[s]
    last_char = u.ends[end - 1]
    starts = u.starts[s:end]
    lefts = [x0 + left for left in setl.left] if x0 else setl.left
    rights = list(map(add, lefts, setl.set_width))
    one_char_units = last_char - first_char == end - s
    if one_char_units:
        char_lefts, char_rights = tuple(lefts), tuple(rights)
    else:
        char_lefts, char_rights = edge_columns(_char_boxes(lefts, rights, starts, u.ends[s:end]))
    # Each glyph's advance reaches the next glyph's origin, the last one ends at its box.
    inks = list(map(add, lefts, setl.lb))
    fonts = u.font[s:end]
    if None not in fonts:  # one glyph per unit, drawing all of it: the common case
        gids = u.gid[s:end]
        xs = tuple(map(add, inks, u.glyph_dx[s:end]))
        if one_char_units:
            clusters = _consecutive(end - s)
        else:
            ends = u.ends[s:end]
            clusters = tuple(
                (a - first_char, b - first_char) for a, b in zip(starts, ends, strict=True)
            )
    else:
        # A glyph's dx counts from the unit's full box, which starts full_lb left of the ink.
        origins = map(sub, inks, u.full_lb[s:end])
        parts = [
            (font, gid, origin + dx, (start - first_char + cs, start - first_char + ce))
            for origin, start, glyphs in zip(origins, starts, u.glyphs[s:end], strict=True)
            for font, gid, dx, cs, ce in glyphs
        ]
        fonts, gids, xs, clusters = zip(*parts, strict=True) if parts else ((),) * 4
    right = max(rights)
    advances = tuple(map(sub, [*xs[1:], right], xs))
    return _line((
        first_char, last_char, u.text[first_char:last_char], x0, brk.measure, setl.natural,
        setl.width, fonts, gids, xs, advances, clusters, char_lefts, char_rights, min(lefts),
        right, setl.adjustments, setl.loose, brk.relaxed, brk.emergency or setl.overfull > 0,
        brk.hang, brk.last, setl.overfull, 0,
    ))  # fmt: skip


@lru_cache(maxsize=512)
def _consecutive(count: int) -> tuple[tuple[int, int], ...]:
    """Clusters of `count` glyphs drawing one character each: shared by every such line."""
    return tuple((i, i + 1) for i in range(count))


def _char_boxes(lefts, rights, starts, ends):
    """Left/right of every character: a unit's box shared evenly by its characters."""
    for left, right, start, end in zip(lefts, rights, starts, ends, strict=True):
        nchars = end - start
        span = right - left
        for c in range(nchars):
            yield left + span * c // nchars, left + span * (c + 1) // nchars
