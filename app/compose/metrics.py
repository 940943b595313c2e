"""Where glyphs and advances come from: a small protocol with two implementations.

`SpecMetrics` is the spec's test font (cjk-composition part (d)): Han and full-width punctuation
one em, every other character half an em, U+0020 a quarter. `FontMetrics` (in `fontmetrics.py`)
reads real faces through `app.fonts`. Composition sees only this protocol, so the T01–T25 cases
and the real engine run the same code.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple, Protocol


class ShapedGlyph(NamedTuple):
    """One glyph of a shaped run: `cluster` is the index of its first character in the run."""

    font: str  # face key; "" when no face can draw the character (gid 0)
    gid: int
    advance: int  # lu
    cluster: int
    dx: int = 0  # lu offset from the pen position (HarfBuzz x_offset)


class Metrics(Protocol):
    """Glyphs and integer advances for one text role at one size."""

    @property
    def em(self) -> int:
        """The advance of a Han character (水) in lu: the engine's 字."""
        ...

    def cjk(self, cluster: str) -> ShapedGlyph:
        """The glyph of one Chinese-role grapheme cluster (zh-Hans forms), cluster index 0."""
        ...

    def latin(self, text: str) -> tuple[ShapedGlyph, ...]:
        """A shaped Latin/digit word (kerning, ligatures), glyphs in visual=logical order."""
        ...


def is_wide(ch: str) -> bool:
    """East Asian Wide/Fullwidth, the test font's one-em characters."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


class SpecMetrics(NamedTuple):
    """The spec's test font at an em of `em` lu. Glyph ids are code points (of the first one)."""

    em: int = 1680

    def _advance(self, ch: str) -> int:
        if ch == " ":
            return self.em // 4
        if is_wide(ch):
            return self.em
        return self.em // 2

    def cjk(self, cluster: str) -> ShapedGlyph:
        # Every Chinese-role mark is a one-em glyph in the test font, whatever its EAW.
        return ShapedGlyph("test", ord(cluster[0]), self.em, 0)

    def latin(self, text: str) -> tuple[ShapedGlyph, ...]:
        return tuple(
            ShapedGlyph("test", ord(ch), 0 if _is_mark(ch) else self._advance(ch), i)
            for i, ch in enumerate(text)
        )


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")
