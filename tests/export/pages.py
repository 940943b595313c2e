"""Hand-built PageLayouts from real fonts (real glyph ids, real advances).

HarfBuzz stands in for the composition engine here: each line is shaped once and
its glyphs are placed at integer layout units, with some punctuation compressed to
half width the way the engine does, so the writer is tested on the kinds of runs it
will really receive (ligatures, vertical forms, compressed and hung punctuation).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import uharfbuzz as hb

from app.compose.layout import (
    BLACK,
    BlockFrame,
    Box,
    Color,
    FontSource,
    GlyphRun,
    Image,
    PageLayout,
    Rect,
    Rule,
    TextLine,
    from_pt,
)

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
HALF_WIDTH = set("，。、；：（）「」“”")


@cache
def font_source(key: str, path: Path, index: int) -> FontSource:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return FontSource(key=key, path=str(path), index=index, sha256=digest)


def serif() -> FontSource:
    return font_source("serif", NOTO_SERIF, 2)


def kai() -> FontSource:
    return font_source("kai", WENKAI, 0)


@cache
def _hb_font(source: FontSource) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(source.path), source.index))


def set_line(
    source: FontSource,
    text: str,
    size_pt: float,
    x: int,
    baseline: int,
    *,
    block: str = "b1",
    story: str = "s1",
    char_start: int = 0,
    color: Color = BLACK,
    features: dict | None = None,
    compress: bool = True,
    tracking: int = 0,
) -> GlyphRun:
    font = _hb_font(source)
    size = from_pt(size_pt)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, features or {})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    starts = [info.cluster for info in infos]
    ends = [*starts[1:], len(text)]
    # glyphs sharing a cluster: all of them cover the same range
    clusters = []
    for i, start in enumerate(starts):
        end = next((s for s in starts[i + 1 :] if s != start), len(text))
        clusters.append((start, end))
    del ends
    upem = font.face.upem
    xs, advances = [], []
    pen = x
    for (start, end), position in zip(clusters, positions, strict=True):
        advance = round(position.x_advance * size / upem)
        if compress and text[start:end] in HALF_WIDTH:
            advance //= 2
        xs.append(pen)
        advances.append(advance)
        pen += advance + tracking
    return GlyphRun(
        font=source.key,
        size=size,
        color=color,
        y=baseline,
        glyphs=tuple(info.codepoint for info in infos),
        xs=tuple(xs),
        advances=tuple(advances),
        text=text,
        clusters=tuple(clusters),
        block=block,
        story=story,
        char_start=char_start,
    )


def text_line(run: GlyphRun, paragraph: int = 0) -> TextLine:
    char_x = []
    for i in range(len(run.text)):
        index = next(j for j, (s, e) in enumerate(run.clusters) if s <= i < e)
        char_x.append((run.xs[index], run.xs[index] + run.advances[index]))
    width = run.xs[-1] + run.advances[-1] - run.xs[0]
    return TextLine(
        block=run.block,
        story=run.story,
        frame=0,
        paragraph=paragraph,
        start=run.char_start,
        end=run.char_start + len(run.text),
        text=run.text,
        x=run.xs[0],
        baseline=run.y,
        width=width,
        top=run.y - run.size * 88 // 100,
        bottom=run.y + run.size * 12 // 100,
        char_lefts=tuple(a for a, _ in char_x),
        char_rights=tuple(b for _, b in char_x),
    )


STORY = (
    "本报讯（记者 王芳）市政府昨日召开常务会议，研究部署“十四五”城市更新工作。"
    "会议指出，2024年全市完成老旧小区改造126个，office面积增加3.5%。"
)


def sample_layout(image: Path | None = None, bleed: int = 0) -> PageLayout:
    """A small page: a headline in kai, a body story in serif, rules, a tint, optionally a photo."""
    width, height = from_pt(300), from_pt(400)
    items: list = []
    headline = set_line(
        kai(), "城市更新提速", 24, from_pt(20), from_pt(50), block="head", story="h1"
    )
    items.append(
        Box(
            Rect(from_pt(15), from_pt(60), from_pt(270), from_pt(200)),
            fill=Color(0.1, 0, 0, 0.05),
            block="tint",
        )
    )
    items.append(headline)
    items.append(
        Rule(from_pt(20), from_pt(58), from_pt(280), from_pt(58), from_pt(0.5), block="rule")
    )
    lines = []
    per_line = 24
    for n, start in enumerate(range(0, len(STORY), per_line)):
        chunk = STORY[start : start + per_line]
        run = set_line(
            serif(),
            chunk,
            9,
            from_pt(20),
            from_pt(80 + n * 13),
            block="body",
            story="s1",
            char_start=start,
        )
        items.append(run)
        lines.append(text_line(run))
    vertical = set_line(
        serif(),
        "（注）",
        9,
        from_pt(20),
        from_pt(150),
        block="note",
        story="s2",
        features={"vert": True},
    )
    items.append(vertical)
    blocks = [
        BlockFrame("head", "headline", Rect(from_pt(20), from_pt(20), from_pt(260), from_pt(36))),
        BlockFrame(
            "body",
            "text",
            Rect(from_pt(20), from_pt(70), from_pt(260), from_pt(70)),
            frames=(Rect(from_pt(20), from_pt(70), from_pt(260), from_pt(70)),),
        ),
    ]
    if image is not None:
        items.append(
            Image(
                str(image),
                Rect(from_pt(20), from_pt(220), from_pt(120), from_pt(80)),
                (10.0, 5.5, 310.0, 205.5),
                (320, 240),
                block="photo",
            )
        )
        blocks.append(
            BlockFrame("photo", "image", Rect(from_pt(20), from_pt(220), from_pt(120), from_pt(80)))
        )
    return PageLayout(
        width=width,
        height=height,
        bleed=bleed,
        items=tuple(items),
        lines=(text_line(headline), *lines, text_line(vertical)),
        blocks=tuple(blocks),
        fonts=(serif(), kai()),
    )
