"""Step 7 of the pipeline: setting one line to its measure (cjk-composition §3.5).

Reduction runs R0–R6 and expansion E1–E3 in clreq's order. Every level water-fills: each item gets
an equal share up to its cap, what an item cannot take goes to the others, and the integer
remainder goes one lu each to the first items in logical order. So the same line always comes out
the same to the lu.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, compress
from operator import add
from typing import NamedTuple

from app.compose.classes import CL, CLOSING, OP, PAUSE, STOP, H
from app.compose.layout import maker
from app.compose.linebreak import LineBreak
from app.compose.measure import LineMeasure
from app.compose.segment import NEVER


class SetLine(NamedTuple):
    """Where each unit of a line goes: `left[j]` is the box of unit start+j, `set_width[j]` its
    set width and `lb[j]` its left blank as set (its ink starts at left + lb)."""

    start: int
    end: int
    natural: int
    width: int  # from the first box's left to the last visible box's right (hanging excluded)
    offset: int  # alignment shift applied to every box
    left: list[int]
    set_width: list[int]
    lb: list[int]
    adjustments: tuple[tuple[str, tuple[int, ...]], ...]
    overfull: int  # lu the line still exceeds its measure after every reduction
    loose: bool


_set_line = maker(SetLine)


def water_fill(caps: list[int], amount: int) -> list[int]:
    """Share `amount` over items with caps: equal shares, capped, remainder to the first items."""
    if amount <= 0 or not caps:
        return [0] * len(caps)
    if sum(caps) <= amount:
        return list(caps)
    lo, hi = 0, max(caps)
    while lo < hi:  # the largest level t with sum(min(c, t)) <= amount
        mid = (lo + hi + 1) // 2
        if sum(min(c, mid) for c in caps) <= amount:
            lo = mid
        else:
            hi = mid - 1
    alloc = [min(c, lo) for c in caps]
    rest = amount - sum(alloc)
    for i, c in enumerate(caps):
        if rest == 0:
            break
        if c > lo:
            alloc[i] += 1
            rest -= 1
    return alloc


def spread(n: int, amount: int) -> list[int]:
    """`amount` over n uncapped items: `amount // n` each, one more for the first `amount % n`."""
    q, r = divmod(amount, n)
    return [q + 1 if i < r else q for i in range(n)]


def set_line(m: LineMeasure, line: LineBreak, align: str) -> SetLine:
    """Trim, compress or expand the units of `line` to its measure, and place them."""
    u, settings = m.u, m.settings
    s, end = line.start, line.end
    b = end - 1 if line.hang else end
    e = m.last_visible(s, b)
    count = end - s
    visible = e + 1 - s  # units s..e take room; the rest are trailing spaces and breaks
    inner = max(0, e - s)  # gaps between visible units: gap[j] follows unit s + j
    lb = u.lb[s:end]
    rb = u.rb[s:end]
    mid = u.ink[s:end]
    gap = u.auto[s + 1 : s + 1 + inner]
    gap += [0] * (count - inner)
    tail = count - 1 if line.hang else count
    if tail > visible:
        mid[visible:tail] = [0] * (tail - visible)
    natural = 0
    if e >= s:
        start_trim, end_trim = m.start_trim(s), m.end_trim(e)
        lb[0] -= start_trim
        rb[e - s] -= end_trim
        natural = m.span(s, e) - start_trim - end_trim
    if line.hang:
        rb[-1] -= m.end_trim(end - 1)
    delta = line.measure - natural
    adjustments: list[tuple[str, tuple[int, ...]]] = []
    overfull = 0
    loose = False

    def level(name: str, caps: list[int], amount: int, apply) -> int:
        if not caps:
            return amount
        alloc = water_fill(caps, amount)
        given = sum(alloc)
        if given:
            adjustments.append((name, tuple(-a if name[0] == "R" else a for a in alloc)))
            apply(alloc)
        return amount - given

    if delta < 0 and e >= s:
        classes = u.cls[s : e + 1]
        need = -delta
        if settings.keep_end_if_fits and u.cls[e] in CLOSING:
            need = _shrink_sides(level, "R0", [e - s], rb, need)
        spaces = list(compress(range(visible), u.space[s : e + 1]))
        need = level(
            "R1",
            [max(0, mid[j] - m.space_min) for j in spaces],
            need,
            lambda a: _sub(mid, spaces, a),
        )
        if settings.compressible:
            opens = [j for j, c in enumerate(classes) if c == OP and lb[j]]
            closes = [j for j, c in enumerate(classes) if c == CL and rb[j]]
            caps = [lb[j] for j in opens] + [rb[j] for j in closes]

            def apply_brackets(a: list[int]) -> None:
                _sub(lb, opens, a[: len(opens)])
                _sub(rb, closes, a[len(opens) :])

            need = level("R3", caps, need, apply_brackets)
            need = _shrink_sides(level, "R4", _members(classes, rb, PAUSE), rb, need)
        autos = list(compress(range(inner), gap))
        need = level("R5", [m.auto_shrink] * len(autos), need, lambda a: _sub(gap, autos, a))
        if settings.compressible and settings.compress_stops:
            need = _shrink_sides(level, "R6", _members(classes, rb, STOP), rb, need)
        overfull = need
    elif (
        delta > 0
        and e >= s
        and (align == "even" or (align == "justify" and (not line.last or line.forced)))
    ):
        extra = delta
        is_space = u.space[s : e + 1]
        if True in is_space:
            spaces = list(compress(range(visible), is_space))
            extra = level(
                "E1",
                [max(0, m.space_max - mid[j]) for j in spaces],
                extra,
                lambda a: _add(mid, spaces, a),
            )
        if inner and any(gap):
            autos = list(compress(range(inner), gap))
            extra = level("E2", [m.auto_stretch] * len(autos), extra, lambda a: _add(gap, autos, a))
        if extra:
            gaps = e3_gaps(u, s, e, align == "even")
            if gaps:
                alloc = spread(len(gaps), extra)
                adjustments.append(("E3", tuple(alloc)))
                _add(gap, gaps, alloc)
                numerator, denominator = m.loose_warning
                loose = max(alloc) * denominator > numerator * u.em
    if m.tracking:  # letter-spacing in every gap between visible units, fixed
        gap[:inner] = [g + m.tracking for g in gap[:inner]]
    set_width = list(map(add, map(add, lb, mid), rb))
    advance = list(map(add, set_width, gap))
    width = sum(advance[: max(0, visible)])
    offset = 0
    mode = align if not line.last or align == "even" else settings.last_line_align
    if mode == "justify" and line.last and not line.forced:
        mode = settings.last_line_align
    if mode == "center":
        offset = (line.measure - width) // 2
    elif mode == "right":
        offset = line.measure - width
    left = list(accumulate(advance[: count - 1], initial=offset))
    if line.hang:
        left[-1] = offset + max(width, line.measure)
    return _set_line(
        (s, end, natural, width, offset, left, set_width, lb, tuple(adjustments), overfull, loose)
    )


def _members(classes: Sequence[int], rb: list[int], cls: int) -> list[int]:
    return [j for j, c in enumerate(classes) if c == cls and rb[j]]


def _shrink_sides(level, name: str, members: list[int], rb: list[int], need: int) -> int:
    return level(name, [rb[j] for j in members], need, lambda a: _sub(rb, members, a))


def _sub(values: list[int], where: list[int], amounts: list[int]) -> None:
    for j, a in zip(where, amounts, strict=True):
        values[j] -= a


def _add(values: list[int], where: list[int], amounts: list[int]) -> None:
    for j, a in zip(where, amounts, strict=True):
        values[j] += a


def e3_gaps(u, s: int, e: int, even: bool) -> list[int]:
    """Indexes (into the line's gap list) that take E3; a line with none spreads over any gap
    that is not inside a Latin word, and finally over every gap."""
    inner = range(max(0, e - s))
    eligible = list(compress(inner, u.e3[s + 1 : e + 1]))
    if eligible and not even:
        return eligible
    between = [k - 1 - s for k in range(s + 1, e + 1) if u.brk[k] != NEVER and not u.auto[k]]
    if even:
        hans = [k - 1 - s for k in range(s + 1, e + 1) if u.cls[k - 1] == H and u.cls[k] == H]
        return sorted(set(eligible) | set(hans) | set(between))
    return between or list(inner)
