"""Where a placed manuscript goes: into a chosen block, or a new article in free space.

Shared by `pasteup place` and the editor's 文件 → 置入稿件, so both put a story in the
same place. Free space is the largest rectangle of whole columns and body lines that no
block's frame touches (the running head's zone lies above the grid and does not count).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from app.errors import PasteupError
from app.model.blocks import ArticleBlock, Block, Frame, GridFrame, RuleBlock, block_frames
from app.model.document import PageDocument
from app.model.geometry import frame_from_rect, frame_rect
from app.model.story import Story

MIN_SPAN, MIN_DEPTH = 1, 4


def occupied(document: PageDocument, also: Iterable[Frame] = ()) -> list[list[bool]]:
    """Grid cells [column][line] covered by any block's frame (rules count as thin frames) or
    by a frame of `also` (an edition's ads on the page, which are not blocks)."""
    grid = document.layout.grid
    cells = [[False] * grid.lines for _ in range(grid.columns)]
    frames = [f for b in document.blocks if not isinstance(b, RuleBlock) for f in block_frames(b)]
    for frame in [*frames, *also]:  # 栏线 run between columns; they do not take space
        if not isinstance(frame, GridFrame):
            frame = frame_from_rect(frame_rect(frame, grid), grid)
        for c in range(max(0, frame.col), min(grid.columns, frame.col + frame.span)):
            for line in range(max(0, frame.line), min(grid.lines, frame.line + frame.depth)):
                cells[c][line] = True
    return cells


def free_frame(
    cells: list[list[bool]], span: int, depth: int, at: tuple[int, int] | None = None
) -> GridFrame | None:
    """A frame `span` columns wide and up to `depth` lines deep on free cells: at grid cell
    `at` (column, line) when at least MIN_DEPTH lines are free there, else the first free
    column area (the leftmost column with room, its topmost place), narrower if it must be;
    None when the page has no room at all."""
    columns = len(cells)
    lines = len(cells[0]) if cells else 0

    def room(col: int, line: int, span: int) -> int:
        run = 0
        while line + run < lines and run < depth:
            if any(cells[c][line + run] for c in range(col, col + span)):
                break
            run += 1
        return run

    if at is not None and columns:
        span_at = min(span, columns)
        col = min(max(0, at[0]), columns - span_at)
        line = min(max(0, at[1]), max(0, lines - 1))
        if (run := room(col, line, span_at)) >= MIN_DEPTH:
            return GridFrame(col, span_at, line, run)
    for width in range(min(span, columns), 0, -1):
        for col in range(columns - width + 1):
            for line in range(lines):
                if (run := room(col, line, width)) >= MIN_DEPTH:
                    return GridFrame(col, width, line, run)
    return None


def free_area(document: PageDocument) -> GridFrame | None:
    """The largest empty rectangle of columns × lines, or None if the page is full."""
    cells = occupied(document)
    columns = len(cells)
    lines = len(cells[0]) if cells else 0
    best: tuple[int, GridFrame] | None = None
    for first in range(columns):
        free_lines = [True] * lines
        for last in range(first, columns):
            free_lines = [a and not b for a, b in zip(free_lines, cells[last], strict=True)]
            span = last - first + 1
            run = 0
            for line in range(lines + 1):
                if line < lines and free_lines[line]:
                    run += 1
                    continue
                if span >= MIN_SPAN and run >= MIN_DEPTH:
                    area = span * run
                    if best is None or area > best[0]:
                        best = (area, GridFrame(first, span, line - run, run))
                run = 0
    return best[1] if best else None


def place_story(
    document: PageDocument, story: Story, block_id: str | None = None
) -> tuple[Block | None, Story]:
    """What placing `story` means on this page: (a new article block or None, the story).

    With `block_id`, the story replaces that block's story (same story id), and no block
    is made. Otherwise a new article `稿件N` takes the page's largest free area.
    """
    if block_id is not None:
        try:
            block = document.block(block_id)
        except KeyError:
            known = "、".join(b.id for b in document.blocks if getattr(b, "story", ""))
            raise PasteupError(f"{block_id}: 没有这个块 (no such block); 有 {known}") from None
        story_id = getattr(block, "story", "")
        if not story_id:
            raise PasteupError(f"{block_id}: 这个块没有稿件 (the block holds no story)")
        return None, replace(story, id=story_id)
    frame = free_area(document)
    if frame is None:
        raise PasteupError(
            "版面没有空位：先选一个块，或用 --block 指定 (no free space on the page)"
        )
    new_id = document.new_id("稿件")
    return ArticleBlock(new_id, new_id, (frame,)), replace(story, id=new_id)
