"""A record of the team store put into the open edition as one undoable step, and a refused
save resolved: kept as a copy, or re-applied on the version that beat it (docs/store.md).

`PutRecord` is how a restored version, a re-applied merge and "take theirs" reach the window:
undo puts back what was there before (the store keeps every version either way). A save that
lost a race (`SaveConflict`) is offered to the user as 另存副本 (the refused changes stay in
the conflict copy the store made; the window takes the new version), 在新版本上重做 (the
user's changes merged into the new version by `app.model.store.merge`, saved as the next
version; what could not be merged is listed) or 放弃 (stop saving; the window keeps the edits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtGui import QUndoCommand

from app.editor.i18n import tr
from app.errors import PasteupError
from app.model.store import SaveConflict
from app.model.store.merge import Conflict, merge
from app.model.store.records import Key, record

if TYPE_CHECKING:
    from app.editor.document.session import Session
    from app.editor.edition.store_workspace import StoreWorkspace

Unmerged = tuple[str, str, Conflict]  # kind, key, what kept the saved side


class PutRecord(QUndoCommand):
    """A record's body put into the edition (restore, re-apply, take theirs); undo puts back
    the body it had. Locks: a story's text is its story's, anything else the page's."""

    def __init__(self, workspace: StoreWorkspace, kind: str, key: str, body: Any, text: str):
        super().__init__(text)
        self.workspace = workspace
        self.kind, self.key = kind, key
        self.before = record(workspace.edition, kind, key)
        self.after = body
        self.layout = kind != "story"
        self.stories = (key,) if kind == "story" else ()

    def redo(self) -> None:
        self._put(self.after)

    def undo(self) -> None:
        self._put(self.before)

    def _put(self, body: Any) -> None:
        self.workspace.checkout.put(self.kind, self.key, body)
        self.workspace.recompose()


def session_of(workspace: StoreWorkspace, kind: str, key: str) -> Session:
    """The page whose undo history a record's step joins: its own page; for a story the one
    shown if it sets the story, else the first that does; else the one shown."""
    pages = [workspace.page(), *workspace.edition.pages]
    if kind == "story":
        pages = [page for page in pages if key in set(page.document.stories)]
    else:
        pages = [page for page in pages if page.id == key]
    return workspace.session(pages[0].id if pages else workspace.current)


def put(workspace: StoreWorkspace, kind: str, key: str, body: Any, text: str) -> bool:
    """Put `body` as one undoable step on its page; False when a lock refuses it."""
    session = session_of(workspace, kind, key)
    command = PutRecord(workspace, kind, key, body, text)
    if not session.editable(command):
        return False
    session.push(command)
    return True


class Deferred(NamedTuple):
    """A resolved record the edition cannot hold in place (the plan, a page's new grid or
    styles): saved after the others, then the edition is re-read (`StoreWorkspace.reload`)."""

    current: int  # the version that beat ours
    theirs: Any  # its body
    body: Any  # what to save on top of it (a merge), or None: keep theirs


def save_resolving(
    workspace: StoreWorkspace, kind: str, key: str, deferred: dict[Key, Deferred]
) -> list[Unmerged]:
    """Save one record; a lost race goes to `workspace.ask_conflict` ("copy", "reapply" or "cancel") and is
    resolved, again until it lands. What a re-apply could not merge is returned; a record that
    cannot be put in place goes to `deferred` instead (and looks unchanged until then)."""
    checkout = workspace.checkout
    unmerged: list[Unmerged] = []
    while True:
        try:
            checkout.save(kind, key, workspace.user)
            return unmerged
        except SaveConflict as conflict:
            base_version, base = checkout.heads.get((kind, key), (0, None))
            if conflict.current == base_version or workspace.ask_conflict is None:
                raise  # refused by a lock, not a race: nothing newer to re-apply on
            choice = workspace.ask_conflict(str(conflict))
            if choice not in ("copy", "reapply"):
                raise PasteupError(
                    tr("保存已停止，修改仍在窗口中（另有冲突副本 {copy}）", copy=conflict.copy)
                ) from None
            theirs = checkout.store.version(checkout.name, kind, key, conflict.current)
            mine = record(workspace.edition, kind, key)
            if choice == "reapply":
                merged = merge(kind, base, mine, theirs)
                body, text = merged.body, tr("在新版本上重做")
                unmerged += [(kind, key, c) for c in merged.conflicts]
            else:
                body, text = theirs, tr("取用新版本（修改另存为副本 {copy}）", copy=conflict.copy)
            if not in_place(kind, mine, body):
                deferred[(kind, key)] = Deferred(
                    conflict.current, theirs, body if choice == "reapply" else None
                )
                checkout.heads[(kind, key)] = (conflict.current, mine)  # not saved again
                return unmerged
            if not put(workspace, kind, key, body, text):
                raise
            checkout.heads[(kind, key)] = (conflict.current, theirs)


def save_deferred(workspace: StoreWorkspace, deferred: dict[Key, Deferred]) -> None:
    """Save the merges held back (each on top of the version that beat it); a record that lost
    a race again is refused as such, its next save a conflict again."""
    checkout = workspace.checkout
    for (kind, key), held in deferred.items():
        checkout.heads[(kind, key)] = (held.current, held.theirs)
        if held.body is not None:
            token = checkout.tokens.get((kind, key), "")
            version = checkout.store.save(
                checkout.name, kind, key, held.body, held.current, workspace.user, token
            )
            checkout.heads[(kind, key)] = (version, held.body)


def in_place(kind: str, here: Any, body: Any) -> bool:
    """Can `Checkout.put` bring `body` into the open edition where it holds `here`? Not the
    plan, a removal, or a page on another grid or with other styles: those are re-read."""
    if body is None or here is None or kind == "plan":
        return False
    if kind != "page":
        return True
    return body.get("layout") == here.get("layout") and body.get("styles") == here.get("styles")
