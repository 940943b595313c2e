"""Pinning a mark on the proof to the story characters it marks, through the text map.

Everything here works in layout units (origin trim top-left, y down) on the lines of the
text map, i.e. on the layout as it was when the proof was exported. A viewer's quad is the
union of glyph boxes as the viewer reads them from the PDF, and a glyph box is not always
the cell the composer gave the character: compressed punctuation (，。、 in a half-em cell)
is drawn with its full-em box reaching over the next character, an opening bracket or
quote compressed at a line start reaches back into the margin, and a narrow Latin quote
sits at one side of its cell. So each character has a *core* — the part of its cell that
its glyph box always covers, whichever of these applies — and a quad takes the characters
whose cores it covers (`core`). A caret or a note is pinned by its anchor point: the
caret's tip, the note icon's top-left corner. Anything that lands on no text, on two
stories at once, or on text with unmarked characters in between is *not pinned*, and
the reason says why — the mark is kept, never dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

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
# Punctuation drawn against the following character (its ink at the right of its box) and
# punctuation drawn against the preceding one (ink at the left): where their cores lie.
OPENING = frozenset("“‘（《〈「『【〔［｛([{")
CLOSING = frozenset("”’）》〉」』】〕］｝，。、；：！？,.;:!?)]}")
# Full-width punctuation that the composer may set in less than an em: its glyph box stays an
# em. (Latin punctuation is proportional: a narrow cell is its whole box.)
COMPRESSIBLE_OPENING = frozenset("“‘（《〈「『【〔［｛")
COMPRESSIBLE_CLOSING = frozenset("”’）》〉」』】〕］｝，。、；：！？")


@lru_cache(maxsize=4096)
def cores(line: TextLine) -> tuple[tuple[float, float], ...]:
    """Each character's core: a span that a selection including the character always covers
    and one made only of other characters never does.

    A viewer's glyph box is the cell, except for compressed punctuation: a closing mark's
    box reaches an em from its cell's left (over the next cell), an opening mark's an em
    back from its right. Selections of characters left of this one end at the furthest
    right edge among them, selections right of it start at the nearest left edge: the core
    lies between the two, inside the character's own box, near its ink (right for opening
    punctuation, which narrow fonts set at the right of the cell; left for closing; middle
    otherwise), a tenth of the cell wide. Where neighbours' boxes meet over the cell, the
    core straddles that meeting point."""
    em = line.bottom - line.top
    boxes = [_glyph_box(ch, a, b, em) for ch, (a, b) in zip(line.text, line.char_x, strict=True)]
    reach_left = [float("-inf")] * len(boxes)  # furthest right edge of any box before i
    for i in range(1, len(boxes)):
        reach_left[i] = max(reach_left[i - 1], boxes[i - 1][1])
    reach_right = [float("inf")] * len(boxes)  # nearest left edge of any box after i
    for i in range(len(boxes) - 2, -1, -1):
        reach_right[i] = min(reach_right[i + 1], boxes[i + 1][0])
    out = []
    for i, (ch, (left, right)) in enumerate(zip(line.text, line.char_x, strict=True)):
        tenth = (right - left) / 10
        after, before = reach_left[i], reach_right[i]
        if after >= before:  # neighbours' boxes meet over this cell
            out.append((before - tenth / 2, after + tenth / 2))
            continue
        free_left, free_right = max(boxes[i][0], after), min(boxes[i][1], before)
        width = free_right - free_left
        if ch in OPENING:
            out.append((free_right - 0.3 * width, free_right - 0.2 * width))
        elif ch in CLOSING:
            out.append((free_left + 0.2 * width, free_left + 0.3 * width))
        else:
            out.append((free_left + 0.45 * width, free_left + 0.55 * width))
    return tuple(out)


def _glyph_box(ch: str, left: int, right: int, em: int) -> tuple[int, int]:
    """The box a viewer reads for a character set in the cell [left, right)."""
    if right - left < em:
        if ch in COMPRESSIBLE_CLOSING:
            return left, left + em
        if ch in COMPRESSIBLE_OPENING:
            return right - em, right
    return left, right


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


@dataclass(frozen=True)
class PageSpace:
    """PDF user space of the annotated file → layout units of the exported layout.

    `shift` is how far the trim box moved since export (a re-saver that normalises the
    MediaBox to the origin translates the whole page, annotations included)."""

    textmap: TextMap
    shift: tuple[float, float] = (0.0, 0.0)

    @cached_property
    def _rows(self) -> tuple[list[int], list[TextLine], int]:
        """Lines with text sorted by top, their tops, and the tallest line's height."""
        lines = sorted((line for line in self.textmap.lines if line.text), key=lambda t: t.top)
        tallest = max((line.bottom - line.top for line in lines), default=0)
        return [line.top for line in lines], lines, tallest

    @property
    def tallest(self) -> int:
        return self._rows[2]

    def lines_near(self, top: int, bottom: int) -> list[TextLine]:
        """Lines with text that could reach the vertical span [top, bottom]."""
        tops, lines, tallest = self._rows
        return lines[bisect_left(tops, top - tallest) : bisect_right(tops, bottom)]

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
        box = space.box(quad)
        covered.extend(_covered_characters(space.lines_near(box[1], box[3]), box))
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
    """A note, text box, stamp or arrow end: the whole nearest line, if one is within reach.
    Callers pass a point (zero-size box) where the annotation has an anchor point."""
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
    return pin_point(space, (left + right) // 2, top)


def pin_note_point(space: PageSpace, box: Box) -> Placed:
    """A note that says where to insert: the boundary at its icon's top-left corner, which is
    where the proofreader clicked."""
    x0, _, _, y1 = box
    x, y = space.point(x0, y1)
    return pin_point(space, x, y)


def pin_point(space: PageSpace, x: int, y: int) -> Placed:
    """The character boundary at a point: the line whose glyphs (as the viewer drew them)
    reach the point, then the boundary between the characters whose cores lie either side."""
    candidates: list[tuple[int, int, float, int]] = []
    reach = space.tallest  # a line further than its height from the point is not a candidate
    nearby = space.lines_near(y - reach, y + reach)
    for number, line in enumerate(nearby):
        height = line.bottom - line.top
        # a tip above the line is unusual: that distance counts double
        vertical = 2 * (line.top - y) if y < line.top else max(0, y - line.bottom)
        if vertical > height:
            continue
        first, last = _glyph_extent(line)
        horizontal = max(0, first - x, x - last)
        if horizontal > height // 4:
            continue
        # where glyph boxes of two columns' lines meet, the line with a core nearest wins
        nearest = min(abs((a + b) / 2 - x) for a, b in cores(line))
        candidates.append((vertical, horizontal, nearest, number))
    if not candidates:
        return not_pinned("插入点不在正文行上 (the insertion point is not on a text line)")
    candidates.sort()
    best = candidates[0]
    if (
        len(candidates) > 1
        and candidates[1][:2] == best[:2]
        and (candidates[1][2] - best[2] < LU_PER_PT)
    ):
        return not_pinned("插入点在两栏之间，无法判定 (between two columns' lines: ambiguous)")
    line = nearby[best[3]]
    index = line.start + sum(1 for a, b in cores(line) if (a + b) / 2 < x)
    return Placed(Pin(line.block, line.story, index, index))


def _glyph_extent(line: TextLine) -> tuple[int, int]:
    """Where the viewer's glyph boxes of a line begin and end: a compressed opening bracket
    at the start reaches back, compressed closing punctuation at the end reaches on, to a
    full em."""
    em, origin = line.bottom - line.top, line.origin
    first = (origin + line.char_lefts[0], origin + line.char_rights[0])
    last = (origin + line.char_lefts[-1], origin + line.char_rights[-1])
    return _glyph_box(line.text[0], *first, em)[0], _glyph_box(line.text[-1], *last, em)[1]


def _reaches(line: TextLine, left: int, right: int) -> bool:
    first, last = _glyph_extent(line)
    return left < last and right > first


def _covered_characters(lines: Sequence[TextLine], quad: LuBox) -> list[tuple[TextLine, int]]:
    """Characters whose centres the quad spans, on lines it overlaps by at least half of
    the line or of the quad (viewers draw quads from the font box, taller than the em)."""
    left, top, right, bottom = quad
    covered = []
    for line in lines:
        overlap = min(bottom, line.bottom) - max(top, line.top)
        if overlap <= 0 or 2 * overlap < min(line.bottom - line.top, bottom - top):
            continue
        if not line.text or not _reaches(line, left, right):
            continue
        for i, (core_left, core_right) in enumerate(cores(line)):
            if left <= core_left and core_right <= right:
                covered.append((line, i))
    return covered


def _line_box(line: TextLine) -> LuBox:
    """The line as the viewer draws it: from its first glyph box to its last."""
    if line.text:
        first, last = _glyph_extent(line)
        return first, line.top, last, line.bottom
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
