"""Short one-line labels outside the page (slug line, proof header, watermark).

These are not story text and are never composed: each character is its nominal
glyph at its plain advance, set as a `GlyphRun` so it is drawn and embedded exactly
like the page's own text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import uharfbuzz as hb

from app.compose.layout import Color, FontSource, GlyphRun
from app.errors import PasteupError


@lru_cache(maxsize=16)
def _font(source: FontSource) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(source.path), source.index))


def can_draw(source: FontSource, text: str) -> bool:
    font = _font(source)
    return all(font.get_nominal_glyph(ord(ch)) for ch in text)


def label_font(candidates: Iterable[FontSource], text: str) -> FontSource:
    for source in candidates:
        if can_draw(source, text):
            return source
    raise PasteupError(f"{text}: 没有字体能排出这段标注 (no font can draw this label)")


def label_run(
    source: FontSource, text: str, size: int, x: int, baseline: int, color: Color
) -> GlyphRun:
    """`text` at `size` lu, starting at `x` on `baseline` (layout units)."""
    font = _font(source)
    upem = font.face.upem
    glyphs, xs, advances = [], [], []
    pen = x
    for ch in text:
        gid = font.get_nominal_glyph(ord(ch)) or 0
        advance = round(font.get_glyph_h_advance(gid) * size / upem)
        glyphs.append(gid)
        xs.append(pen)
        advances.append(advance)
        pen += advance
    return GlyphRun(
        font=source.key,
        size=size,
        color=color,
        y=baseline,
        glyphs=tuple(glyphs),
        xs=tuple(xs),
        advances=tuple(advances),
        text=text,
        clusters=tuple((i, i + 1) for i in range(len(text))),
    )


def label_width(run: GlyphRun) -> int:
    return sum(run.advances)
