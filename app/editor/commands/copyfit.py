"""Copyfitting (拷贝调整): 调整到适合 and 平衡分栏 for the selected articles.

调整到适合 sets the headline space to what the headline needs (标题占行 0 = automatic)
and the article's last grid frame to the least depth at which its text fits, found by
composing trial versions of the page (the composer re-sets only the trial block). 平衡分栏
is an option of the block (`ArticleBlock.balance`), composed by the engine. One undo step.
"""

from __future__ import annotations

from dataclasses import replace

from app.editor.commands.actions import EditActions
from app.editor.i18n import tr
from app.model.blocks import ArticleBlock, GridFrame, TextBlock

FlowBlock = ArticleBlock | TextBlock


def _frames_of(edit: EditActions) -> list[FlowBlock]:
    return [b for b in edit.session.selected_blocks() if isinstance(b, ArticleBlock | TextBlock)]


def fits(edit: EditActions, block: FlowBlock) -> bool:
    blocks = [block if b.id == block.id else b for b in edit.document.blocks]
    layout = edit.session.compose_trial(blocks)
    frame = next(f for f in layout.blocks if f.block == block.id)
    return frame.overset_chars == 0 and frame.overset_lines == 0


def fitted(edit: EditActions, block: FlowBlock) -> FlowBlock:
    """`block` with automatic headline space and its last grid frame as short as fits."""
    if isinstance(block, ArticleBlock):
        block = replace(block, head_lines=0)
    last = block.frames[-1]
    if not isinstance(last, GridFrame):
        return block

    def with_depth(depth: int) -> FlowBlock:
        frames = (*block.frames[:-1], replace(last, depth=depth))
        return replace(block, frames=frames)

    high = edit.grid.lines - last.line  # the deepest the frame can be
    if not fits(edit, with_depth(high)):
        return with_depth(max(last.depth, 1))  # cannot fit: leave the depth as it was
    low = 1
    while low < high:
        middle = (low + high) // 2
        if fits(edit, with_depth(middle)):
            high = middle
        else:
            low = middle + 1
    return with_depth(low)


def fit_to_text(edit: EditActions) -> None:
    changed = [fitted(edit, b) for b in _frames_of(edit)]
    edit.replace_blocks(changed, tr("调整到适合"))


def set_balance(edit: EditActions, on: bool) -> None:
    changed = [
        replace(b, balance=on)
        for b in edit.session.selected_blocks()
        if isinstance(b, ArticleBlock)
    ]
    edit.replace_blocks(changed, tr("平衡分栏"))
