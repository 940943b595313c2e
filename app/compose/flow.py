"""Frame flow: stories onto the page's baseline grid, through columns and linked frames.

A text frame offers *slots*: one per body line per text column, in flow order (frame by
frame, column by column, top to bottom), minus the slots a photo or wrapping box covers.
Paragraphs take slots in order; a paragraph style with `lines = N` occupies N slots (a
小标题 in a two-line band) and is kept whole in one column, with keep-with-next. What does
not fit is overset, reported as lines and characters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from app.compose.layout import Rect, maker
from app.compose.paragraph import Line, Paragraph

# A paragraph that would leave fewer than this many of its lines alone at a column's foot
# (or start a column with fewer) moves; 2 is the newspaper habit for widows and orphans.
KEEP_LINES = 2


class Slot(NamedTuple):
    """One body line of one text column: where a line of text may sit."""

    frame: int
    column: int
    x: int
    width: int
    top: int  # top of the line's em box at body size


class PlacedLine(NamedTuple):
    """A composed line with the place it got: left edge, baseline, em box."""

    paragraph: int
    line: Line
    frame: int
    x: int
    baseline: int
    top: int
    bottom: int


_slot, _placed_line = maker(Slot), maker(PlacedLine)


class FlowResult(NamedTuple):
    placed: tuple[PlacedLine, ...]
    overset_lines: int
    overset_from: tuple[int, int] | None  # (paragraph, char offset) of the first unplaced text
    underset_lines: int


def column_slots(
    columns: Sequence[tuple[int, Rect, int]], pitch: int, body: int, keep_out: Sequence[Rect]
) -> list[Slot]:
    """Slots of text columns `(frame index, rect, first line top)` in flow order: lines from
    the first top down while the em box fits, minus those a keep-out zone covers."""
    slots: list[Slot] = []
    for number, (frame, rect, top) in enumerate(columns):
        x, w, bottom = rect.x, rect.w, rect.bottom
        # Zones beside the column never cover one of its lines.
        zones = [z for z in keep_out if z.x < x + w and x < z.right]
        tops = range(max(top, rect.y), bottom - body + 1, pitch)
        if not zones:
            slots += [_slot((frame, number, x, w, y)) for y in tops]
            continue
        for y in tops:
            band_bottom = y + (pitch if y + pitch <= bottom else body)
            if not any(z.y < band_bottom and y < z.bottom for z in zones):
                slots.append(Slot(frame, number, x, w, y))
    return slots


def flow_paragraphs(
    paragraphs: Sequence[tuple[int, int, bool]],
    compose: Callable[[int, Callable[[int], int]], Paragraph],
    slots: Sequence[Slot],
    pitch: int,
    body: int,
    ascent: Callable[[int], tuple[int, int]],
    first: int = 0,
    spacing: Sequence[tuple[int, int]] = (),
) -> FlowResult:
    """Place paragraphs in slots.

    `paragraphs[i]` = (band lines, size in lu, keep_with_next); `compose(i, widths)` sets
    paragraph i with `widths(line)` the measure of its line-th line; `ascent(i)` gives the
    em-box top-to-baseline distance and the size of paragraph i's type. Placed lines are
    numbered from `first`, the story's index of paragraphs[0]. `spacing[i]`, if given, is
    the (before, after) of paragraph i in whole body lines: space before is left out at the
    top of a column, as is space after at its foot.
    """
    placed: list[PlacedLine] = []
    cursor = 0
    for index, (band, size, keep_next) in enumerate(paragraphs):
        before = spacing[index][0] if spacing and index else 0
        if before and 0 < cursor < len(slots) and _same_column(slots, cursor - 1, cursor):
            cursor = min(len(slots), cursor + before)
        # Slots one line of this size needs: its em box plus a fifth of it as the least line gap.
        per_line = max(1, -(-(size * 6 // 5) // pitch))

        def widths_from(start: int, step: int = per_line) -> Callable[[int], int]:
            last = len(slots) - 1
            return lambda k: slots[min(start + k * step, last)].width if slots else 0

        composed = compose(index, widths_from(cursor))
        need = max(band, len(composed.lines) * per_line)
        if band or per_line > 1 or keep_next:
            moved = _keep_together(slots, cursor, need, keep_next, pitch, len(paragraphs), index)
        else:
            moved = _avoid_widow(slots, cursor, len(composed.lines))
        if moved != cursor:
            cursor = moved
            composed = compose(index, widths_from(cursor))
            need = max(band, len(composed.lines) * per_line)
        lines = composed.lines
        type_metrics = ascent(index)
        if cursor + need > len(slots):  # overset from here on
            fitting = 0 if band else max(0, (len(slots) - cursor) // per_line)
            for n, line in enumerate(lines[:fitting]):
                slot = slots[cursor + n * per_line]
                placed.append(
                    _place(first + index, line, slot, per_line, pitch, body, type_metrics)
                )
            rest = widths_from(len(slots) - 1)
            overset = (
                len(lines)
                - fitting
                + sum(len(compose(i, rest).lines) for i in range(index + 1, len(paragraphs)))
            )
            first = lines[fitting].start if fitting < len(lines) else 0
            return FlowResult(tuple(placed), overset, (index, first), 0)
        offset = (need - len(lines) * per_line) * pitch // 2  # centre lines in their band
        for n, line in enumerate(lines):
            slot = slots[cursor + n * per_line]
            placed.append(
                _place(first + index, line, slot, per_line, pitch, body, type_metrics, offset)
            )
        cursor += need
        after = spacing[index][1] if spacing and index + 1 < len(paragraphs) else 0
        if after and 0 < cursor < len(slots) and _same_column(slots, cursor - 1, cursor):
            cursor = min(len(slots), cursor + after)
    return FlowResult(tuple(placed), 0, None, len(slots) - cursor)


def _same_column(slots: Sequence[Slot], a: int, b: int) -> bool:
    return slots[a].frame == slots[b].frame and slots[a].column == slots[b].column


def _place(
    index: int,
    line: Line,
    slot: Slot,
    per_line: int,
    pitch: int,
    body: int,
    metrics: tuple[int, int],
    offset: int = 0,
) -> PlacedLine:
    above, size = metrics
    band = (per_line - 1) * pitch + body
    top = slot.top + offset + (band - size) // 2
    return _placed_line((index, line, slot.frame, slot.x, top + above, top, top + size))


def _keep_together(
    slots: Sequence[Slot],
    cursor: int,
    need: int,
    keep_next: bool,
    pitch: int,
    count: int,
    index: int,
) -> int:
    """Move a banded paragraph (and, with keep-with-next, the start of the next) to the next
    column when it would be split or left alone at a column's foot."""
    need += KEEP_LINES if keep_next and index + 1 < count else 0
    end = cursor + need
    if end > len(slots) or cursor >= len(slots):
        return cursor
    if _contiguous(slots, cursor, end, pitch):
        return cursor
    column_start = cursor
    while column_start < len(slots) and slots[column_start].column == slots[cursor].column:
        column_start += 1
    return column_start if column_start < len(slots) else cursor


def _avoid_widow(slots: Sequence[Slot], cursor: int, count: int) -> int:
    """A paragraph whose first line would sit alone at a column's foot starts the next column."""
    if count < KEEP_LINES or cursor + 1 >= len(slots):
        return cursor
    here, after = slots[cursor], slots[cursor + 1]
    if after.column != here.column and cursor > 0 and slots[cursor - 1].column == here.column:
        return cursor + 1
    return cursor


def _contiguous(slots: Sequence[Slot], start: int, end: int, pitch: int) -> bool:
    first = slots[start]
    return all(
        slots[i].column == first.column and slots[i].top == first.top + (i - start) * pitch
        for i in range(start, end)
    )
