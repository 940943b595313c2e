"""A text block's part of a story that jumps (转版): where its text starts, and its jump lines.

A story set across several blocks — on one page (续排) or on others (转版) — is composed
part by part: the first part from the story's start, each next one from where the part
before handed off (`BlockResult.handoff`, the flow's `overset_from` as a stream offset), the
way Typst's regions carry a backlog into the next region. A part before a jump keeps its
last slot for the 「（下转第N版）」 line; a continuation keeps its first for 「（上接第N版）」.
Jump lines are composed, never typed: they carry no story (`story == ""` in the text map),
so every character of the story is set exactly once across its parts.
"""

from __future__ import annotations

from typing import NamedTuple

from app.compose.flow import PlacedLine, Slot
from app.compose.layout import from_pt
from app.compose.typesetter import TypeSetter
from app.model.jumps import JUMP_ROLE
from app.model.story import Paragraph as StoryParagraph
from app.model.styles import ParagraphStyle


class Part(NamedTuple):
    """Which part of its story a block sets (a named tuple: it is part of a cache key)."""

    start: int = 0  # offset in the story's character stream where this block's text begins
    jump_in: str = ""  # 上接 line opening the block, "" for none
    jump_out: str = ""  # 下转 line closing it: the text after it goes on in another block
    style: ParagraphStyle = ParagraphStyle()  # the jump lines' style
    more: bool = False  # another block continues the story (its rest is not overset)


def jump_line(
    text: str, align: str, slot: Slot, ts: TypeSetter, style: ParagraphStyle, index: int
) -> tuple[PlacedLine, StoryParagraph]:
    """A jump line set in one slot (one body line of a column), aligned as the layout says."""
    paragraph = StoryParagraph(JUMP_ROLE, text)
    overrides = {"align": align, "last_line_align": align, "first_line_indent": 0}
    composed = ts.set(paragraph, lambda _k: slot.width, overrides)
    size = from_pt(style.size)
    top = slot.top + (ts.body - size) // 2
    line = composed.lines[0]
    return PlacedLine(index, line, slot.frame, slot.x, top + ts.ascent(style), top, top + size), (
        paragraph
    )
