"""One open page: the document, its undo stack, its current layout and the selection.

The session listens to the document's change events and re-composes at once (the
composer caches per story, so a keystroke re-sets only the edited story), then tells
the canvas and panels through Qt signals. Selection and the active frame live here,
never in the model. In the team store a page's layout and its stories are held apart: a page
someone else holds is read-only for layout (`read_only_by` names them), a story someone else
holds is read-only for text (`story_holders`), and every edit (push, macro, undo, redo) is
checked here, the one door all edits pass, by what its commands change (`commands.undo.touched`):
a text edit first asks `claim` for the story's lock. A refusal emits `refused` for the window to
say who holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.compose.layout import PageLayout
from app.editor.commands.undo import touched
from app.editor.document.composition import Compose, default_compose
from app.errors import PasteupError
from app.model import PageDocument, read_document, save_document


class Session(QObject):
    layout_changed = Signal(object, object)  # (new PageLayout, previous PageLayout | None)
    selection_changed = Signal()
    document_changed = Signal(str, tuple)  # the model's (kind, ids)
    compose_failed = Signal(str)
    read_only_changed = Signal(str)  # who holds the page ("" when it may be edited)
    story_holders_changed = Signal()  # the stories others hold changed
    refused = Signal(str)  # an edit was refused: who holds the page or story

    def __init__(self, document: PageDocument, compose: Compose | None = None):
        super().__init__()
        self.document = document
        self.undo_stack = QUndoStack(self)
        self._compose = compose or default_compose()
        self.selection: tuple[str, ...] = ()
        self.active_frame = 0
        self.layout: PageLayout | None = None
        self.compose_error = ""
        self._batch = 0
        self._pending = False
        self.read_only_by = ""
        self.story_holders: dict[str, str] = {}  # story id → who else holds it
        self.claim: Callable[[str], str] | None = None  # take a story's lock: "" or its holder
        document.subscribe(self._on_document_change)
        self.recompose()

    @classmethod
    def open(cls, path: Path, compose: Compose | None = None) -> Session:
        return cls(read_document(path), compose)

    # -- composition ------------------------------------------------------------------------
    def recompose(self) -> None:
        previous = self.layout
        try:
            self.layout = self._compose(self.document)
        except PasteupError as error:
            self.compose_error = str(error)
            self.compose_failed.emit(self.compose_error)
            return
        self.compose_error = ""
        self.layout_changed.emit(self.layout, previous)

    def compose_trial(self, blocks: list) -> PageLayout:
        """The page as it would be with `blocks` instead of the document's (copyfit's search);
        the document and the current layout stay as they are."""
        from dataclasses import replace

        return self._compose(replace(self.document, blocks=blocks, _listeners=[]))

    def _on_document_change(self, kind: str, ids: tuple[str, ...]) -> None:
        if kind == "block" or kind == "order":
            self._drop_missing_from_selection()
        self.document_changed.emit(kind, ids)
        if self._batch:
            self._pending = True
        else:
            self.recompose()

    def batch(self) -> _Batch:
        """`with session.batch():` compose once after several edits (macros, undo of one)."""
        return _Batch(self)

    # -- read-only ----------------------------------------------------------------------------
    def set_read_only(self, holder: str) -> None:
        """`holder` has the page: refuse layout edits until it is set back to ""."""
        if holder != self.read_only_by:
            self.read_only_by = holder
            self.read_only_changed.emit(holder)

    def set_story_holders(self, holders: dict[str, str]) -> None:
        """The stories someone else holds (id → who): their text is read-only here."""
        if holders != self.story_holders:
            self.story_holders = dict(holders)
            self.story_holders_changed.emit()

    def story_holder(self, story_id: str) -> str:
        return self.story_holders.get(story_id, "")

    def editable(self, *commands: QUndoCommand) -> bool:
        """May these commands run now (none: may the layout be edited)? A no says who holds
        what they change, through `refused`; a story's text takes its lock first (`claim`)."""
        holder = self._holder_refusing(commands)
        if holder:
            self.refused.emit(holder)
        return not holder

    def _holder_refusing(self, commands: Sequence[QUndoCommand]) -> str:
        parts = [touched(command) for command in commands] or [(True, ())]
        if any(layout for layout, _ids in parts) and self.read_only_by:
            return self.read_only_by
        for story_id in dict.fromkeys(s for _layout, ids in parts for s in ids):
            holder = self.claim(story_id) if self.claim else self.story_holder(story_id)
            if holder:
                return holder
        return ""

    # -- undo -------------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        if not self.editable(command):
            return
        with self.batch():
            self.undo_stack.push(command)

    def macro(self, text: str, commands: list[QUndoCommand]) -> None:
        if not commands or not self.editable(*commands):
            return
        with self.batch():
            self.undo_stack.beginMacro(text)
            for command in commands:
                self.undo_stack.push(command)
            self.undo_stack.endMacro()

    def undo(self) -> None:
        stack = self.undo_stack
        if not stack.canUndo() or not self.editable(stack.command(stack.index() - 1)):
            return
        with self.batch():
            stack.undo()

    def redo(self) -> None:
        stack = self.undo_stack
        if not stack.canRedo() or not self.editable(stack.command(stack.index())):
            return
        with self.batch():
            stack.redo()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    # -- selection --------------------------------------------------------------------------
    def select(self, ids: tuple[str, ...] | list[str], frame: int = 0) -> None:
        ids = tuple(dict.fromkeys(ids))
        if ids == self.selection and frame == self.active_frame:
            return
        self.selection = ids
        self.active_frame = frame
        self.selection_changed.emit()

    def _drop_missing_from_selection(self) -> None:
        present = {b.id for b in self.document.blocks}
        kept = tuple(i for i in self.selection if i in present)
        if kept != self.selection:
            self.selection = kept
            self.active_frame = 0
            self.selection_changed.emit()

    def selected_blocks(self) -> list:
        present = {b.id: b for b in self.document.blocks}
        return [present[i] for i in self.selection if i in present]

    # -- files ------------------------------------------------------------------------------
    def save(self, path: Path | None = None) -> Path:
        save_document(self.document, path)
        self.undo_stack.setClean()
        assert self.document.path is not None
        return self.document.path

    def close(self) -> None:
        """Stop following the document; the stack's dying signals reach no one. Its commands
        go now, while everything they point at is alive: left to the garbage collector, a
        session and its commands' wrappers die in any order and Qt deleted a command twice
        (a segfault in a later test)."""
        self.document.unsubscribe(self._on_document_change)
        self.undo_stack.blockSignals(True)
        self.undo_stack.clear()
        self.blockSignals(True)


class _Batch:
    def __init__(self, session: Session):
        self.session = session

    def __enter__(self) -> None:
        self.session._batch += 1

    def __exit__(self, *exc) -> None:
        self.session._batch -= 1
        if not self.session._batch and self.session._pending:
            self.session._pending = False
            self.session.recompose()
