"""Step 6 and 8 of the pipeline: greedy line fitting with push-in first (cjk-composition §3.4),
hanging (§2.4), relaxation of weak rules and emergencies (§3.7), and orphan control (§3.6).

The breaker only chooses unit ranges; `justify.py` sets them. Lines are chosen one at a time, so an
edit never re-breaks lines before the one above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from unicodedata import category

from app.compose.classes import ASCII_NO_END, ASCII_NO_START, BK, CLOSING, HANGABLE, SP, H, L
from app.compose.layout import maker
from app.compose.measure import LineMeasure
from app.compose.segment import LEGAL, NEVER, STRONG, WEAK, Units


class LineBreak(NamedTuple):
    """Units [start, end) form a line; `hang` says unit end-1 hangs beyond the measure."""

    start: int
    end: int
    measure: int
    hang: bool = False
    relaxed: str = ""  # the weak rule broken at the end of this line, e.g. "SOL-end"
    emergency: bool = False
    forced: bool = False  # ends with a forced break (still justified)
    last: bool = False  # last line of the paragraph
    hyphen: bool = False  # ends inside a Latin word: a hyphen is drawn after it


_line_break = maker(LineBreak)


def break_lines(u: Units, m: LineMeasure, widths: Callable[[int], int]) -> list[LineBreak]:
    """Choose the lines of a paragraph; `widths(i)` is the measure of line i in lu."""
    settings = m.settings
    n = len(u)
    lines: list[LineBreak] = []
    s = 0
    seg_end = _segment_end(u, 0)
    while s < n:
        if s >= seg_end:
            seg_end = _segment_end(u, s)
        line = fit_line(u, m, s, seg_end, widths(len(lines)))
        lines.append(line)
        s = line.end
    if settings.orphan_control and len(lines) >= 2:
        _fix_orphan(u, m, lines, widths)
    return lines


def _segment_end(u: Units, s: int) -> int:
    """The end of the forced-break segment starting at s (just after its BK unit)."""
    cls = u.cls
    if BK in cls:  # rare: look for the next one
        try:
            return cls.index(BK, s) + 1
        except ValueError:
            pass
    return len(cls)


def fit_line(u: Units, m: LineMeasure, s: int, seg_end: int, w: int) -> LineBreak:
    """The greedy line from unit s in a measure of w lu (§3.4)."""
    settings = m.settings
    n = len(u)
    brk = u.brk

    def line(end: int, hang=False, relaxed="", emergency=False) -> LineBreak:
        forced = (end == seg_end and seg_end < n) or (end == n and u.cls[n - 1] == BK)
        return _line_break((s, end, w, hang, relaxed, emergency, forced, end == n, False))

    p = m.fit(s, seg_end, w)
    if p == s:
        p = s + 1  # one unit is wider than the line
        if not _fits_shrunk(m, s, p, w):
            return line(p, emergency=True)
    if p == seg_end or brk[p] == LEGAL:
        return line(p)
    # A kinsoku conflict at the natural break.
    if (
        settings.hang
        and u.text[u.starts[p]] in HANGABLE
        and u.ends[p] - u.starts[p] == 1
        and (p + 1 == seg_end or brk[p + 1] == LEGAL)
    ):
        return line(p + 1, hang=True)
    latin_split = brk[p] == NEVER and (u.cls[p - 1] == L or u.cls[p] == L)
    if not latin_split or settings.latin_push_in:
        b_in = _next_legal(brk, p, seg_end)
        if _fits_shrunk(m, s, b_in, w):
            return line(b_in)
    b_out = _last_of(brk, s, p, LEGAL)
    if b_out is not None:
        need = w - m.natural(s, b_out) - m.stretch_caps(s, b_out)
        gaps = m.gaps(s, b_out)
        limit = settings.loose_limit
        if need > 0 and (gaps == 0 or need * limit.denominator > limit.numerator * u.em * gaps):
            b_rel = _last_of(brk, b_out, p + 1, WEAK)
            if b_rel is not None:
                return line(b_rel, relaxed=u.rule[b_rel])
        return line(b_out)
    b_rel = _last_of(brk, s, p + 1, WEAK)
    if b_rel is not None:
        return line(b_rel, relaxed=u.rule[b_rel])
    cut = emergency_cut(u, s, p)
    return line(p if cut is None else cut, emergency=True)


def _fits_shrunk(m: LineMeasure, s: int, b: int, w: int) -> bool:
    return m.natural(s, b) - m.shrink(s, b) <= w


def _next_legal(brk: list[int], p: int, seg_end: int) -> int:
    for k in range(p + 1, seg_end):
        if brk[k] == LEGAL:
            return k
    return seg_end


def _last_of(brk: list[int], s: int, p: int, kind: int) -> int | None:
    """The last boundary in (s, p) of exactly `kind`."""
    for k in range(p - 1, s, -1):
        if brk[k] == kind:
            return k
    return None


def emergency_cut(u: Units, s: int, p: int) -> int | None:
    """Where a word or number overflowing at boundary p may be cut when nothing else fits
    (§3.7): inside it, after a URL separator if there is one, else as late as fits; never at a
    kinsoku boundary, before an ASCII closing mark or after an opening one. None if nowhere."""
    text, brk, rule = u.text, u.brk, u.rule
    cut = None
    for k in range(p, s, -1):
        if brk[k] == STRONG:
            continue
        if brk[k] != NEVER or rule[k] != "word":
            break  # the word starts here: cutting before it is no emergency
        if never_starts(text[u.starts[k]]) or never_ends(text[u.ends[k - 1] - 1]):
            continue
        if text[u.ends[k - 1] - 1] in "/.-?&":
            return k
        if cut is None:
            cut = k
    return cut


def never_starts(ch: str) -> bool:
    """A mark no line starts with, whatever its context: ASCII closers, closing brackets and
    quotes of any script."""
    return ch in ASCII_NO_START or category(ch) in ("Pe", "Pf")


def never_ends(ch: str) -> bool:
    return ch in ASCII_NO_END or category(ch) in ("Ps", "Pi")


def _fix_orphan(
    u: Units, m: LineMeasure, lines: list[LineBreak], widths: Callable[[int], int]
) -> None:
    """A last line of one Han character (plus closing marks) takes one more unit from above."""
    last, prev = lines[-1], lines[-2]
    if prev.forced or not _is_orphan(u, last.start, last.end):
        return
    k = _last_of(u.brk, prev.start, prev.end, LEGAL)
    if k is None:
        return
    w_last = widths(len(lines) - 1)
    if m.natural(k, last.end) > w_last:
        return
    lines[-2] = LineBreak(prev.start, k, prev.measure)
    lines[-1] = LineBreak(k, last.end, w_last, last=True)


def _is_orphan(u: Units, s: int, b: int) -> bool:
    hans = 0
    for i in range(s, b):
        cls = u.cls[i]
        if cls == H:
            if hans or i > s:
                return False
            hans = 1
        elif cls not in CLOSING and cls != SP:
            return False
    return hans == 1
