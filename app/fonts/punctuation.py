"""Where a punctuation glyph's ink sits, checked against the GB table (cjk-composition §2.1).

The engine lays punctuation out by the table (ink box + blank glue), never by font quirks; this
check only tells it where a face disagrees (a zh-Hans face that centres its marks, a proportional
quote) so it can log that and offset the drawing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, NamedTuple

from app.fonts.errors import FontError

if TYPE_CHECKING:
    from app.fonts.face import Face

Side = Literal["left", "right", "center", "full"]

# GB/T 15834 horizontal: CL, PAUSE and STOP carry their ink on the left, OP on the right.
GB_INK_SIDE: dict[str, Side] = {
    **dict.fromkeys("，。、：；？！）”》", "left"),
    **dict.fromkeys("（“《", "right"),
}
FULL_INK_SHARE = 0.7  # ink wider than this share of the advance leaves no blank side to trim
CENTER_TOLERANCE = 0.15  # left and right blanks within this share of the advance count as equal


class PunctuationMismatch(NamedTuple):
    """A face whose glyph for `char` puts its ink elsewhere than the GB table says (a named
    tuple: the module is imported on every export, a dataclass costs ~10x more to define)."""

    face: str  # Face.key
    char: str
    expected: Side
    found: Side | Literal["missing"]
    gid: int | None
    advance: int  # font units; 0 when missing
    ink: tuple[int, int, int, int] | None  # xMin, yMin, xMax, yMax in font units

    def message(self) -> str:
        return (
            f"{self.face}: 「{self.char}」的字墨在{_SIDE_ZH[self.found]}，国标要求在"
            f"{_SIDE_ZH[self.expected]} (ink {self.found}, GB expects {self.expected})"
        )


_SIDE_ZH = {"left": "左侧", "right": "右侧", "center": "居中", "full": "全宽", "missing": "缺字"}


def locl_glyph(face: Face, ch: str) -> int | None:
    """The glyph zh-Hans text uses for `ch`: cmap, then the face's zh-Hans `locl`."""
    gid = face.glyph_id(ch)
    return None if gid is None else face.substitute(gid, "locl")


def side_of(advance: int, ink: tuple[int, int, int, int] | None) -> Side:
    """Classify an ink box inside an advance; an empty glyph counts as centred."""
    if ink is None or advance <= 0:
        return "center"
    left_blank, right_blank = ink[0], advance - ink[2]
    if ink[2] - ink[0] >= FULL_INK_SHARE * advance:
        return "full"
    if abs(left_blank - right_blank) <= CENTER_TOLERANCE * advance:
        return "center"
    return "left" if left_blank < right_blank else "right"


def ink_side(face: Face, ch: str) -> Side:
    """Face.punctuation_side: where the ink of `ch` sits in the em, after zh-Hans locl."""
    gid = locl_glyph(face, ch)
    if gid is None:
        raise FontError(f"{face.path}: 字体 {face.key} 没有“{ch}” (no glyph for U+{ord(ch):04X})")
    return side_of(face.advance(gid), face.ink_bounds(gid))


def check_gb_punctuation(faces: Iterable[Face]) -> tuple[PunctuationMismatch, ...]:
    """Every (face, mark) of ，。、：；？！（）“”《》 whose ink disagrees with the GB table."""
    mismatches = []
    for face in faces:
        for ch, expected in GB_INK_SIDE.items():
            gid = locl_glyph(face, ch)
            if gid is None:
                mismatches.append(
                    PunctuationMismatch(face.key, ch, expected, "missing", None, 0, None)
                )
                continue
            advance, ink = face.advance(gid), face.ink_bounds(gid)
            found = side_of(advance, ink)
            if found != expected:
                mismatches.append(
                    PunctuationMismatch(face.key, ch, expected, found, gid, advance, ink)
                )
    return tuple(mismatches)
