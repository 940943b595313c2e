"""Placing manuscripts and pictures, and pasting marked-up text: the same reader everywhere.

文件 → 置入稿件 puts a manuscript (story file, plain text in any common encoding, .docx)
into the selected text block, or into a new article in the page's largest free area
(`app.model.place`, shared with `pasteup place`); a picture becomes a photo there. Pasted
text with line breaks or 【role】 tags is parsed like a story file. Each is one undo step.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.editor.commands.actions import IMAGE_SUFFIXES, EditActions
from app.editor.commands.undo import InsertBlock, SetStory
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model import GridFrame, Paragraph, PhotoBlock
from app.model.manuscript import Manuscript, read_manuscript
from app.model.place import free_area, place_story
from app.model.story import PARAGRAPH_SEPARATOR
from app.model.storyfile import parse_story

PICTURE_SPAN, PICTURE_DEPTH = 3, 14


def place_file(edit: EditActions, path: Path) -> Manuscript | None:
    """Place a manuscript or a picture; returns the manuscript (for its report) or None."""
    path = Path(path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        place_picture(edit, path)
        return None
    return place_manuscript(edit, path)


def place_manuscript(edit: EditActions, path: Path) -> Manuscript:
    session, document = edit.session, edit.document
    manuscript = read_manuscript(path, "placed", edit.relative(path))
    selected = [b for b in session.selected_blocks() if getattr(b, "story", "")]
    target = selected[0].id if len(selected) == 1 else None
    block, story = place_story(document, manuscript.imported.story, target)
    if block is None:
        session.push(SetStory(document, story, tr("置入稿件")))
    else:
        session.push(InsertBlock(document, block, story=story))
        session.select([block.id])
    return manuscript


def place_picture(edit: EditActions, path: Path) -> PhotoBlock:
    if not path.is_file():
        raise PasteupError(f"{path}: 文件不存在 (file not found)")
    area = free_area(edit.document)
    if area is None:
        raise PasteupError(tr("版面没有空位放图片"))
    frame = GridFrame(
        area.col, min(PICTURE_SPAN, area.span), area.line, min(PICTURE_DEPTH, area.depth)
    )
    block_id = edit.document.new_id("图片")
    block = PhotoBlock(block_id, frame, edit.relative(path))
    edit.session.push(InsertBlock(edit.document, block))
    edit.session.select([block_id])
    return block


def is_marked_up(text: str) -> bool:
    """Text to parse as a story file rather than insert as it is."""
    return "\n" in text.strip() or text.lstrip().startswith(("【", "["))


def paste_marked(edit: EditActions, story_id: str, start: int, end: int, text: str) -> int:
    """Replace stream[start:end] with pasted story-file text; returns the caret after it.

    The first pasted paragraph continues the paragraph the caret is in (keeping its role,
    unless that paragraph was empty); the others keep the roles their tags give.
    """
    document = edit.document
    story = document.stories[story_id]
    pasted = parse_story(text, story_id, tr("粘贴")).story.paragraphs
    joined = PARAGRAPH_SEPARATOR.join(p.text for p in pasted)
    first = story.stream[:start].count(PARAGRAPH_SEPARATOR)
    if "\n" in text[: len(text) - len(text.lstrip())]:  # starts with a line break: own paragraph
        joined = PARAGRAPH_SEPARATOR + joined
        first += 1
    changed = story.replace_text(start, end, joined)
    paragraphs = list(changed.paragraphs)
    for offset, paragraph in enumerate(pasted):
        index = first + offset
        current = paragraphs[index]
        keep = offset == 0 and current.text != paragraph.text  # continues a paragraph
        paragraphs[index] = Paragraph(current.role if keep else paragraph.role, current.text)
    edit.session.push(
        SetStory(document, replace(changed, paragraphs=tuple(paragraphs)), tr("粘贴"))
    )
    return start + len(joined)
