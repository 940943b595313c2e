"""Edits as the user names them (move, nudge, delete, link …), turned into undo commands.

Tools, menus and panels call these; each builds thin commands from `commands.py`
and pushes them on the session's stack, as one macro when it touches several blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QUndoCommand

from app.editor.commands.editing import (
    aligned,
    caption_rect_under,
    duplicate_block,
    move_block,
    new_block,
    with_frames,
)
from app.editor.commands.undo import (
    NUDGE_ID,
    EditStory,
    InsertBlock,
    MoveBlockTo,
    RemoveBlock,
    SetBlock,
    SetStory,
)
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model import PageDocument, Paragraph
from app.model.blocks import (
    ArticleBlock,
    Block,
    CaptionBlock,
    GridFrame,
    PhotoBlock,
    TextBlock,
    block_frames,
)
from app.model.geometry import RectPt
from app.model.grid import PageGrid
from app.model.storyfile import read_story_file

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
STORY_SUFFIXES = (".txt",)


class EditActions:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def document(self) -> PageDocument:
        return self.session.document

    @property
    def grid(self) -> PageGrid:
        return self.document.layout.grid

    # -- geometry -----------------------------------------------------------------------------
    def replace_blocks(self, blocks: Sequence[Block], text: str, merge_id: int = -1) -> None:
        """Commit new versions of blocks (the end of a drag, an inspector edit)."""
        changed = [b for b in blocks if b != self.document.block(b.id)]
        if len(changed) == 1:
            self.session.push(SetBlock(self.document, changed[0], text, merge_id))
        else:
            self.session.macro(text, [SetBlock(self.document, b, text) for b in changed])

    def nudge(self, dx_steps: int, dy_steps: int, free: bool) -> None:
        """Arrow keys: one column / one body line on the grid, or one point free (Shift)."""
        grid = self.grid
        moved = []
        for block in self.session.selected_blocks():
            snapped = not free and all(isinstance(f, GridFrame) for f in block_frames(block))
            if snapped:
                dx = dx_steps * (grid.column_width + grid.gutter)
                dy = dy_steps * grid.line_pitch
            else:
                dx, dy = float(dx_steps), float(dy_steps)
            moved.append(move_block(block, dx, dy, grid, snapped))
        self.replace_blocks(moved, tr("微移"), NUDGE_ID)

    def align(self, edge: str) -> None:
        blocks = self.session.selected_blocks()
        if len(blocks) >= 2:
            self.replace_blocks(aligned(blocks, edge, self.grid), tr("对齐"))

    # -- creating and removing ------------------------------------------------------------------
    def create(self, kind: str, rect: RectPt, snap: bool, **extra) -> Block:
        if kind == "caption" and not extra.get("photo"):
            extra["photo"] = self._photo_for_caption(rect)
        block, story = new_block(kind, self.document, rect, snap, **extra)
        self.session.push(InsertBlock(self.document, block, story=story))
        self.session.select([block.id])
        return block

    def _photo_for_caption(self, rect: RectPt) -> str:
        photos = [b for b in self.document.blocks if isinstance(b, PhotoBlock)]
        selected = [b for b in self.session.selected_blocks() if isinstance(b, PhotoBlock)]
        if selected:
            return selected[0].id
        if not photos:
            raise PasteupError(tr("图说需要先放一张图片"))
        from app.model.geometry import frame_rect

        def distance(photo: PhotoBlock) -> float:
            r = frame_rect(photo.frame, self.grid)
            return abs(r.bottom - rect.y) + abs(r.x - rect.x)

        return min(photos, key=distance).id

    def place_story_file(self, path: Path, rect: RectPt) -> Block:
        imported = read_story_file(path)
        block_id = self.document.new_id("稿件")
        story = replace(imported.story, id=block_id, source=self.relative(path))
        return self.create("article", rect, True, story=story)

    def place_image(self, path: Path, rect: RectPt, snap: bool = True) -> Block:
        if not Path(path).is_file():
            raise PasteupError(f"{path}: 文件不存在 (file not found)")
        return self.create("photo", rect, snap, image=self.relative(path))

    def relative(self, path: Path) -> str:
        """`path` as the page file records it: relative to the page's folder when inside it."""
        base = self.document.base_dir().resolve()
        try:
            return Path(path).resolve().relative_to(base).as_posix()
        except ValueError:
            return str(Path(path).resolve())

    def delete_selection(self) -> None:
        ids = list(self.session.selection)
        if ids:
            self.session.macro(
                tr("删除 {count} 个块", count=len(ids)),
                [RemoveBlock(self.document, i) for i in ids],
            )

    def duplicate_selection(self) -> None:
        blocks = self.session.selected_blocks()
        if not blocks or not self.session.editable():
            return
        new_ids = []
        with self.session.batch():
            self.session.undo_stack.beginMacro(tr("复制 {count} 个块", count=len(blocks)))
            for block in blocks:
                copy, story = duplicate_block(block, self.document)
                self.session.undo_stack.push(InsertBlock(self.document, copy, story=story))
                new_ids.append(copy.id)
            self.session.undo_stack.endMacro()
        self.session.select(new_ids)

    # -- z-order --------------------------------------------------------------------------------
    def arrange(self, where: str) -> None:
        """where: front, back, forward, backward."""
        last = len(self.document.blocks) - 1
        commands: list[QUndoCommand] = []
        for block_id in self.session.selection:
            index = self.document.block_index(block_id)
            target = {
                "front": last,
                "back": 0,
                "forward": min(last, index + 1),
                "backward": max(0, index - 1),
            }[where]
            if target != index:
                commands.append(MoveBlockTo(self.document, block_id, target))
        self.session.macro(tr("层次"), commands)

    # -- linked frames --------------------------------------------------------------------------
    def link_frames(self) -> None:
        """The selected text blocks' frames join the first one's story flow, in selection order."""
        blocks = [
            b for b in self.session.selected_blocks() if isinstance(b, ArticleBlock | TextBlock)
        ]
        if len(blocks) < 2:
            return
        first = blocks[0]
        frames = first.frames + tuple(f for b in blocks[1:] for f in b.frames)
        commands: list[QUndoCommand] = [
            SetBlock(self.document, replace(first, frames=frames), tr("链接文框"))
        ]
        commands += [RemoveBlock(self.document, b.id) for b in blocks[1:]]
        self.session.macro(tr("链接文框"), commands)
        self.session.select([first.id], len(frames) - 1)

    def unlink_frame(self) -> None:
        """The active frame leaves the flow and becomes an empty article of its own."""
        blocks = self.session.selected_blocks()
        if len(blocks) != 1 or not isinstance(blocks[0], ArticleBlock | TextBlock):
            return
        block = blocks[0]
        if len(block.frames) < 2:
            return
        index = min(self.session.active_frame, len(block.frames) - 1)
        frame = block.frames[index]
        rest = block.frames[:index] + block.frames[index + 1 :]
        new, story = new_block(block.kind, self.document, RectPt(0, 0, 1, 1), True)
        new = with_frames(new, (frame,))
        self.session.macro(
            tr("取消链接"),
            [
                SetBlock(self.document, replace(block, frames=rest), tr("取消链接")),
                InsertBlock(self.document, new, story=story),
            ],
        )
        self.session.select([new.id])

    def caption_under_photo(self) -> None:
        """Put each selected photo's caption (or the selected caption) right under its photo."""
        photos = {b.id: b for b in self.document.blocks if isinstance(b, PhotoBlock)}
        chosen = {b.id for b in self.session.selected_blocks()}
        moved = []
        for block in self.document.blocks:
            if (
                isinstance(block, CaptionBlock)
                and block.photo in photos
                and (block.id in chosen or block.photo in chosen)
            ):
                depth = getattr(block.frame, "depth", 3)
                frame = caption_rect_under(photos[block.photo], self.grid, depth)
                moved.append(replace(block, frame=frame))
        self.replace_blocks(moved, tr("图说放到图下"))

    # -- stories --------------------------------------------------------------------------------
    def rename(self, block_id: str, new_id: str) -> None:
        """Give a block a readable name; captions follow their photo's new name."""
        new_id = new_id.strip()
        if not new_id or new_id == block_id:
            return
        if any(b.id == new_id for b in self.document.blocks):
            raise PasteupError(tr("已有名为“{name}”的块", name=new_id))
        index = self.document.block_index(block_id)
        block = self.document.block(block_id)
        commands = [
            RemoveBlock(self.document, block_id),
            InsertBlock(self.document, replace(block, id=new_id), index),
        ]
        for other in self.document.blocks:
            if isinstance(other, CaptionBlock) and other.photo == block_id:
                commands.append(SetBlock(self.document, replace(other, photo=new_id), ""))
        self.session.macro(tr("重命名"), commands)
        self.session.select([new_id])

    def edit_text(self, story_id: str, start: int, end: int, text: str) -> None:
        self.session.push(EditStory(self.document, story_id, start, end, text))

    def set_role(self, story_id: str, paragraph: int, role: str) -> None:
        story = self.document.stories[story_id]
        if story.paragraphs[paragraph].role == role:
            return
        paragraphs = list(story.paragraphs)
        paragraphs[paragraph] = Paragraph(role, paragraphs[paragraph].text)
        self.session.push(
            SetStory(self.document, story.with_paragraphs(tuple(paragraphs)), tr("段落角色"))
        )
