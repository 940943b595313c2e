"""Blocks to display-list pieces: each block kind composed on its own, for the page cache.

`compose_block` turns one block into a `BlockResult` (items, text-map lines, its frame record
and findings). It depends only on the block, its story, the styles it uses, the grid and the
zones other blocks keep text out of, so the composer can cache it per block.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter, itemgetter
from pathlib import Path

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from app.compose.config import Settings
from app.compose.flow import FlowResult, PlacedLine, column_slots, flow_paragraphs
from app.compose.layout import (
    BlockFrame,
    Box,
    Color,
    Finding,
    GlyphRun,
    Image,
    Item,
    Rect,
    Rule,
    TextLine,
    from_pt,
)
from app.compose.paragraph import Paragraph, compose_paragraph
from app.model.blocks import (
    ArticleBlock,
    Block,
    BoxBlock,
    CaptionBlock,
    PhotoBlock,
    RuleBlock,
    RunningHeadBlock,
    SectionHeadBlock,
    TextBlock,
    block_frames,
)
from app.model.geometry import RectPt, frame_rect, text_columns
from app.model.grid import PageGrid
from app.model.story import Paragraph as StoryParagraph
from app.model.story import Story
from app.model.styles import HEADLINE_ROLES, ParagraphStyle

CREDIT_ROLE = "作者"


@dataclass(frozen=True, slots=True)
class BlockResult:
    items: tuple[Item, ...]
    lines: tuple[TextLine, ...]
    frame: BlockFrame
    findings: tuple[Finding, ...]
    fonts: frozenset[str]


@dataclass(frozen=True)
class TypeSetter:
    """What composing text needs from the page: metrics and settings per style, the grid."""

    grid: PageGrid
    styles: dict[str, ParagraphStyle]
    metrics: Callable[[ParagraphStyle], object]  # → FontMetrics (cached by the composer)
    settings: Callable[[ParagraphStyle], Settings]
    ascent: Callable[[ParagraphStyle], int]  # em-box top → baseline, lu

    @property
    def pitch(self) -> int:
        return from_pt(self.grid.line_pitch)

    @property
    def body(self) -> int:
        return from_pt(self.grid.body_size)

    # Paragraphs set at one width, and paragraphs drawn at one place, shared across calls:
    # a keystroke recomposes and redraws one paragraph.
    cache: dict = dataclasses.field(default_factory=dict)
    drawn: dict = dataclasses.field(default_factory=dict)

    def set(
        self,
        paragraph: StoryParagraph,
        widths: Callable[[int], int],
        overrides: dict | None = None,
        *,
        uniform: bool = False,
    ) -> Paragraph:
        """Set one paragraph; with `uniform` (every line the same measure) the result is cached."""
        style = self.styles[paragraph.role]
        settings = self.settings(style)
        if overrides:
            settings = dataclasses.replace(settings, **overrides)
        key = (paragraph.text, style, settings, widths(0)) if uniform else None
        result = self.cache.get(key) if key else None
        if result is None:
            result = compose_paragraph(
                paragraph.text, widths(0), self.metrics(style), settings, widths=widths
            )
            if key:
                self.cache[key] = result
        return result


def lu_rect(rect: RectPt) -> Rect:
    x, y = from_pt(rect.x), from_pt(rect.y)
    return Rect(x, y, from_pt(rect.right) - x, from_pt(rect.bottom) - y)


def cmyk(percent: Sequence[float]) -> Color:
    c, m, y, k = (v / 100 for v in percent)
    return Color(c, m, y, k, overprint=(c == m == y == 0 and k >= 1.0))


def compose_block(
    block: Block,
    story: Story | None,
    ts: TypeSetter,
    keep_out: Sequence[Rect],
    meta: dict[str, str],
    base_dir: Path,
) -> BlockResult:
    match block:
        case ArticleBlock() | TextBlock():
            return _flowed(block, story, ts, keep_out)
        case CaptionBlock():
            return _flowed(block, story, ts, keep_out)
        case SectionHeadBlock():
            return _section(block, story, ts)
        case PhotoBlock():
            return _photo(block, ts, base_dir)
        case RuleBlock():
            item = Rule(
                from_pt(block.x0),
                from_pt(block.y0),
                from_pt(block.x1),
                from_pt(block.y1),
                from_pt(block.weight),
                cmyk(block.color),
                tuple(from_pt(d) for d in block.dash),
                block.id,
            )
            bounds = Rect(
                min(item.x0, item.x1),
                min(item.y0, item.y1),
                abs(item.x1 - item.x0),
                abs(item.y1 - item.y0),
            )
            return BlockResult(
                (item,), (), BlockFrame(block.id, block.kind, bounds), (), frozenset()
            )
        case BoxBlock():
            rect = lu_rect(frame_rect(block.frame, ts.grid))
            item = Box(
                rect,
                cmyk(block.fill) if block.fill else None,
                cmyk(block.stroke) if block.weight else None,
                from_pt(block.weight),
                block.id,
            )
            return BlockResult((item,), (), BlockFrame(block.id, block.kind, rect), (), frozenset())
        case RunningHeadBlock():
            return _running_head(block, ts, meta)
    raise TypeError(f"unknown block {block!r}")


# -- text blocks -------------------------------------------------------------------------------
def _flowed(block, story: Story, ts: TypeSetter, keep_out: Sequence[Rect]) -> BlockResult:
    grid, pitch, body = ts.grid, ts.pitch, ts.body
    frames = block_frames(block)
    rects = [lu_rect(frame_rect(f, grid)) for f in frames]
    paragraphs = list(story.paragraphs)
    starts = story.paragraph_starts()
    placed: list[PlacedLine] = []
    findings: list[Finding] = []
    head_count = 0
    head_height = 0
    if isinstance(block, ArticleBlock):
        while head_count < len(paragraphs) and paragraphs[head_count].role in HEADLINE_ROLES:
            head_count += 1
        if head_count:
            lines = block.head_lines or sum(
                max(1, ts.styles[p.role].lines) for p in paragraphs[:head_count]
            )
            head_height = lines * pitch
            head_rect = Rect(rects[0].x, rects[0].y, rects[0].w, head_height - (pitch - body))
            placed, overflow = _stack(paragraphs[:head_count], range(head_count), head_rect, ts)
            if overflow > 0:
                findings.append(
                    Finding(
                        "headline-overflow",
                        "warning",
                        block.id,
                        story.id,
                        (("lines", -(-overflow // pitch)),),
                    )
                )
    columns_per_frame = []
    for index, frame in enumerate(frames):
        default = 1 if isinstance(block, CaptionBlock) else 0
        columns = text_columns(
            dataclasses.replace(frame, columns=frame.columns or default)
            if default and not frame.columns
            else frame,
            grid,
        )
        columns_per_frame.extend((index, lu_rect(c)) for c in columns)
    columns = tuple(
        (index, rect, rect.y + (head_height if index == 0 else 0))
        for index, rect in columns_per_frame
    )
    slots_key = ("slots", columns, pitch, body, tuple(keep_out))
    slots = ts.drawn.get(slots_key)
    if slots is None:  # the same frames give the same slots on every keystroke
        slots = ts.drawn[slots_key] = column_slots(columns, pitch, body, keep_out)
    body_paragraphs = paragraphs[head_count:]
    specs = [
        (ts.styles[p.role].lines, from_pt(ts.styles[p.role].size), ts.styles[p.role].keep_with_next)
        for p in body_paragraphs
    ]
    uniform = len({slot.width for slot in slots}) <= 1

    def compose(i: int, widths: Callable[[int], int]) -> Paragraph:
        return ts.set(body_paragraphs[i], widths, uniform=uniform)

    def ascent(i: int) -> tuple[int, int]:
        style = ts.styles[body_paragraphs[i].role]
        return ts.ascent(style), from_pt(style.size)

    flow: FlowResult = flow_paragraphs(specs, compose, slots, pitch, body, ascent, head_count)
    placed.extend(flow.placed)
    overset_chars = 0
    if flow.overset_from is not None:
        first_para, first_char = flow.overset_from
        rest = [body_paragraphs[first_para].text[first_char:]] + [
            p.text for p in body_paragraphs[first_para + 1 :]
        ]
        overset_chars = sum(len(t.replace(" ", "")) for t in rest)
        findings.append(
            Finding(
                "overset",
                "error",
                block.id,
                story.id,
                (("chars", overset_chars), ("lines", flow.overset_lines)),
            )
        )
    elif flow.underset_lines and isinstance(block, ArticleBlock):
        findings.append(
            Finding("underset", "info", block.id, story.id, (("lines", flow.underset_lines),))
        )
    items, lines, fonts = _draw(placed, paragraphs, starts, block.id, story, ts, findings)
    bounds = _union(rects)
    frame = BlockFrame(
        block.id,
        block.kind,
        bounds,
        tuple(r for _, r in columns_per_frame),
        overset_chars,
        flow.overset_lines,
        flow.underset_lines,
    )
    return BlockResult(items, lines, frame, tuple(findings), fonts)


def _stack(
    paragraphs: Sequence[StoryParagraph], numbers: Sequence[int], rect: Rect, ts: TypeSetter
) -> tuple[list[PlacedLine], int]:
    """Headline-style paragraphs stacked and centred in `rect`; returns lines and overflow."""
    pitch = ts.pitch
    blocks = []
    for paragraph in paragraphs:
        style = ts.styles[paragraph.role]
        size = from_pt(style.size)
        leading = from_pt(style.leading) if style.leading else max(pitch, size * 5 // 4)
        composed = ts.set(paragraph, lambda _k, w=rect.w: w, {"first_line_indent": 0}, uniform=True)
        height = max(style.lines * pitch, len(composed.lines) * leading)
        blocks.append((composed, size, leading, height, style))
    total = sum(b[3] for b in blocks)
    y = rect.y + (rect.h - total) // 2 if total <= rect.h else rect.y
    placed = []
    for number, (composed, size, leading, height, style) in zip(numbers, blocks, strict=True):
        top = y + (height - len(composed.lines) * leading) // 2 + (leading - size) // 2
        above = ts.ascent(style)
        for n, line in enumerate(composed.lines):
            line_top = top + n * leading
            placed.append(
                PlacedLine(number, line, 0, rect.x, line_top + above, line_top, line_top + size)
            )
        y += height
    return placed, total - rect.h


def _section(block: SectionHeadBlock, story: Story, ts: TypeSetter) -> BlockResult:
    rect = lu_rect(frame_rect(block.frame, ts.grid))
    paragraphs = list(story.paragraphs)
    inner = Rect(rect.x, rect.y, rect.w, rect.h)
    placed, overflow = _stack(paragraphs, range(len(paragraphs)), inner, ts)
    findings = (
        [
            Finding(
                "headline-overflow",
                "warning",
                block.id,
                story.id,
                (("lines", -(-overflow // ts.pitch)),),
            )
        ]
        if overflow > 0
        else []
    )
    items, lines, fonts = _draw(
        placed, paragraphs, story.paragraph_starts(), block.id, story, ts, findings
    )
    color = cmyk(ts.styles["栏头"].color)
    weight = from_pt(0.75)
    frame_items = (
        Rule(
            rect.x,
            rect.bottom - weight,
            rect.right,
            rect.bottom - weight,
            weight,
            color,
            (),
            block.id,
        ),
    )
    return BlockResult(
        items + frame_items,
        lines,
        BlockFrame(block.id, block.kind, rect, (rect,)),
        tuple(findings),
        fonts,
    )


def _running_head(block: RunningHeadBlock, ts: TypeSetter, meta: dict[str, str]) -> BlockResult:
    grid = ts.grid
    style = ts.styles["报眉"]
    size = from_pt(style.size)
    left, width = from_pt(grid.margin_left), from_pt(grid.area_width)
    rule_y = from_pt(grid.margin_top) - from_pt(grid.body_size)  # the 眉线, a line above the text
    top = rule_y - from_pt(2) - size - from_pt(grid.head_rule)
    placed: list[PlacedLine] = []
    paragraphs: list[StoryParagraph] = []
    findings: list[Finding] = []
    for align, template in (("left", block.left), ("center", block.center), ("right", block.right)):
        text = template.format_map(_Fields(meta)).strip()
        if not text:
            continue
        paragraph = StoryParagraph("报眉", text)
        composed = ts.set(
            paragraph,
            lambda _k: width,
            {"align": align, "last_line_align": align, "first_line_indent": 0},
        )
        line = composed.lines[0]
        placed.append(
            PlacedLine(len(paragraphs), line, 0, left, top + ts.ascent(style), top, top + size)
        )
        paragraphs.append(paragraph)
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph.text) + 1
    story = Story(block.id, tuple(paragraphs))
    items, lines, fonts = _draw(placed, paragraphs, starts, block.id, story, ts, findings)
    zone = Rect(left, from_pt(grid.margin_top - grid.head_zone), width, from_pt(grid.head_zone))
    rule = ()
    if grid.head_rule:
        rule = (
            Rule(
                left,
                rule_y,
                left + width,
                rule_y,
                from_pt(grid.head_rule),
                cmyk(style.color),
                (),
                block.id,
            ),
        )
    return BlockResult(
        items + rule, lines, BlockFrame(block.id, block.kind, zone, (zone,)), tuple(findings), fonts
    )


class _Fields(dict):
    """Template fields; an unknown {name} stays visible instead of failing the page."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# -- pictures ----------------------------------------------------------------------------------
def _photo(block: PhotoBlock, ts: TypeSetter, base_dir: Path) -> BlockResult:
    rect = lu_rect(frame_rect(block.frame, ts.grid))
    path = (base_dir / block.image).resolve()
    findings: list[Finding] = []
    items: list[Item] = []
    image_rect = rect
    lines: tuple[TextLine, ...] = ()
    fonts: frozenset[str] = frozenset()
    if block.credit:  # a credit line under the picture, right-aligned, inside the frame
        style = ts.styles[CREDIT_ROLE]
        size = from_pt(min(style.size, 6.5))
        band = size + from_pt(2)
        image_rect = Rect(rect.x, rect.y, rect.w, rect.h - band)
        credit = StoryParagraph(CREDIT_ROLE, block.credit)
        small = dataclasses.replace(style, size=size / 64, indent=0)
        composed = compose_paragraph(
            credit.text,
            rect.w,
            ts.metrics(small),
            dataclasses.replace(
                ts.settings(small), align="right", last_line_align="right", first_line_indent=0
            ),
        )
        top = rect.bottom - size
        placed = [
            PlacedLine(0, composed.lines[0], 0, rect.x, top + ts.ascent(small), top, rect.bottom)
        ]
        story = Story(block.id, (credit,))
        drawn, lines, fonts = _draw(
            placed,
            [credit],
            [0],
            block.id,
            story,
            dataclasses.replace(ts, styles={**ts.styles, CREDIT_ROLE: small}),
            findings,
        )
        items.extend(drawn)
    try:
        pixel_size = _image_size(path)
    except OSError as error:
        findings.append(
            Finding(
                "missing-image" if not path.exists() else "bad-image",
                "error",
                block.id,
                "",
                (("path", str(path)), ("reason", str(error))),
            )
        )
        items[:0] = [
            Box(image_rect, None, Color(k=1.0), from_pt(0.5), block.id),
            Rule(
                image_rect.x,
                image_rect.y,
                image_rect.right,
                image_rect.bottom,
                from_pt(0.5),
                Color(k=1.0),
                (),
                block.id,
            ),
        ]
    else:
        left, top, right, bottom = block.crop
        w, h = pixel_size
        crop = (left * w, top * h, right * w, bottom * h)
        items.insert(0, Image(str(path), image_rect, crop, pixel_size, block.id))
    return BlockResult(
        tuple(items),
        lines,
        BlockFrame(block.id, block.kind, rect, (image_rect,)),
        tuple(findings),
        fonts,
    )


def _image_size(path: Path) -> tuple[int, int]:
    try:
        with PILImage.open(path) as picture:
            return picture.size
    except UnidentifiedImageError as error:
        raise OSError(f"not an image: {error}") from None


def keep_out_zone(block: Block, grid: PageGrid) -> Rect | None:
    """The area a block keeps text out of: photos always, boxes when they wrap."""
    if isinstance(block, PhotoBlock) or (isinstance(block, BoxBlock) and block.wrap > 0):
        rect = lu_rect(frame_rect(block.frame, grid))
        pad = from_pt(block.wrap)
        return Rect(rect.x - pad, rect.y - pad, rect.w + 2 * pad, rect.h + 2 * pad)
    return None


# -- drawing -----------------------------------------------------------------------------------
def _draw(
    placed: Sequence[PlacedLine],
    paragraphs: Sequence[StoryParagraph],
    starts: list[int],
    block_id: str,
    story: Story,
    ts: TypeSetter,
    findings: list[Finding],
) -> tuple[tuple[Item, ...], tuple[TextLine, ...], frozenset[str]]:
    """Glyph runs (one per font change within a line) and text-map lines for placed lines.

    Each paragraph's drawing is cached under its lines' identities and places, so after a
    keystroke only the paragraphs that changed or moved on the page are drawn again.
    """
    items: list[Item] = []
    lines: list[TextLine] = []
    fonts: set[str] = set()
    for number, group in groupby(placed, key=attrgetter("paragraph")):
        group = tuple(group)
        text = paragraphs[number].text
        style = ts.styles[paragraphs[number].role]
        look = (from_pt(style.size), cmyk(style.color))
        key = (
            block_id,
            story.id,
            text,
            look,
            tuple((id(p.line), p.x, p.baseline, p.top, p.bottom, p.frame) for p in group),
        )
        drawn = ts.drawn.get(key)
        if drawn is None:  # drawn at offset 0, moved to the paragraph's offset below
            drawn = ts.drawn[key] = (
                *_draw_paragraph(group, text, look, block_id, story.id),
                group,
            )  # the lines stay alive while their ids are keys
        runs, text_lines, used, found, _ = drawn
        base = starts[number]
        if base:  # text typed in an earlier paragraph only moves these offsets
            runs = [_shifted_run(r, base) for r in runs]
            text_lines = [_shifted_line(t, base) for t in text_lines]
            found = [_moved_finding(f, base) for f in found]
        items.extend(runs)
        lines.extend(text_lines)
        fonts.update(used)
        findings.extend(found)
    return tuple(items), tuple(lines), frozenset(fonts)


def _shifted_run(r: GlyphRun, base: int) -> GlyphRun:
    return GlyphRun(r.font, r.size, r.color, r.y, r.glyphs, r.xs, r.advances, r.text, r.clusters,
                    r.block, r.story, r.char_start + base)  # fmt: skip


def _shifted_line(t: TextLine, base: int) -> TextLine:
    return TextLine(t.block, t.story, t.frame, t.paragraph, t.start + base, t.end + base, t.text,
                    t.x, t.baseline, t.width, t.top, t.bottom, t.char_x)  # fmt: skip


def _moved_finding(finding: Finding, base: int) -> Finding:
    args = tuple((k, v + base if k == "offset" else v) for k, v in finding.args)
    return dataclasses.replace(finding, args=args)


def _draw_paragraph(
    group: Sequence[PlacedLine], text: str, look: tuple[int, Color], block_id: str, story_id: str
) -> tuple[tuple[GlyphRun, ...], tuple[TextLine, ...], frozenset[str], tuple[Finding, ...]]:
    """One paragraph's runs, text-map lines and findings, offsets counted from its start."""
    size, color = look
    runs: list[GlyphRun] = []
    lines: list[TextLine] = []
    fonts: set[str] = set()
    findings: list[Finding] = []
    reported: set[int] = set()
    for p in group:
        line = p.line
        x0, baseline = p.x, p.baseline
        for font, glyph_group in groupby(line.glyphs, key=attrgetter("font")):
            glyphs = list(glyph_group)
            if not font:  # no face draws it: reported once per character position
                for glyph in glyphs:
                    if glyph.start not in reported:
                        reported.add(glyph.start)
                        findings.append(
                            Finding(
                                "missing-glyph",
                                "error",
                                block_id,
                                story_id,
                                (("char", text[glyph.start]), ("offset", glyph.start)),
                            )
                        )
                continue
            gids, xs, advances, starts, ends = zip(
                *[(g.gid, g.x, g.advance, g.start, g.end) for g in glyphs], strict=True
            )
            first, last = min(starts), max(ends)
            runs.append(GlyphRun(
                font, size, color, baseline, gids, tuple([x0 + x for x in xs]), advances,
                text[first:last],
                tuple([(a - first, b - first) for a, b in zip(starts, ends, strict=True)]),
                block_id, story_id, first,
            ))  # fmt: skip
            fonts.add(font)
        if line.loose:
            findings.append(Finding("loose-line", "info", block_id, story_id,
                                    (("offset", line.start),)))  # fmt: skip
        if line.relaxed:
            findings.append(Finding("relaxed-rule", "info", block_id, story_id,
                                    (("rule", line.relaxed), ("offset", line.end))))  # fmt: skip
        xs = tuple([(x0 + a, x0 + b) for a, b in line.char_x])
        left = min(xs)[0] if xs else x0 + line.x  # where the text starts, as aligned
        right = max(map(itemgetter(1), xs)) if xs else left
        lines.append(TextLine(
            block_id, story_id, p.frame, p.paragraph, line.start, line.end,
            line.text, left, baseline, right - left, p.top, p.bottom, xs,
        ))  # fmt: skip
    return tuple(runs), tuple(lines), frozenset(fonts), tuple(findings)


def _union(rects: Sequence[Rect]) -> Rect:
    x0 = min(r.x for r in rects)
    y0 = min(r.y for r in rects)
    x1 = max(r.right for r in rects)
    y1 = max(r.bottom for r in rects)
    return Rect(x0, y0, x1 - x0, y1 - y0)
