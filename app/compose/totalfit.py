"""Total-fit line breaking (cjk-composition §3.8, `composer = "paragraph"`): Knuth–Plass over
the paragraph with the engine's composition rules as the feasible moves.

Every line a paragraph could have is priced by what setting it would cost (`LineCost`): the
inter-character stretch per E3 gap (cubed, so one very loose line costs more than several
slightly loose ones), widened word spaces and CJK–Latin spaces, punctuation compressed to push a
unit in (line-end and in-line blanks, R1–R6), a ragged line's shortfall, a Latin word hyphenated,
a weak kinsoku rule relaxed, an emergency cut inside a word or number, and a 孤字 last line. The
breaker then takes the cheapest sequence of lines.

Kinsoku stays absolute: a strong rule is never a break, not even an emergency one (those cut only
inside a Latin word or number, never before an ASCII closing mark or after an opening one).

The greedy breaker's lines are priced first: when none is past the tolerance (a line a reader
would see as loose), they stand, as TeX's first pass does. Otherwise they bound the search, the
way Typst bounds its optimiser: no partial paragraph dearer than them is followed, and the bound
tightens where a path meets a greedy line start. From each line start only the lines around the
natural fit are candidates: back from it while the stretch stays under that bound, forward while
the compressible blanks can still take the overflow.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from itertools import accumulate
from operator import add

from app.compose.classes import BK, CLOSING, HANGABLE, SP, STOP, H
from app.compose.hyphenate import hyphen_points, separator_points
from app.compose.linebreak import LineBreak, break_lines, emergency_cut, fit_line
from app.compose.measure import LineMeasure
from app.compose.segment import LEGAL, NEVER, WEAK, Units

#: Cost of a line stretched by x em per E3 gap: STRETCH · x³ (¼ em → 100, ½ em → 800, 1 em → 6400).
STRETCH = 6400
#: A line stretched beyond ¼ em per gap is seen as letter-spaced: it costs VISIBLE more (and ten
#: times that beyond 1 em), so the breaker spends stretch on several lines rather than show one.
VISIBLE = 5000
VISIBLE_FROM = Fraction(1, 4)
#: The greedy lines stand when none costs more than this (a line stretched ¼ em per gap, or
#: compressed by pushing in several marks): like TeX's \pretolerance, the search is spent
#: on paragraphs with a line a reader would see as loose, a relaxed rule, an emergency or a 孤字.
TOLERANCE = STRETCH / 64
#: Cost per em² of compression: pushing in ½ em (one comma's blank) costs 10.
SHRINK = 40
#: Cost of a CJK–Latin space or a word space widened by x em: SPACE · x³, per space (within
#: their bounds, ½ em at most, so never more than a slightly stretched line).
SPACE = 800
#: A line ending in a hyphenated Latin word: dearer than any line a reader would not see as
#: loose, cheaper than one they would.
HYPHEN = 1000
#: A URL, e-mail address, path or identifier broken after one of its separators (no hyphen).
SEPARATOR = 3000
#: Flat costs. Within the loose limit (§3.7) any lines are better than a relaxed weak rule; a
#: line beyond it costs more than relaxing; an emergency cut comes after both. A 孤字 last line.
RELAX = 50_000
OVER_LIMIT = 100_000
EMERGENCY = 200_000
ORPHAN = 20_000
#: Cost of a ragged line (left, centred or right aligned) short of its measure by x em: RAGGED ·
#: x². Not nothing: with every ragged line free, any breaks would do (one character a line).
RAGGED = 100
#: A hanging mark's small price (a line that fits without one is better).
HANG = 1.0
#: The active-node window: at most this many shorter lines are followed from each line start.
BACK = 8
#: The search starts this many lines before the first greedy line past the tolerance, or more
#: in a narrow measure: as many as hold `LOOKBACK_EM` em. Moving a break by one character takes
#: an em of punctuation blanks and slack from the lines in between, and that is a matter of how
#: much text they hold, not of how many lines: eight lines at 8字 are only 64 characters.
LOOKBACK = 8
LOOKBACK_EM = 96
#: Lines beyond the greedy count whose widths are asked for (text wrap may vary them).
_WIDTHS_AHEAD = 4


class LineCost:
    """Prefix sums over one paragraph, so that any candidate line is priced in O(1)."""

    def __init__(self, u: Units, m: LineMeasure, hyphen: int = 0) -> None:
        self.u, self.m, self.hyphen = u, m, hyphen
        settings = m.settings
        n = len(u)
        lb, rb, cls = u.lb, u.rb, u.cls
        if not settings.compressible:
            self.blanks = [0] * (n + 1)
        elif settings.compress_stops:
            self.blanks = list(accumulate(map(add, lb, rb), initial=0))
        else:
            blanks = (a + (0 if c == STOP else b) for a, b, c in zip(lb, rb, cls, strict=True))
            self.blanks = list(accumulate(blanks, initial=0))
        space, ink = u.space, u.ink
        self.spaces = list(accumulate(space, initial=0))
        self.space_shrink: list[int] | None
        self.space_stretch: list[int] | None
        if True in space:
            lo, hi = m.space_min, m.space_max
            self.space_shrink = list(
                accumulate(
                    (max(0, w - lo) if s else 0 for s, w in zip(space, ink, strict=True)), initial=0
                )
            )
            self.space_stretch = list(
                accumulate(
                    (max(0, hi - w) if s else 0 for s, w in zip(space, ink, strict=True)), initial=0
                )
            )
        else:
            self.space_shrink = self.space_stretch = None
        self.autos = list(accumulate(map(bool, u.auto), initial=0))
        self.e3 = list(accumulate(u.e3, initial=0))
        self._between: list[int] | None = None
        em = u.em
        self.em = em
        self.stretch_unit = STRETCH / em**3
        self.space_unit = SPACE / em**3
        self.shrink_unit = SHRINK / em**2
        self.ragged_unit = RAGGED / em**2
        self.compress_stops = settings.compress_stops
        self.compressible = settings.compressible
        self.visible = em * float(VISIBLE_FROM)
        self.limit = em * float(settings.loose_limit)
        self.justify = settings.align == "justify"
        self.even = settings.align == "even"

    def between(self, s: int, e: int) -> int:
        """Boundaries s+1..e between words (not inside one, no autospace): where a line without
        E3 gaps puts its stretch (`justify.e3_gaps`). Summed once, when first asked."""
        if self._between is None:
            u = self.u
            self._between = list(
                accumulate(
                    (k != NEVER and not a for k, a in zip(u.brk, u.auto, strict=True)), initial=0
                )
            )
        return self._between[e + 1] - self._between[s + 1]

    def shrink(self, s: int, e: int) -> int:
        """`LineMeasure.shrink` of the line whose last visible unit is e, from the sums."""
        m, u = self.m, self.u
        total = 0
        if self.compressible:
            total = self.blanks[e + 1] - self.blanks[s] - m.start_trim(s)
            if u.cls[e] != STOP or self.compress_stops:
                total -= m.end_trim(e)
        if self.space_shrink is not None:
            total += self.space_shrink[e + 1] - self.space_shrink[s]
        return total + m.auto_shrink * (self.autos[e + 1] - self.autos[s + 1])

    def cost(self, s: int, b: int, w: int) -> float | None:
        """What setting units [s, b) on a line `w` lu wide costs; None if it cannot fit. The
        paragraph's last line is set, not justified: only its overflow costs; a ragged line
        costs its shortfall."""
        m = self.m
        e = m._lastvis[b]
        if e < s:
            return 0.0
        natural = m.natural(s, b)
        delta = w - natural
        if delta < 0:
            shrink = self.shrink(s, e)
            if -delta > shrink:
                return None
            return self.shrink_unit * delta * delta
        if delta == 0:
            return 0.0
        if b == len(self.u) and not self.even:
            return 0.0  # a last line is set, not justified
        if not (self.justify or self.even):
            return self.ragged_unit * delta * delta
        cost = 0.0
        if self.space_stretch is not None:
            caps = self.space_stretch[e + 1] - self.space_stretch[s]
            if caps:
                given = min(delta, caps)
                delta -= given
                per = given / (self.spaces[e + 1] - self.spaces[s])
                cost += self.space_unit * per * per * per
        autos = self.autos[e + 1] - self.autos[s + 1]
        if autos and m.auto_stretch and delta:
            given = min(delta, autos * m.auto_stretch)
            delta -= given
            per = given / autos
            cost += self.space_unit * per * per * per * autos
        if delta:  # a line without E3 gaps spreads it as `justify.e3_gaps` does
            gaps = self.e3[e + 1] - self.e3[s + 1] or self.between(s, e) or e - s or 1
            per = delta / gaps
            cost += self.stretch_unit * per * per * per
            if per > self.visible:
                cost += VISIBLE
                if per > self.em:
                    cost += VISIBLE * 10
                if per > self.limit:
                    cost += OVER_LIMIT
        return cost


def break_total_fit(
    u: Units, m: LineMeasure, widths: Callable[[int], int], hyphen: int = 0
) -> list[LineBreak]:
    """The cheapest lines of the paragraph (see the module docstring); `widths(i)` as in
    `break_lines`; `hyphen`, the hyphen glyph's advance, lets Latin words be hyphenated."""
    greedy = break_lines(u, m, widths)
    if len(greedy) < 2:
        return greedy
    price = LineCost(u, m, hyphen)
    costs = [_priced(u, m, price, brk) for brk in greedy]
    if max(costs) <= TOLERANCE:
        return greedy  # no line a reader would see as loose: as TeX's first pass, accepted
    # Lines before the search's start (LOOKBACK lines, or LOOKBACK_EM em, before the first one
    # past the tolerance) keep their greedy breaks.
    loose = next(i for i, cost in enumerate(costs) if cost > TOLERANCE)
    first, span = loose, 0
    while first > 0 and (loose - first < LOOKBACK or span < LOOKBACK_EM * u.em):
        first -= 1
        span += greedy[first].measure
    best = _search(u, m, price, widths, greedy, costs, first)
    return greedy[:first] + best if best is not None else greedy


def _priced(u: Units, m: LineMeasure, price: LineCost, brk: LineBreak) -> float:
    """The greedy line's cost under the same prices (the search's bound)."""
    cost = price.cost(brk.start, brk.end - 1 if brk.hang else brk.end, brk.measure)
    if cost is None or brk.emergency:
        cost = (cost or 0.0) + EMERGENCY
    if brk.relaxed:
        cost += RELAX
    if brk.last and _is_orphan(u, m, brk.start, brk.end):
        cost += ORPHAN
    return cost


#: A candidate line: (end, cost, relaxed rule, emergency, hanging, hyphenated).
_Candidate = tuple[int, float, str, bool, bool, bool]
#: A search node: (cost so far, previous boundary, previous line index, the line).
_Node = tuple[float, int, int, LineBreak | None]


def _search(
    u: Units,
    m: LineMeasure,
    price: LineCost,
    widths: Callable[[int], int],
    greedy: list[LineBreak],
    costs: list[float],
    first: int,
) -> list[LineBreak] | None:
    """Forward dynamic programme over (boundary, line index) nodes, line indexes folded once
    the widths stop changing; None if no path within the bound (the greedy lines stand).

    The bound starts as the greedy lines' cost and tightens wherever a path meets a greedy line
    start at the same line index: that path finished by the greedy lines is a paragraph too."""
    n = len(u)
    cls = u.cls
    # Line widths: those that differ are kept apart, the rest share a node.
    ahead = len(greedy) + _WIDTHS_AHEAD
    w = [widths(i) for i in range(ahead + 1)]
    fold = ahead
    while fold > 0 and w[fold - 1] == w[ahead]:
        fold -= 1
    seg_ends = _segment_ends(u)
    rest = list(accumulate(reversed(costs), initial=0.0))[::-1]  # greedy lines i.. cost
    meets = {brk.start: (min(i, fold), rest[i]) for i, brk in enumerate(greedy) if i >= first}
    slack = 1 + 1e-9
    limit = rest[first] * slack + 1e-9
    # nodes[k]: {line index: (cost, previous boundary, previous index, LineBreak)}
    nodes: list[dict[int, _Node] | None] = [None] * (n + 1)
    start = greedy[first].start
    nodes[start] = {min(first, fold): (0.0, -1, -1, None)}
    for s in range(start, n):
        here = nodes[s]
        if not here:
            continue
        seg_end = seg_ends[s]
        forced_end = seg_end < n or cls[seg_end - 1] == BK
        meet = meets.get(s)
        if meet is not None and meet[0] in here:
            limit = min(limit, (here[meet[0]][0] + meet[1]) * slack + 1e-9)
        for index, (acc, _, _, _) in list(here.items()):
            width = w[min(index, fold)]
            key = min(index + 1, fold)
            for b, cost, relaxed, emergency, hanging, hyphen in _candidates(
                u, m, price, s, seg_end, width, limit - acc
            ):
                total = acc + cost
                slot = nodes[b]
                if slot is None:
                    slot = nodes[b] = {}
                old = slot.get(key)
                # Ties go to the later start (fuller lines first, as the greedy breaker sets).
                if old is None or total <= old[0] + 1e-9 * (1 + old[0]):
                    last = b == n
                    forced = b == seg_end and forced_end
                    line = LineBreak(s, b, width, hanging, relaxed, emergency, forced, last, hyphen)
                    slot[key] = (total, s, index, line)
    final = nodes[n]
    if not final:
        return None
    _, s, index, step = min(final.values(), key=lambda node: node[0])
    lines: list[LineBreak] = []
    while step is not None:  # back to the start node, which has no line
        lines.append(step)
        here = nodes[s]
        assert here is not None
        _, s, index, step = here[index]
    lines.reverse()
    return lines


def _candidates(
    u: Units, m: LineMeasure, price: LineCost, s: int, seg_end: int, width: int, room: float
) -> list[_Candidate]:
    """(end, cost, relaxed rule, emergency, hanging, hyphenated) of the lines from unit s worth
    following: back from the natural fit while the stretch stays within `room` (at most `BACK`
    of them), forward while the blanks can take the overflow, a hanging mark, the overflowing
    Latin word hyphenated, an emergency cut."""
    n = len(u)
    brk = u.brk
    cost_of = price.cost
    p = m.fit(s, seg_end, width)
    found: list[_Candidate] = []
    b = p
    back = BACK
    while b > s and back:
        kind = brk[b] if b < seg_end else LEGAL
        if kind in (LEGAL, WEAK):
            cost = cost_of(s, b, width)
            if cost is not None:
                if cost > room:
                    break
                back -= 1
                if kind == WEAK:
                    cost += RELAX
                if b == n and _is_orphan(u, m, s, b):
                    cost += ORPHAN
                if cost <= room:
                    found.append((b, cost, u.rule[b] if kind == WEAK else "", False, False, False))
        b -= 1
    b = p + 1
    while b <= seg_end:
        cost = cost_of(s, b, width)
        if cost is None or cost > room:
            break
        kind = brk[b] if b < seg_end else LEGAL
        if kind in (LEGAL, WEAK):
            if kind == WEAK:
                cost += RELAX
            if b == n and _is_orphan(u, m, s, b):
                cost += ORPHAN
            if cost <= room:
                found.append((b, cost, u.rule[b] if kind == WEAK else "", False, False, False))
        b += 1
    if m.settings.hang and p < seg_end and _hangs(u, p, seg_end) and room >= HANG:
        found.append((p + 1, HANG, "", False, True, False))
    if price.hyphen and p < seg_end:
        narrower = width - price.hyphen
        for k in hyphen_points(u, p):
            cost = cost_of(s, k, narrower) if k > s else None
            if cost is not None and cost + HYPHEN <= room:
                found.append((k, cost + HYPHEN, "", False, False, True))
    if p < seg_end:
        for k in separator_points(u, p):
            cost = cost_of(s, k, width) if k > s else None
            if cost is not None and cost + SEPARATOR <= room:
                found.append((k, cost + SEPARATOR, "", False, False, False))
    cut = emergency_cut(u, s, p) if p < seg_end and brk[p] != LEGAL else None
    if cut is not None:
        cost = cost_of(s, cut, width)
        if cost is not None and cost + EMERGENCY <= room:
            found.append((cut, cost + EMERGENCY, "", True, False, False))
    if not found and room >= EMERGENCY:  # nothing fits at all: the greedy line, an emergency
        line = fit_line(u, m, s, seg_end, width)
        found.append((line.end, EMERGENCY, line.relaxed, True, line.hang, False))
    return found


def _segment_ends(u: Units) -> list[int]:
    """For every unit, the end of its forced-break segment (just after its BK unit)."""
    n = len(u)
    ends = [n] * n
    cls = u.cls
    if BK in cls:
        end = n
        for i in range(n - 1, -1, -1):
            if cls[i] == BK:
                end = i + 1
            ends[i] = end
    return ends


def _hangs(u: Units, p: int, seg_end: int) -> bool:
    return (
        u.text[u.starts[p]] in HANGABLE
        and u.ends[p] - u.starts[p] == 1
        and (p + 1 == seg_end or u.brk[p + 1] == LEGAL)
    )


def _is_orphan(u: Units, m: LineMeasure, s: int, b: int) -> bool:
    """A last line of one Han character, closing marks after it allowed (§3.6)."""
    if not m.settings.orphan_control or s == 0 or u.cls[s] != H:
        return False
    for i in range(s + 1, b):
        c = u.cls[i]
        if c not in CLOSING and c != SP:
            return False
    return True
