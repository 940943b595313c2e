"""The display list: what the composition engine decides and both renderers draw.

A `PageLayout` is the single output of composition and the single input of the
PDF writer and the Qt canvas. Neither renderer shapes, breaks or measures text:
a number a painter needs belongs here.

Conventions, which every producer and consumer follows:

* All coordinates and lengths are integers in layout units (lu), 1 lu = 1/64 pt,
  so that the final conversion to points (`to_pt`) is exact in binary floating
  point. The origin is the top-left corner of the trim box, y grows downwards.
* `items` are in painter's order. An item is one of `GlyphRun`, `Rule`, `Box`,
  `Image`; renderers dispatch on the type with one `match`.
* A `GlyphRun` is one font at one size and colour on one baseline. Each glyph has
  an absolute x (`xs`) and an advance; `clusters[i]` is the range of story
  characters glyph i draws, so text extraction, the text map and proof pinning
  all recover the exact characters, including compressed or hung punctuation.
* `lines` is the text map: every composed line with its block, story, character
  range and the x extent of each of its characters.
* Colours are CMYK fractions; the proof writer converts them to RGB itself.

The records are named tuples rather than frozen dataclasses: every export process defines
them at start-up and builds thousands per page, and a named tuple is about ten times cheaper
both to define and to build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

if TYPE_CHECKING:
    from app.model.geometry import RectPt

LU_PER_PT = 64
T = TypeVar("T", bound=tuple)


def to_pt(value: float) -> float:
    """Convert layout units to points; the only such conversion in the code base."""
    return value / LU_PER_PT


def maker(cls: type[T]) -> Callable[[tuple], T]:
    """Build a named tuple `cls` from one tuple of all its fields, in order. The class call
    runs a generated Python `__new__`; this is one C call, half the cost, for the records
    made once per line (some 3,000 per page)."""
    return partial(tuple.__new__, cls)


def from_pt(value: float) -> int:
    """Round points to the nearest layout unit."""
    return round(value * LU_PER_PT)


def lu_rect(rect: RectPt) -> Rect:
    """A rectangle in points (the model's geometry) in layout units, edges rounded."""
    x, y = from_pt(rect.x), from_pt(rect.y)
    return Rect(x, y, from_pt(rect.right) - x, from_pt(rect.bottom) - y)


class Color(NamedTuple):
    """A process colour as CMYK fractions (0–1). `overprint` asks the print writer to overprint."""

    c: float = 0.0
    m: float = 0.0
    y: float = 0.0
    k: float = 1.0
    overprint: bool = False

    def total_ink(self) -> float:
        """Total area coverage in percent (TAC)."""
        return (self.c + self.m + self.y + self.k) * 100.0


BLACK = Color(k=1.0, overprint=True)


class Rect(NamedTuple):
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def intersects(self, other: Rect) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


class FontSource(NamedTuple):
    """Where a face used by the layout lives, so exporters can embed exactly that face."""

    key: str
    path: str
    index: int  # type: ignore[assignment]  # the face's index in its file shadows tuple.index
    sha256: str


class GlyphRun(NamedTuple):
    """Glyphs of one face, size and colour on one horizontal baseline `y`.

    Glyph origins are `xs` counted from `x` (`page_xs` adds it), so a run shares its xs with
    the composed line wherever the line is placed."""

    font: str  # FontSource.key
    size: int  # lu
    color: Color
    y: int  # baseline
    glyphs: tuple[int, ...]  # glyph ids in the face
    xs: tuple[int, ...]  # x of each glyph origin, from `x`
    advances: tuple[int, ...]  # advance of each glyph as set (after compression/expansion)
    text: str  # the story characters this run draws, in order
    clusters: tuple[tuple[int, int], ...]  # per glyph: [start, end) into `text`
    block: str = ""
    story: str = ""
    char_start: int = 0  # offset of text[0] in the story's character stream
    x: int = 0

    @property
    def page_xs(self) -> tuple[int, ...]:
        """Each glyph origin's x on the page."""
        x = self.x
        return tuple([x + v for v in self.xs]) if x else self.xs


class Rule(NamedTuple):
    """A straight line from (x0, y0) to (x1, y1), `weight` thick."""

    x0: int
    y0: int
    x1: int
    y1: int
    weight: int
    color: Color = BLACK
    dash: tuple[int, ...] = ()
    block: str = ""


class Box(NamedTuple):
    """A rectangle, filled and/or stroked."""

    rect: Rect
    fill: Color | None = None
    stroke: Color | None = None
    weight: int = 0
    block: str = ""


class Image(NamedTuple):
    """A picture placed in `rect`; `crop` is the visible part of the image in its own
    pixel coordinates (left, top, right, bottom). `placeholder`: a stand-in (FPO) picture,
    which proofs mark and the print PDF refuses. `pdf`: the picture is a PDF ad's page, placed
    as vector content; its "pixels" are then layout units of its trim box (`pixel_size` the
    trim's size, `crop` the part shown, from the trim's top-left corner)."""

    path: str
    rect: Rect
    crop: tuple[float, float, float, float]
    pixel_size: tuple[int, int]
    block: str = ""
    placeholder: bool = False
    pdf: bool = False


Item = GlyphRun | Rule | Box | Image


class TextLine(NamedTuple):
    """One composed line, as the text map records it.

    `start`/`end` index the story's character stream (paragraphs joined with
    U+2029). `char_x` gives, for each character in [start, end), its left and
    right edge; `top`/`bottom` bound the line's em box.

    The edges are stored as two columns, `char_lefts` and `char_rights`, counted
    from `origin`, because the composer shares them with the paragraph's cached
    line wherever the line is placed: shifting 6,000 pairs on every page
    composition cost more than all of the line breaking, and a pair per
    character was the most numerous object the composer made.
    """

    block: str
    story: str
    frame: int
    paragraph: int
    start: int
    end: int
    text: str
    x: int
    baseline: int
    width: int
    top: int
    bottom: int
    char_lefts: tuple[int, ...]
    char_rights: tuple[int, ...]
    origin: int = 0

    @property
    def char_x(self) -> tuple[tuple[int, int], ...]:
        """Left and right edge of every character, in page coordinates."""
        return edge_pairs(self.char_lefts, self.char_rights, self.origin)


def edge_pairs(
    lefts: Sequence[int], rights: Sequence[int], origin: int = 0
) -> tuple[tuple[int, int], ...]:
    """(left, right) per character from the two edge columns, moved by `origin`."""
    if origin:
        return tuple([(origin + a, origin + b) for a, b in zip(lefts, rights, strict=True)])
    return tuple(zip(lefts, rights, strict=True))


def edge_columns(pairs: Iterable[tuple[int, int]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The two edge columns of (left, right) pairs."""
    pairs = tuple(pairs)
    return tuple(a for a, _ in pairs), tuple(b for _, b in pairs)


Severity = Literal["error", "warning", "info"]


class Finding(NamedTuple):
    """Something composition noticed, as data: the CLI and the editor word it."""

    code: str  # e.g. "overset", "missing-glyph", "loose-line", "relaxed-rule"
    severity: Severity
    block: str = ""
    story: str = ""
    args: tuple[tuple[str, str | int | float], ...] = ()

    def arg(self, name: str, default: str | int | float | None = None):
        return dict(self.args).get(name, default)


class BlockFrame(NamedTuple):
    """Where a block sits, for outlines, hit testing and preflight."""

    block: str
    kind: str
    rect: Rect  # the block's bounding box
    frames: tuple[Rect, ...] = ()  # its text frames / columns in flow order
    overset_chars: int = 0
    overset_lines: int = 0
    underset_lines: int = 0


class PageLayout(NamedTuple):
    width: int  # trim width
    height: int  # trim height
    bleed: int
    items: tuple[Item, ...]
    lines: tuple[TextLine, ...]
    blocks: tuple[BlockFrame, ...]
    fonts: tuple[FontSource, ...]
    findings: tuple[Finding, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()

    def font(self, key: str) -> FontSource:
        for source in self.fonts:
            if source.key == key:
                return source
        raise KeyError(key)
