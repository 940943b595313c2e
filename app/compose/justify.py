"""Step 7 of the pipeline: setting one line to its measure (cjk-composition §3.5).

Reduction runs R0–R6 and expansion E1–E3 in clreq's order. Every level water-fills: each item gets
an equal share up to its cap, what an item cannot take goes to the others, and the integer
remainder goes one lu each to the first items in logical order. So the same line always comes out
the same to the lu.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.compose.classes import CL, CLOSING, OP, PAUSE, STOP, H
from app.compose.linebreak import LineBreak
from app.compose.measure import LineMeasure
from app.compose.segment import NEVER


@dataclass(frozen=True, slots=True)
class SetLine:
    """Where each unit of a line goes: `left[j]` is the box of unit start+j, `width[j]` its set
    width, `shift[j]` how far its glyphs move left of the box (trimmed left blank)."""

    start: int
    end: int
    natural: int
    width: int  # from the first box's left to the last visible box's right (hanging excluded)
    offset: int  # alignment shift applied to every box
    left: tuple[int, ...]
    set_width: tuple[int, ...]
    shift: tuple[int, ...]
    adjustments: tuple[tuple[str, tuple[int, ...]], ...]
    overfull: int  # lu the line still exceeds its measure after every reduction
    loose: bool


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
    lb = [u.lb[i] for i in range(s, end)]
    rb = [u.rb[i] for i in range(s, end)]
    mid = [u.ink[i] for i in range(s, end)]
    gap = [0] * count  # space after unit s + j
    for k in range(s + 1, e + 1):
        gap[k - 1 - s] = u.auto[k]
    for j in range(e + 1 - s, count):
        if not (line.hang and j == count - 1):
            mid[j] = 0  # trailing spaces and breaks take no room
    if e >= s:
        lb[0] -= m.start_trim(s)
        rb[e - s] -= m.end_trim(e)
    if line.hang:
        rb[-1] -= m.end_trim(end - 1)
    natural = m.natural(s, b)
    delta = line.measure - natural
    adjustments: list[tuple[str, tuple[int, ...]]] = []
    overfull = 0
    loose = False

    def level(name: str, caps: list[int], amount: int, apply) -> int:
        alloc = water_fill(caps, amount)
        given = sum(alloc)
        if given:
            adjustments.append((name, tuple(-a if name[0] == "R" else a for a in alloc)))
            apply(alloc)
        return amount - given

    inner = range(s, e + 1)
    if delta < 0 and e >= s:
        need = -delta
        if settings.keep_end_if_fits and u.cls[e] in CLOSING:
            need = _shrink_sides(level, "R0", [e - s], rb, need)
        spaces = [i - s for i in inner if u.space[i]]
        need = level(
            "R1",
            [max(0, mid[j] - m.space_min) for j in spaces],
            need,
            lambda a: _sub(mid, spaces, a),
        )
        if settings.compressible:
            opens = [i - s for i in inner if u.cls[i] == OP and lb[i - s]]
            closes = [i - s for i in inner if u.cls[i] == CL and rb[i - s]]
            caps = [lb[j] for j in opens] + [rb[j] for j in closes]

            def apply_brackets(a: list[int]) -> None:
                _sub(lb, opens, a[: len(opens)])
                _sub(rb, closes, a[len(opens) :])

            need = level("R3", caps, need, apply_brackets)
            need = _shrink_sides(level, "R4", _members(u, inner, s, rb, PAUSE), rb, need)
        autos = [k - 1 - s for k in range(s + 1, e + 1) if u.auto[k]]
        need = level("R5", [m.auto_shrink] * len(autos), need, lambda a: _sub(gap, autos, a))
        if settings.compressible and settings.compress_stops:
            need = _shrink_sides(level, "R6", _members(u, inner, s, rb, STOP), rb, need)
        overfull = need
    justify = align == "even" or (align == "justify" and (not line.last or line.forced))
    if delta > 0 and justify and e >= s:
        extra = delta
        spaces = [i - s for i in inner if u.space[i]]
        extra = level(
            "E1",
            [max(0, m.space_max - mid[j]) for j in spaces],
            extra,
            lambda a: _add(mid, spaces, a),
        )
        autos = [k - 1 - s for k in range(s + 1, e + 1) if u.auto[k]]
        extra = level("E2", [m.auto_stretch] * len(autos), extra, lambda a: _add(gap, autos, a))
        if extra:
            gaps = _e3_gaps(u, s, e, align == "even")
            if gaps:
                alloc = spread(len(gaps), extra)
                adjustments.append(("E3", tuple(alloc)))
                _add(gap, gaps, alloc)
                limit = settings.loose_warning
                loose = max(alloc) * limit.denominator > limit.numerator * u.em
    width = sum(lb[j] + mid[j] + rb[j] + gap[j] for j in range(max(0, e + 1 - s)))
    offset = 0
    mode = align if not line.last or align == "even" else settings.last_line_align
    if mode == "justify" and line.last and not line.forced:
        mode = settings.last_line_align
    if mode == "center":
        offset = (line.measure - width) // 2
    elif mode == "right":
        offset = line.measure - width
    left = []
    x = offset
    for j in range(count):
        if line.hang and j == count - 1:
            x = offset + max(width, line.measure)
        left.append(x)
        x += lb[j] + mid[j] + rb[j] + gap[j]
    shift = tuple(u.full_lb[s + j] - lb[j] for j in range(count))
    set_width = tuple(lb[j] + mid[j] + rb[j] for j in range(count))
    return SetLine(
        s, end, natural, width, offset, tuple(left), set_width, shift, tuple(adjustments),
        overfull, loose,
    )  # fmt: skip


def _members(u, inner, s: int, rb: list[int], cls: int) -> list[int]:
    return [i - s for i in inner if u.cls[i] == cls and rb[i - s]]


def _shrink_sides(level, name: str, members: list[int], rb: list[int], need: int) -> int:
    return level(name, [rb[j] for j in members], need, lambda a: _sub(rb, members, a))


def _sub(values: list[int], where: list[int], amounts: list[int]) -> None:
    for j, a in zip(where, amounts, strict=True):
        values[j] -= a


def _add(values: list[int], where: list[int], amounts: list[int]) -> None:
    for j, a in zip(where, amounts, strict=True):
        values[j] += a


def _e3_gaps(u, s: int, e: int, even: bool) -> list[int]:
    """Indexes (into the line's gap list) that take E3; a line with none spreads over any gap
    that is not inside a Latin word, and finally over every gap."""
    eligible = [k - 1 - s for k in range(s + 1, e + 1) if u.e3[k]]
    if eligible and not even:
        return eligible
    between = [k - 1 - s for k in range(s + 1, e + 1) if u.brk[k] != NEVER and not u.auto[k]]
    if even:
        hans = [k - 1 - s for k in range(s + 1, e + 1) if u.cls[k - 1] == H and u.cls[k] == H]
        return sorted(set(eligible) | set(hans) | set(between))
    return between or [k - 1 - s for k in range(s + 1, e + 1)]
