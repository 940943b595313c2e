"""Undo commands: each redo/undo is one or two calls to `PageDocument`'s edit methods.

Commands never touch widgets; the canvas and panels follow the document's change
events. Typing runs merge (`mergeWith`) so one undo removes a word, not a letter;
gestures and multi-block edits are wrapped in macros by the caller.

In the team store a page's layout and its stories are locked apart (docs/store.md): a command
says what it changes — `stories` (the ids whose text it edits) and `layout` (blocks, geometry,
styles; True unless a command says otherwise) — so the session asks for the right locks.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from app.editor.i18n import tr
from app.model import PageDocument, PageMeta, Story
from app.model.blocks import KIND_NAMES, Block
from app.model.proofing import ProofState

TYPING_ID = 1
NUDGE_ID = 2


class SetBlock(QUndoCommand):
    """Replace a block with a new version (move, resize, inspector edits, link/unlink)."""

    def __init__(self, document: PageDocument, block: Block, text: str, merge_id: int = -1) -> None:
        super().__init__(text)
        self.document = document
        self.after = block
        self.before = document.block(block.id)
        self._merge_id = merge_id

    def id(self) -> int:
        return self._merge_id

    def redo(self) -> None:
        self.document.set_block(self.after)

    def undo(self) -> None:
        self.document.set_block(self.before)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetBlock) or other.after.id != self.after.id:
            return False
        self.after = other.after
        return True


class InsertBlock(QUndoCommand):
    def __init__(
        self,
        document: PageDocument,
        block: Block,
        index: int | None = None,
        story: Story | None = None,
    ) -> None:
        super().__init__(tr("新建{kind}", kind=tr(KIND_NAMES.get(block.kind, block.kind))))
        self.document = document
        self.block = block
        self.index = index
        self.story = story  # a new story the block brings with it

    def redo(self) -> None:
        if self.story is not None:
            self.document.add_story(self.story)
        self.document.insert_block(self.block, self.index)

    def undo(self) -> None:
        self.document.remove_block(self.block.id)
        if self.story is not None:
            self.document.remove_story(self.story.id)


class RemoveBlock(QUndoCommand):
    """Remove a block; its story stays in the document (other frames or a re-place may want it)."""

    def __init__(self, document: PageDocument, block_id: str) -> None:
        super().__init__(tr("删除"))
        self.document = document
        self.block_id = block_id
        self.index = document.block_index(block_id)
        self.block = document.block(block_id)

    def redo(self) -> None:
        self.index, self.block = self.document.remove_block(self.block_id)

    def undo(self) -> None:
        self.document.insert_block(self.block, self.index)


class MoveBlockTo(QUndoCommand):
    """Change a block's place in painter's order (z-order)."""

    def __init__(self, document: PageDocument, block_id: str, index: int) -> None:
        super().__init__(tr("层次"))
        self.document = document
        self.block_id = block_id
        self.index = index
        self.old_index = document.block_index(block_id)

    def redo(self) -> None:
        self.old_index = self.document.move_block_to(self.block_id, self.index)

    def undo(self) -> None:
        self.document.move_block_to(self.block_id, self.old_index)


class EditStory(QUndoCommand):
    """Replace stream[start:end] of a story; consecutive typing in one story merges."""

    layout = False

    def __init__(
        self, document: PageDocument, story_id: str, start: int, end: int, text: str
    ) -> None:
        super().__init__(tr("输入") if start == end and text else tr("修改文字"))
        self.stories = (story_id,)
        self.document = document
        self.before = document.stories[story_id]
        self.after = self.before.replace_text(start, end, text)
        self.typing = start == end and len(text) >= 1 and "\u2029" not in text
        self.caret = start + len(text)
        self.start = start

    def id(self) -> int:
        return TYPING_ID if self.typing else -1

    def redo(self) -> None:
        self.document.set_story(self.after)

    def undo(self) -> None:
        self.document.set_story(self.before)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, EditStory)
            or not other.typing
            or other.before is not self.after
            or other.start != self.caret
        ):
            return False
        self.after = other.after
        self.caret = other.caret
        return True


class SetStory(QUndoCommand):
    """Replace a story wholesale (paragraph roles, a re-imported story file)."""

    layout = False

    def __init__(self, document: PageDocument, story: Story, text: str) -> None:
        super().__init__(text)
        self.stories = (story.id,)
        self.document = document
        self.after = story
        self.before = document.stories[story.id]

    def redo(self) -> None:
        self.document.set_story(self.after)

    def undo(self) -> None:
        self.document.set_story(self.before)


class SetMeta(QUndoCommand):
    """Replace the page's metadata (the page inspector)."""

    def __init__(self, document: PageDocument, meta: PageMeta, text: str) -> None:
        super().__init__(text)
        self.document = document
        self.after = meta
        self.before = document.meta

    def redo(self) -> None:
        self.document.set_meta(self.after)

    def undo(self) -> None:
        self.document.set_meta(self.before)


class SetStyles(QUndoCommand):
    """Replace the page's paragraph-style changes (the styles panel)."""

    def __init__(self, document: PageDocument, overrides: dict, text: str) -> None:
        super().__init__(text)
        self.document = document
        self.after = overrides
        self.before = document.style_overrides

    def redo(self) -> None:
        self.document.set_style_overrides(self.after)

    def undo(self) -> None:
        self.document.set_style_overrides(self.before)


@dataclass(frozen=True, slots=True, eq=False)
class ProofSnapshot:
    """The stories and proof state a proofing decision may change (all immutable values)."""

    stories: dict[str, Story]
    proof: ProofState

    @classmethod
    def of(cls, document: PageDocument) -> ProofSnapshot:
        return cls(dict(document.stories), document.proof)

    def differs_from(self, other: ProofSnapshot) -> bool:
        return self.proof != other.proof or any(
            story is not other.stories.get(story_id) for story_id, story in self.stories.items()
        )

    def restore(self, document: PageDocument) -> None:
        for story in self.stories.values():
            if document.stories.get(story.id) is not story:
                document.set_story(story)
        if document.proof is not self.proof:
            document.set_proof(self.proof)


class ProofEdit(QUndoCommand):
    """A proofing decision (accept, reject, reply, import, sign-off) already carried out by
    `app.proof`: undo and redo put back the stories and proof state from before / after."""

    def __init__(
        self, document: PageDocument, text: str, before: ProofSnapshot, after: ProofSnapshot
    ) -> None:
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.stories = tuple(
            i for i, story in after.stories.items() if story is not before.stories.get(i)
        )

    def redo(self) -> None:
        self.after.restore(self.document)

    def undo(self) -> None:
        self.before.restore(self.document)


def touched(command: QUndoCommand) -> tuple[bool, tuple[str, ...]]:
    """(does it change the layout?, the stories whose text it changes) — a macro's children
    together."""
    if command.childCount():
        parts = [touched(command.child(i)) for i in range(command.childCount())]
        stories = tuple(dict.fromkeys(s for _layout, ids in parts for s in ids))
        return any(layout for layout, _ids in parts), stories
    return getattr(command, "layout", True), tuple(getattr(command, "stories", ()))
