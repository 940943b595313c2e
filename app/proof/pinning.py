"""Pinning a mark on the proof to the story characters it marks, through the text map.

Everything here works in layout units (origin trim top-left, y down) on the lines of the
text map, i.e. on the layout as it was when the proof was exported. A text-markup quad
takes the characters whose centres it covers; a caret takes the character boundary
nearest its tip; a note takes the nearest line. Anything that lands on no text, on two
stories at once, or on text with unmarked characters in between is *not pinned*, and
the reason says why — the mark is kept, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.compose.layout import LU_PER_PT, TextLine
from app.compose.textmap import TextMap

Box = tuple[float, float, float, float]  # PDF user space: x0, y0, x1, y1 (y up)
LuBox = tuple[int, int, int, int]  # layout units: left, top, right, bottom (y down)

# A note further than this from every line is off the text (the widest newspaper margins
# put a margin note 20–25 mm from the column).
NOTE_REACH = 72 * LU_PER_PT
# Characters allowed unmarked inside a marked range: line-end spaces, breaks, punctuation
# a viewer's selection box may clip where it hangs past the column.
_GAP_CHARACTERS = frozenset(" \u3000\u2029\t\n，。、；：？！,.;:?!”’）》」』")


@dataclass(frozen=True, slots=True)
class Pin:
    """Where a mark sits in a story's character stream; start == end is an insertion point."""

    block: str
    story: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Placed:
    """The outcome of pinning: a `pin`, or None and the `reason` (Chinese, then English)."""

    pin: Pin | None
    reason: str = ""


def not_pinned(reason: str) -> Placed:
    return Placed(None, reason)


@dataclass(frozen=True, slots=True)
class PageSpace:
    """PDF user space of the annotated file → layout units of the exported layout.

    `shift` is how far the trim box moved since export (a re-saver that normalises the
    MediaBox to the origin translates the whole page, annotations included)."""

    textmap: TextMap
    shift: tuple[float, float] = (0.0, 0.0)

    def box(self, box: Box) -> LuBox:
        x0, y0, x1, y1 = box
        left, top = self.point(x0, y1)
        right, bottom = self.point(x1, y0)
        return left, top, right, bottom

    def point(self, x: float, y: float) -> tuple[int, int]:
        return self.textmap.pdf_to_layout(x - self.shift[0], y - self.shift[1])


def pin_text_markup(space: PageSpace, quads: tuple[Box, ...]) -> Placed:
    """Highlight/StrikeOut/Underline/Squiggly: the characters the quads cover, one story."""
    covered: list[tuple[TextLine, int]] = []  # (line, index in the line)
    for quad in quads:
        covered.extend(_covered_characters(space.textmap.lines, space.box(quad)))
    if not covered:
        return not_pinned("标记未落在正文上 (the mark covers no text)")
    return _range_of(space.textmap, covered)


def pin_area(space: PageSpace, box: Box) -> Placed:
    """Square/Circle/Ink/Polygon: characters whose centres lie inside; else the nearest line."""
    left, top, right, bottom = space.box(box)
    inside = [
        (line, i)
        for line in space.textmap.lines
        if top <= (line.top + line.bottom) // 2 <= bottom
        for i, (a, b) in enumerate(line.char_x)
        if left <= (a + b) // 2 <= right
    ]
    if inside:
        placed = _range_of(space.textmap, inside)
        if placed.pin:
            return placed
    return pin_near(space, box)


def pin_near(space: PageSpace, box: Box) -> Placed:
    """A note, text box, stamp or arrow end: the whole nearest line, if one is within reach."""
    left, top, right, bottom = space.box(box)
    ranked = sorted(
        (_distance((left, top, right, bottom), _line_box(line)), index)
        for index, line in enumerate(space.textmap.lines)
        if line.end > line.start
    )
    if not ranked or ranked[0][0] > NOTE_REACH:
        return not_pinned("附近没有正文行 (no text line nearby)")
    distance, index = ranked[0]
    line = space.textmap.lines[index]
    if len(ranked) > 1 and distance > 0:
        runner_up = space.textmap.lines[ranked[1][1]]
        if runner_up.story != line.story and ranked[1][0] - distance < 2 * LU_PER_PT:
            return not_pinned("与两篇稿件距离相同 (equally near two stories)")
    return Placed(Pin(line.block, line.story, line.start, line.end))


def pin_caret(space: PageSpace, box: Box) -> Placed:
    """A caret: the character boundary under its tip. Viewers draw the caret as a "^" whose
    tip is the top centre of its rectangle, on or just below the line it marks."""
    left, top, right, _ = space.box(box)
    x, tip = (left + right) // 2, top
    best: tuple[int, int, TextLine] | None = None
    for line in space.textmap.lines:
        if not line.char_x:
            continue
        height = line.bottom - line.top
        # a tip above the line is unusual: that distance counts double
        vertical = 2 * (line.top - tip) if tip < line.top else max(0, tip - line.bottom)
        first, last = line.char_x[0][0], line.char_x[-1][1]
        slack = max(1, height // 2)
        if vertical > height or not first - slack <= x <= last + slack:
            continue
        key = (vertical, max(0, first - x, x - last))
        if best is None or key < best[:2]:
            best = (*key, line)
    if best is None:
        return not_pinned("插入符不在正文行上 (caret is not on a text line)")
    line = best[2]
    index = line.start + sum(1 for a, b in line.char_x if (a + b) / 2 < x)
    return Placed(Pin(line.block, line.story, index, index))


def _covered_characters(lines: tuple[TextLine, ...], quad: LuBox) -> list[tuple[TextLine, int]]:
    """Characters whose centres the quad spans, on lines it overlaps by at least half of
    the line or of the quad (viewers draw quads from the font box, taller than the em)."""
    left, top, right, bottom = quad
    covered = []
    for line in lines:
        overlap = min(bottom, line.bottom) - max(top, line.top)
        if overlap <= 0 or 2 * overlap < min(line.bottom - line.top, bottom - top):
            continue
        covered.extend(
            (line, i) for i, (a, b) in enumerate(line.char_x) if left <= (a + b) / 2 <= right
        )
    return covered


def _line_box(line: TextLine) -> LuBox:
    if line.char_x:
        return line.char_x[0][0], line.top, line.char_x[-1][1], line.bottom
    return line.x, line.top, line.x + line.width, line.bottom


def _distance(a: LuBox, b: LuBox) -> int:
    dx = max(0, b[0] - a[2], a[0] - b[2])
    dy = max(0, b[1] - a[3], a[1] - b[3])
    return max(dx, dy) if not (dx and dy) else round((dx * dx + dy * dy) ** 0.5)


def _range_of(textmap: TextMap, covered: list[tuple[TextLine, int]]) -> Placed:
    """One story's contiguous range from covered characters, or why it is not one."""
    stories = {line.story for line, _ in covered}
    if len(stories) > 1:
        return not_pinned("标记跨越多篇稿件 (the mark spans several stories)")
    story = stories.pop()
    offsets = sorted({line.start + i for line, i in covered})
    start, end = offsets[0], offsets[-1] + 1
    stream = textmap.stories.get(story)
    if stream is not None:
        marked = set(offsets)
        gap = [stream[o] for o in range(start, end) if o not in marked and o < len(stream)]
        if any(ch not in _GAP_CHARACTERS for ch in gap):
            return not_pinned("标记的文字不连续 (the marked characters are not contiguous)")
    first = next(line for line, i in covered if line.start + i == start)
    return Placed(Pin(first.block, story, start, end))
