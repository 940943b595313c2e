"""Blocks to display-list pieces: each block kind composed on its own, for the page cache.

`compose_block` turns one block into a `BlockResult` (items, text-map lines, its frame record
and findings). It depends only on the block, its story, the styles it uses, the grid and the
zones other blocks keep text out of, so the composer can cache it per block.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Callable, Sequence
from pathlib import Path

from app.compose.draw import draw_lines
from app.compose.flow import FlowResult, PlacedLine, column_slots, flow_paragraphs
from app.compose.jumps import Part, jump_line
from app.compose.layout import (
    BlockFrame,
    Box,
    Finding,
    Rect,
    Rule,
    from_pt,
    lu_rect,
)
from app.compose.paragraph import Paragraph
from app.compose.picture import compose_photo
from app.compose.typesetter import BlockResult, TypeSetter, cmyk
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
from app.model.geometry import frame_rect, text_columns
from app.model.grid import PageGrid
from app.model.jumps import JUMP_ROLE
from app.model.story import Paragraph as StoryParagraph
from app.model.story import Story
from app.model.styles import HEADLINE_ROLES


def compose_block(
    block: Block,
    story: Story | None,
    ts: TypeSetter,
    keep_out: Sequence[Rect],
    meta: dict[str, str],
    base_dir: Path,
    part: Part | None = None,
) -> BlockResult:
    """`part` says which part of a jumped story a text block sets (None: all of it); `story`
    is the story a text block sets (the model checks every block's story exists)."""
    match block:
        case ArticleBlock() | TextBlock():
            assert story is not None, block.id
            return _flowed(block, story, ts, keep_out, part)
        case CaptionBlock():
            assert story is not None, block.id
            return _flowed(block, story, ts, keep_out)
        case SectionHeadBlock():
            assert story is not None, block.id
            return _section(block, story, ts)
        case PhotoBlock():
            return compose_photo(block, ts, base_dir)
        case RuleBlock():
            rule = Rule(
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
                min(rule.x0, rule.x1),
                min(rule.y0, rule.y1),
                abs(rule.x1 - rule.x0),
                abs(rule.y1 - rule.y0),
            )
            return BlockResult(
                (rule,), (), BlockFrame(block.id, block.kind, bounds), (), frozenset()
            )
        case BoxBlock():
            rect = lu_rect(frame_rect(block.frame, ts.grid))
            box = Box(
                rect,
                cmyk(block.fill) if block.fill else None,
                cmyk(block.stroke) if block.weight else None,
                from_pt(block.weight),
                block.id,
            )
            return BlockResult((box,), (), BlockFrame(block.id, block.kind, rect), (), frozenset())
        case RunningHeadBlock():
            return _running_head(block, ts, meta)
    raise TypeError(f"unknown block {block!r}")


# -- text blocks -------------------------------------------------------------------------------
def _flowed(
    block, story: Story, ts: TypeSetter, keep_out: Sequence[Rect], part: Part | None = None
) -> BlockResult:
    grid, pitch, body = ts.grid, ts.pitch, ts.body
    frames = block_frames(block)
    rects = [lu_rect(frame_rect(f, grid)) for f in frames]
    paragraphs = list(story.paragraphs)
    starts = story.paragraph_starts()
    placed: list[PlacedLine] = []
    findings: list[Finding] = []
    head_count = 0
    head_height = 0
    first, cut = 0, 0  # a continuation starts at paragraph `first`, `cut` characters in
    if part is not None and part.start:
        first = bisect_right(starts, part.start) - 1
        cut = part.start - starts[first]
        paragraphs[first] = StoryParagraph(paragraphs[first].role, paragraphs[first].text[cut:])
        starts[first] += cut
    elif isinstance(block, ArticleBlock):
        while head_count < len(paragraphs) and paragraphs[head_count].role in HEADLINE_ROLES:
            head_count += 1
        if head_count:
            head_lines = block.head_lines or sum(
                max(1, ts.styles[p.role].lines) for p in paragraphs[:head_count]
            )
            placed, overflow = _headline(paragraphs[:head_count], rects[0], head_lines, ts)
            if overflow > 0 and not block.head_lines:  # 0 = as many lines as the head needs
                head_lines += -(-overflow // pitch)
                placed, overflow = _headline(paragraphs[:head_count], rects[0], head_lines, ts)
            head_height = head_lines * pitch
            first = head_count
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
    columns_per_frame: list[tuple[int, Rect]] = []
    for index, text_frame in enumerate(frames):
        default = 1 if isinstance(block, CaptionBlock) else 0
        frame_columns = text_columns(
            dataclasses.replace(text_frame, columns=text_frame.columns or default)
            if default and not text_frame.columns
            else text_frame,
            grid,
        )
        columns_per_frame.extend((index, lu_rect(c)) for c in frame_columns)
    columns = tuple(
        (index, rect, rect.y + (head_height if index == 0 else 0))
        for index, rect in columns_per_frame
    )
    slots_key = ("slots", columns, pitch, body, tuple(keep_out))
    slots = ts.drawn.get(slots_key)
    if slots is None:  # the same frames give the same slots on every keystroke
        slots = ts.drawn[slots_key] = column_slots(columns, pitch, body, keep_out)
    jump_in = jump_out = None
    if part is not None and part.jump_in and slots:
        jump_in, slots = slots[0], slots[1:]
    if part is not None and part.jump_out and slots:
        jump_out, slots = slots[-1], slots[:-1]
    body_paragraphs = paragraphs[first:]
    specs = [
        (ts.styles[p.role].lines, from_pt(ts.styles[p.role].size), ts.styles[p.role].keep_with_next)
        for p in body_paragraphs
    ]
    uniform = len({slot.width for slot in slots}) <= 1
    spacing = tuple(
        (_lines(ts.styles[p.role].space_before), _lines(ts.styles[p.role].space_after))
        for p in body_paragraphs
    )
    if not any(before or after for before, after in spacing):
        spacing = ()

    def compose(i: int, widths: Callable[[int], int]) -> Paragraph:
        if i == 0 and cut:  # the rest of a paragraph cut by the jump: no first-line indent
            return ts.set(body_paragraphs[0], widths, {"first_line_indent": 0}, uniform=uniform)
        return ts.set(body_paragraphs[i], widths, uniform=uniform)

    def ascent(i: int) -> tuple[int, int]:
        style = ts.styles[body_paragraphs[i].role]
        return ts.ascent(style), from_pt(style.size)

    flow: FlowResult = flow_paragraphs(specs, compose, slots, pitch, body, ascent, first, spacing)
    if getattr(block, "balance", False) and flow.overset_from is None and flow.underset_lines:
        flow = _balanced(
            flow,
            slots,
            lambda s: flow_paragraphs(specs, compose, s, pitch, body, ascent, first, spacing),
        )
    placed.extend(flow.placed)
    overset_chars, overset_lines = 0, flow.overset_lines
    handoff = len(story.stream)
    if flow.overset_from is not None:
        handoff = starts[first + flow.overset_from[0]] + flow.overset_from[1]
    if flow.overset_from is not None and part is not None and part.more:
        overset_lines = 0  # the rest is the next part's, not overset
    elif flow.overset_from is not None:
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
    items, lines, fonts = draw_lines(placed, paragraphs, starts, block.id, story, ts, findings)
    if part is not None and (jump_in is not None or jump_out is not None):
        items, lines, fonts = _with_jump_lines(
            (items, lines, fonts), block.id, part, jump_in, jump_out, ts, findings
        )
    bounds = _union(rects)
    frame = BlockFrame(
        block.id,
        block.kind,
        bounds,
        tuple(r for _, r in columns_per_frame),
        overset_chars,
        overset_lines,
        flow.underset_lines,
    )
    return BlockResult(items, lines, frame, tuple(findings), fonts, handoff)


def _with_jump_lines(drawn, block_id: str, part: Part, jump_in, jump_out, ts, findings):
    """The block's text with its 上接 line before it and its 下转 line after it."""
    ts = ts._replace(styles={**ts.styles, JUMP_ROLE: part.style})
    items, lines, fonts = drawn
    for slot, text, align, before in (
        (jump_in, part.jump_in, "left", True),
        (jump_out, part.jump_out, "right", False),
    ):
        if slot is None:
            continue
        placed, paragraph = jump_line(text, align, slot, ts, part.style, 0)
        blank = Story("", (paragraph,))  # no story: a jump line is never story text
        more = draw_lines([placed], [paragraph], [0], block_id, blank, ts, findings)
        items = more[0] + items if before else items + more[0]
        lines = more[1] + lines if before else lines + more[1]
        fonts = fonts | more[2]
    return items, lines, fonts


def _lines(space: float) -> int:
    """Space before/after a paragraph, in body lines: whole lines on the grid, at least one."""
    return max(1, round(space)) if space > 0 else 0


def _balanced(
    flow: FlowResult, slots: Sequence, reflow: Callable[[Sequence], FlowResult]
) -> FlowResult:
    """平衡分栏: the text of the last frame spread evenly over its columns.

    The last frame's columns are cut to an even share of its lines (the first columns one
    line deeper when they do not divide evenly), a line more each while keep rules leave
    text over; the white left over is at the foot of every column instead of one column
    ending short. The underset reported
    is the frame's whole unused depth, as before balancing.
    """
    last = slots[-1].frame
    columns: dict[int, list] = {}
    for slot in slots:
        if slot.frame == last:
            columns.setdefault(slot.column, []).append(slot)
    if len(columns) < 2:
        return flow
    used = sum(len(c) for c in columns.values()) - flow.underset_lines
    deepest = max(len(c) for c in columns.values())
    earlier = [s for s in slots if s.frame != last]
    share, extra = divmod(used, len(columns))
    for more in range(deepest):  # keep rules may need more than an even share
        depths = [share + more + (1 if i < extra else 0) for i in range(len(columns))]
        if min(depths) >= deepest:
            break
        kept = earlier + [s for c, d in zip(columns.values(), depths, strict=True) for s in c[:d]]
        trial = reflow(kept)
        if trial.overset_from is None:
            return trial._replace(underset_lines=flow.underset_lines)
    return flow


def _headline(
    paragraphs: Sequence[StoryParagraph], frame: Rect, lines: int, ts: TypeSetter
) -> tuple[list[PlacedLine], int]:
    """The headline group stacked in its `lines` body lines; returns the lines placed and by
    how much (lu) it overflows them. The area ends at the last line's em box, but a head as
    tall as its lines (one 主题 of 3 lines in 3 lines) fits: the overflow counts from the
    lines' full pitch, not from that em box."""
    pitch = ts.pitch
    rect = Rect(frame.x, frame.y, frame.w, lines * pitch - (pitch - ts.body))
    placed, overflow = _stack(paragraphs, range(len(paragraphs)), rect, ts)
    return placed, overflow - (pitch - ts.body)


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
        composed = ts.set(paragraph, lambda _k: rect.w, {"first_line_indent": 0}, uniform=True)
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
    items, lines, fonts = draw_lines(
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
    left_text, right_text = block.left, block.right
    if meta.get("side") == "left":  # a left-hand page of an edition that mirrors its heads
        left_text, right_text = right_text, left_text
    parts = [
        (align, template.format_map(_Fields(meta)).strip())
        for align, template in (
            ("left", left_text),
            ("center", block.center),
            ("right", right_text),
        )
    ]
    items, lines, fonts, findings = _label_line(block.id, parts, top, ts)
    zone = Rect(left, from_pt(grid.margin_top - grid.head_zone), width, from_pt(grid.head_zone))
    rule: tuple[Rule, ...] = ()
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


CREDITS_BLOCK = "credits"


def compose_credits(text: str, ts: TypeSetter) -> BlockResult:
    """The 责任编辑 / 美编 / 校对 line, right-aligned in the 报眉 style just below the type area
    (the layout's `[credits] place = "foot"`)."""
    grid = ts.grid
    size = from_pt(ts.styles["报眉"].size)
    top = from_pt(grid.margin_top + grid.area_height) + from_pt(grid.body_size) // 2
    items, lines, fonts, findings = _label_line(CREDITS_BLOCK, [("right", text)], top, ts)
    rect = Rect(from_pt(grid.margin_left), top, from_pt(grid.area_width), size)
    return BlockResult(
        items, lines, BlockFrame(CREDITS_BLOCK, "credits", rect, (rect,)), tuple(findings), fonts
    )


def _label_line(
    block_id: str, parts: list[tuple[str, str]], top: int, ts: TypeSetter
) -> tuple[tuple, tuple, frozenset, list[Finding]]:
    """Short texts on one line across the type area, each aligned as given, in the 报眉 style."""
    style = ts.styles["报眉"]
    size = from_pt(style.size)
    left, width = from_pt(ts.grid.margin_left), from_pt(ts.grid.area_width)
    placed: list[PlacedLine] = []
    paragraphs: list[StoryParagraph] = []
    findings: list[Finding] = []
    for align, text in parts:
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
    story = Story(block_id, tuple(paragraphs))
    items, lines, fonts = draw_lines(placed, paragraphs, starts, block_id, story, ts, findings)
    return items, lines, fonts, findings


class _Fields(dict):
    """Template fields; an unknown {name} stays visible instead of failing the page."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def keep_out_zone(block: Block, grid: PageGrid) -> Rect | None:
    """The area a block keeps text out of: photos (and ads, placed as pictures) and captions
    always, boxes when they wrap (a box without a standoff is a panel behind its text)."""
    if isinstance(block, PhotoBlock | CaptionBlock) or (
        isinstance(block, BoxBlock) and block.wrap > 0
    ):
        rect = lu_rect(frame_rect(block.frame, grid))
        pad = from_pt(block.wrap)
        return Rect(rect.x - pad, rect.y - pad, rect.w + 2 * pad, rect.h + 2 * pad)
    return None


def _union(rects: Sequence[Rect]) -> Rect:
    x0 = min(r.x for r in rects)
    y0 = min(r.y for r in rects)
    x1 = max(r.right for r in rects)
    y1 = max(r.bottom for r in rects)
    return Rect(x0, y0, x1 - x0, y1 - y0)
