"""Page layouts built by hand from a real font, for canvas tests independent of the engine.

Every character sits on the body grid, one em per Han character and the font's own
advance otherwise, in each text column of each frame: a crude but real layout (real
glyph ids and hmtx advances), so painter and canvas tests need no composer.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image as PILImage

from app.compose.layout import (
    BLACK,
    BlockFrame,
    Box,
    FontSource,
    GlyphRun,
    Image,
    PageLayout,
    Rect,
    Rule,
    TextLine,
    from_pt,
)
from app.fonts import Face
from app.model import PageDocument
from app.model.blocks import BoxBlock, PhotoBlock, RuleBlock, block_frames
from app.model.geometry import frame_rect, text_columns

FONT = Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifCJKsc-Regular.otf"
_face: Face | None = None


def face() -> Face:
    global _face
    if _face is None:
        _face = Face(FONT)
    return _face


def compose_by_hand(document: PageDocument) -> PageLayout:
    grid = document.layout.grid
    f = face()
    source = FontSource(f.key, str(f.path), f.index, f.sha256)
    size = from_pt(grid.body_size)
    items: list = []
    lines: list[TextLine] = []
    frames_out: list[BlockFrame] = []
    for block in document.blocks:
        if isinstance(block, RuleBlock):
            items.append(
                Rule(
                    from_pt(block.x0),
                    from_pt(block.y0),
                    from_pt(block.x1),
                    from_pt(block.y1),
                    from_pt(block.weight),
                    BLACK,
                    block=block.id,
                )
            )
            continue
        frames = block_frames(block)
        if not frames:
            continue
        rects = [_lu(frame_rect(fr, grid)) for fr in frames]
        bounds = Rect(
            min(r.x for r in rects),
            min(r.y for r in rects),
            max(r.right for r in rects) - min(r.x for r in rects),
            max(r.bottom for r in rects) - min(r.y for r in rects),
        )
        if isinstance(block, PhotoBlock):
            path = document.base_dir() / block.image
            with PILImage.open(path) as picture:
                w, h = picture.size
            items.append(
                Image(str(path), rects[0], (0.0, 0.0, float(w), float(h)), (w, h), block.id)
            )
            frames_out.append(BlockFrame(block.id, block.kind, bounds, tuple(rects)))
            continue
        if isinstance(block, BoxBlock):
            items.append(Box(rects[0], stroke=BLACK, weight=from_pt(block.weight), block=block.id))
            continue
        story = document.stories[block.story]
        stream = story.stream
        columns = [_lu(c) for fr in frames for c in text_columns(fr, grid)]
        position, overset = 0, 0
        slots = [
            (c, top)
            for c in columns
            for top in range(c.y, c.bottom - size + 1, from_pt(grid.line_pitch))
        ]
        slot = 0
        while position < len(stream):
            if slot >= len(slots):
                overset = sum(1 for ch in stream[position:] if ch not in " \u3000\u2029")
                break
            column, top = slots[slot]
            slot += 1
            baseline = top + size * 88 // 100
            x, start = column.x, position
            glyphs, xs, advances, clusters = [], [], [], []
            while position < len(stream) and stream[position] != "\u2029":
                gid = f.glyph_id(stream[position]) or 0
                advance = f.advance(gid) * size // f.upm
                if x + advance > column.right:
                    break
                glyphs.append(gid)
                xs.append(x)
                advances.append(advance)
                clusters.append((position - start, position - start + 1))
                x += advance
                position += 1
            text = stream[start:position]
            if position < len(stream) and stream[position] == "\u2029":
                position += 1
            if glyphs:
                items.append(
                    GlyphRun(
                        source.key,
                        size,
                        BLACK,
                        baseline,
                        tuple(glyphs),
                        tuple(xs),
                        tuple(advances),
                        text,
                        tuple(clusters),
                        block.id,
                        story.id,
                        start,
                    )
                )
                lines.append(
                    TextLine(
                        block.id,
                        story.id,
                        0,
                        0,
                        start,
                        start + len(text),
                        text,
                        column.x,
                        baseline,
                        x - column.x,
                        top,
                        top + size,
                        tuple((a, a + w) for a, w in zip(xs, advances, strict=True)),
                    )
                )
        frames_out.append(
            BlockFrame(block.id, block.kind, bounds, tuple(rects), overset_chars=overset)
        )
    return PageLayout(
        from_pt(grid.trim_width),
        from_pt(grid.trim_height),
        from_pt(grid.bleed),
        tuple(items),
        tuple(lines),
        tuple(frames_out),
        (source,),
    )


def _lu(rect) -> Rect:
    return Rect(from_pt(rect.x), from_pt(rect.y), from_pt(rect.w), from_pt(rect.h))
