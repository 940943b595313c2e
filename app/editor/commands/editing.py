"""Block geometry edits as pure functions: move, resize, snap, create, duplicate, align.

Everything here works in points on model blocks and returns new blocks; the tools
and menus wrap the results in undo commands. Snapping puts frames on the grid
(`frame_from_rect`: whole columns, whole body lines); without it a frame becomes a
`FreeFrame` at exactly the dragged position.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.model import PageDocument, Paragraph, Story
from app.model.blocks import (
    KIND_NAMES,
    ArticleBlock,
    Block,
    BoxBlock,
    CaptionBlock,
    Frame,
    FreeFrame,
    GridFrame,
    PhotoBlock,
    RuleBlock,
    RunningHeadBlock,
    SectionHeadBlock,
    TextBlock,
    block_frames,
)
from app.model.geometry import RectPt, frame_from_rect, frame_rect
from app.model.grid import PageGrid

# The blocks with one `frame` (articles and text blocks flow through `frames`), and those with a
# `story`.
SingleFrameBlock = PhotoBlock | CaptionBlock | BoxBlock | SectionHeadBlock
StoryBlock = ArticleBlock | TextBlock | CaptionBlock | SectionHeadBlock

HANDLES = ("nw", "n", "ne", "e", "se", "s", "sw", "w")
MIN_SIZE = 6.0  # pt: a frame never collapses below this while resizing


def block_rects(block: Block, grid: PageGrid) -> list[RectPt]:
    """The rectangles a block occupies, one per frame (a rule: its bounding box)."""
    if isinstance(block, RuleBlock):
        half = max(block.weight, 2.0) / 2
        x0, x1 = sorted((block.x0, block.x1))
        y0, y1 = sorted((block.y0, block.y1))
        return [RectPt(x0 - half, y0 - half, x1 - x0 + 2 * half, y1 - y0 + 2 * half)]
    if isinstance(block, RunningHeadBlock):
        top = grid.margin_top - grid.head_zone
        return [RectPt(grid.margin_left, top, grid.area_width, grid.head_zone)]
    return [frame_rect(frame, grid) for frame in block_frames(block)]


def with_frames(block: Block, frames: tuple[Frame, ...]) -> Block:
    if isinstance(block, ArticleBlock | TextBlock):
        return replace(block, frames=frames)
    if frames and isinstance(block, SingleFrameBlock):
        return replace(block, frame=frames[0])
    return block


def snap_frame(rect: RectPt, grid: PageGrid, columns: int) -> GridFrame:
    return frame_from_rect(rect, grid, columns if columns > 1 else 0)


def _place(rect: RectPt, old: Frame, grid: PageGrid, snap: bool) -> Frame:
    columns = old.columns
    if snap:
        return snap_frame(rect, grid, columns if isinstance(old, GridFrame) else 0)
    return FreeFrame(rect.x, rect.y, rect.w, rect.h, columns=max(1, columns))


def moved_frame(frame: Frame, dx: float, dy: float, grid: PageGrid, snap: bool) -> Frame:
    if snap and isinstance(frame, GridFrame):
        # Keep the frame's size; move it by whole columns and lines.
        col = round(grid.column_at(grid.column_x(frame.col) + dx))
        line = round(grid.line_at(grid.line_top(frame.line) + dy))
        col = max(0, min(grid.columns - frame.span, col))
        line = max(0, min(grid.lines - frame.depth, line))
        return replace(frame, col=col, line=line)
    rect = frame_rect(frame, grid)
    return _place(RectPt(rect.x + dx, rect.y + dy, rect.w, rect.h), frame, grid, snap)


def move_block(
    block: Block, dx: float, dy: float, grid: PageGrid, snap: bool, frame: int | None = None
) -> Block:
    """`block` moved by (dx, dy) points; `frame` limits the move to one of its frames."""
    if isinstance(block, RuleBlock):
        if snap:
            sx, sy = snap_point(block.x0 + dx, block.y0 + dy, grid)
            dx, dy = sx - block.x0, sy - block.y0
        return replace(
            block, x0=block.x0 + dx, y0=block.y0 + dy, x1=block.x1 + dx, y1=block.y1 + dy
        )
    frames = block_frames(block)
    if not frames:
        return block
    new = tuple(
        moved_frame(f, dx, dy, grid, snap) if frame is None or i == frame else f
        for i, f in enumerate(frames)
    )
    return with_frames(block, new)


def resize_block(
    block: Block, frame: int, handle: str, dx: float, dy: float, grid: PageGrid, snap: bool
) -> Block:
    """`block` with one frame's edges named by `handle` (n, se, …) dragged by (dx, dy)."""
    if isinstance(block, RuleBlock):
        return _resize_rule(block, handle, dx, dy, grid, snap)
    frames = block_frames(block)
    if not frames:
        return block
    old = frames[frame]
    rect = frame_rect(old, grid)
    left, top, right, bottom = rect.x, rect.y, rect.right, rect.bottom
    if "w" in handle:
        left = min(left + dx, right - MIN_SIZE)
    if "e" in handle:
        right = max(right + dx, left + MIN_SIZE)
    if "n" in handle:
        top = min(top + dy, bottom - MIN_SIZE)
    if "s" in handle:
        bottom = max(bottom + dy, top + MIN_SIZE)
    placed = _place(RectPt(left, top, right - left, bottom - top), old, grid, snap)
    return with_frames(block, (*frames[:frame], placed, *frames[frame + 1 :]))


def _resize_rule(
    rule: RuleBlock, handle: str, dx: float, dy: float, grid: PageGrid, snap: bool
) -> RuleBlock:
    """Rules have two handles, "p0" and "p1": their end points."""
    if handle == "p0":
        x, y = rule.x0 + dx, rule.y0 + dy
        x, y = snap_point(x, y, grid) if snap else (x, y)
        return replace(rule, x0=x, y0=y)
    x, y = rule.x1 + dx, rule.y1 + dy
    x, y = snap_point(x, y, grid) if snap else (x, y)
    return replace(rule, x1=x, y1=y)


def snap_point(x: float, y: float, grid: PageGrid) -> tuple[float, float]:
    """The nearest column edge or gutter centre, and line top or line-gap centre.

    Rules sit there: column rules (栏线) in the middle of a gutter, cross rules in
    the gap between two body lines.
    """
    xs = [grid.margin_left + grid.area_width]
    for col in range(grid.columns):
        left = grid.column_x(col)
        xs += [left, left + grid.column_width]
        if col:
            xs.append(left - grid.gutter / 2)
    gap = grid.line_pitch - grid.body_size
    ys = [grid.line_top(line) - gap / 2 for line in range(grid.lines + 1)]
    ys += [grid.line_top(line) for line in range(grid.lines)]
    return min(xs, key=lambda v: abs(v - x)), min(ys, key=lambda v: abs(v - y))


# -- creating -----------------------------------------------------------------------------------
CREATABLE = ("article", "photo", "caption", "text", "rule", "box", "section")


def new_block(
    kind: str,
    document: PageDocument,
    rect: RectPt,
    snap: bool,
    *,
    story: Story | None = None,
    image: str = "",
    photo: str = "",
) -> tuple[Block, Story | None]:
    """A block of `kind` filling `rect`, with the new story it needs (None if it has none)."""
    grid = document.layout.grid
    frame: Frame = snap_frame(rect, grid, 0) if snap else FreeFrame(rect.x, rect.y, rect.w, rect.h)
    block_id = document.new_id(KIND_NAMES[kind])  # 稿件1, 图片2 …
    if kind == "rule":
        horizontal = rect.w >= rect.h
        x0, y0 = (rect.x, rect.y + rect.h / 2) if horizontal else (rect.x + rect.w / 2, rect.y)
        x1, y1 = (rect.right, y0) if horizontal else (x0, rect.bottom)
        if snap:
            x0, y0 = snap_point(x0, y0, grid)
            x1, y1 = snap_point(x1, y1, grid)
            y1, x1 = (y0, x1) if horizontal else (y1, x0)
        return RuleBlock(block_id, x0, y0, x1, y1), None
    if kind == "box":
        return BoxBlock(block_id, frame), None
    if kind == "photo":
        # a picture the user chose from outside the page's folder is linked by that choice
        outside = bool(image) and Path(image).is_absolute()
        return PhotoBlock(
            block_id, frame, image=image, placeholder=not image, outside_folder=outside
        ), None
    if story is None:
        story = Story(block_id, _STARTER[kind])  # new_id avoids story ids too
    if kind == "article":
        return ArticleBlock(block_id, story.id, (frame,)), story
    if kind == "text":
        return TextBlock(block_id, story.id, (frame,)), story
    if kind == "section":
        return SectionHeadBlock(block_id, story.id, frame), story
    if kind == "caption":
        return CaptionBlock(block_id, story.id, photo, frame), story
    raise ValueError(f"cannot create a {kind!r} block")


# What a new block's story starts with: one empty paragraph per role a layout editor fills.
_STARTER = {
    "article": (Paragraph("主题", ""), Paragraph("正文", "")),
    "text": (Paragraph("正文", ""),),
    "section": (Paragraph("栏头", ""), Paragraph("拼音", "")),
    "caption": (Paragraph("图说", ""),),
}


def caption_rect_under(photo: PhotoBlock, grid: PageGrid, depth: int = 3) -> Frame:
    """Where a photo's caption goes: right under it, as wide, `depth` body lines deep."""
    frame = photo.frame
    if isinstance(frame, GridFrame):
        line = min(frame.line + frame.depth, grid.lines - depth)
        return GridFrame(frame.col, frame.span, max(0, line), depth)
    rect = frame_rect(frame, grid)
    return FreeFrame(
        rect.x, rect.bottom + grid.line_pitch - grid.body_size, rect.w, grid.depth_height(depth)
    )


def duplicate_block(block: Block, document: PageDocument) -> tuple[Block, Story | None]:
    """A copy two body lines lower, with a copy of its story under a new id."""
    grid = document.layout.grid
    new_id = document.new_id(block.id.rstrip("0123456789") or block.kind)
    copy = move_block(replace(block, id=new_id), 0.0, 2 * grid.line_pitch, grid, snap=True)
    if not isinstance(copy, StoryBlock) or not copy.story:
        return copy, None
    story = replace(document.stories[copy.story], id=new_id)
    return replace(copy, story=story.id), story


def aligned(blocks: list[Block], edge: str, grid: PageGrid) -> list[Block]:
    """Blocks moved so their `edge` (left, right, top, bottom) lines up with the first one's."""

    def edge_of(block: Block) -> float:
        rects = block_rects(block, grid)
        return {
            "left": min(r.x for r in rects),
            "right": max(r.right for r in rects),
            "top": min(r.y for r in rects),
            "bottom": max(r.bottom for r in rects),
        }[edge]

    target = edge_of(blocks[0])
    result = []
    for block in blocks[1:]:
        delta = target - edge_of(block)
        dx, dy = (delta, 0.0) if edge in ("left", "right") else (0.0, delta)
        snap = all(isinstance(f, GridFrame) for f in block_frames(block))
        result.append(move_block(block, dx, dy, grid, snap))
    return result
