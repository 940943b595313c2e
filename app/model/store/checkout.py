"""An edition opened from the database, and its local journal for when the server goes away.

The checkout remembers the version (and content) of every record as opened, so a save writes
only what changed, each a compare-and-swap on its version. When the server cannot be reached the
edit goes to the journal in the work folder (`.journal/KIND-KEY.json`: the record, the version it
started from, who) and `Offline` says so; `sync()` later saves each journalled record as a new
version if nothing changed meanwhile, or as a conflict copy otherwise. Nothing is lost either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg

from app.errors import PasteupError
from app.model.edition import Edition
from app.model.editionfile import dumps, read_page_file, status_from_data, story_from_data
from app.model.fields import Where
from app.model.save import write_atomic
from app.model.store import SaveConflict
from app.model.store.records import Change, Key, edition_records, record

if TYPE_CHECKING:
    from app.model.store.live import Lock
    from app.model.store.postgres import PostgresStore

JOURNAL = ".journal"
T = TypeVar("T")


class Offline(PasteupError):
    """The server is unreachable: the edit is kept in the local journal."""

    exit_code = 1


class Unreachable(PasteupError):
    """No connection could be made (raised by `connect`)."""


class Checkout:
    def __init__(
        self, store: PostgresStore, name: str, edition: Edition, heads: dict[Key, tuple[int, Any]]
    ) -> None:
        self.store = store
        self.name = name
        self.edition = edition
        self.heads = heads
        self.tokens: dict[Key, str] = {}  # the locks this checkout holds
        self.locks: dict[Key, Lock] = {}
        self.journal = Path(edition.path or ".") / JOURNAL
        self.stale = False  # a followed change this checkout cannot apply in place: reopen
        # The command that saves the journal when the server is back (`pasteup edition sync
        # …`), named by the Offline message; set by whoever opened the checkout in the work
        # folder that command reads (app.commands.work).
        self.sync_command = ""

    def version(self, kind: str, key: str) -> int:
        return self.heads.get((kind, key), (0, None))[0]

    def lock(
        self,
        kind: str,
        key: str,
        holder: str,
        *,
        takeover: bool = False,
        lease: timedelta | None = None,
    ) -> Lock:
        """Take a record's lock for editing (app.model.store.live.take); LockHeld names who
        has it, and the record stays open read-only."""
        from app.model.store.live import LEASE, take

        lock = take(
            self.store, self.name, kind, key, holder, takeover=takeover, lease=lease or LEASE
        )
        self.tokens[(kind, key)] = lock.token
        self.locks[(kind, key)] = lock
        return lock

    def release_all(self) -> None:
        """Let go of every lock this checkout took (a command done with its records)."""
        from app.model.store.live import release

        for key, lock in list(self.locks.items()):
            if self.tokens.get(key) == lock.token:
                release(self.store, lock)
            self.tokens.pop(key, None)
            del self.locks[key]

    def changed(self) -> dict[Key, Any]:
        """The records that differ from the version opened or last saved: (kind, key) → body,
        None for a page or story removed."""
        current = edition_records(self.edition)
        out = {k: data for k, data in current.items() if data != self.heads.get(k, (0, None))[1]}
        for k, (_, body) in self.heads.items():
            if body is not None and k not in current:
                out[k] = None
        return out

    def save(self, kind: str, key: str, by: str) -> int | None:
        """Save one record as it is in memory now; None when it did not change."""
        data = record(self.edition, kind, key)
        if data == self.heads.get((kind, key), (0, None))[1]:
            return None
        return self._save({(kind, key): data}, by)[(kind, key)]

    def commit(self, by: str) -> dict[Key, int]:
        """Every changed record as one compare-and-swap (a command's change): all land, or
        none does and SaveConflict names the copies that keep them."""
        changes = self.changed()
        return self._save(changes, by) if changes else {}

    def _save(self, bodies: dict[Key, Any], by: str) -> dict[Key, int]:
        changes = [
            Change(kind, key, data, self.version(kind, key), self.tokens.get((kind, key), ""))
            for (kind, key), data in bodies.items()
        ]
        try:
            versions = self._retried(self.store.save_many, self.name, changes, by)
        except (psycopg.OperationalError, psycopg.InterfaceError, Unreachable):
            for c in changes:
                self._journal(c.kind, c.key, c.base, c.data, by)
            what = ", ".join(f"{c.kind} {c.key}".strip() for c in changes)
            then = (
                f"恢复连接后运行 {self.sync_command} 保存 (server unreachable; the edit is kept "
                f"in the local journal: run `{self.sync_command}` when it is back)"
                if self.sync_command
                else "恢复连接后保存 (server unreachable; the edit is kept in the local journal "
                "and saved when it is back)"
            )
            raise Offline(
                f"{self.name} {what}: 服务器不可用，修改已记入本地日志 {self.journal}，{then}"
            ) from None
        for c in changes:
            self.heads[(c.kind, c.key)] = (versions[(c.kind, c.key)], c.data)
        return versions

    def save_page(self, page_id: str, by: str) -> dict[Key, int]:
        """A page's layout, its proof rounds and the stories it sets, each its own record: what
        another person saved meanwhile on a different record is no conflict."""
        page = self.edition.page(page_id)
        keys = [("page", page.id), ("proof", page.id)]
        keys += [("story", s) for s in page.document.stories]
        saved = {(kind, key): self.save(kind, key, by) for kind, key in keys}
        return {k: v for k, v in saved.items() if v is not None}

    def _retried(self, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)`, once more on a new connection when the old one broke (a restart)."""
        try:
            return call(*args)
        except (psycopg.OperationalError, psycopg.InterfaceError):
            if not (self.store.conn.broken or self.store.conn.closed):
                raise
        self.store.reconnect()
        return call(*args)

    def save_all(self, by: str) -> dict[Key, int]:
        """Every record that changed since it was opened or last saved (the window's Save),
        each its own compare-and-swap, so a refusal of one leaves the others saved; the first
        refusal is raised once the rest are saved."""
        saved: dict[Key, int] = {}
        refused: SaveConflict | None = None
        for key, data in self.changed().items():
            try:
                saved |= self._save({key: data}, by)
            except SaveConflict as conflict:
                refused = refused or conflict
        if refused is not None:
            raise refused
        return saved

    # -- following others' saves --------------------------------------------------------------
    def follow(self, change: dict[str, Any]) -> set[str]:
        """Bring a save another client made (as `live.Feed` heard it) into the open edition;
        the ids of the pages whose text or blocks changed (to recompose and repaint).

        Stories, blocks, proof rounds and stages are followed in place through the document's
        own editing methods (its listeners hear them); a change of the plan or of a page's grid
        or styles sets `stale` (reopen the edition) instead."""
        kind, key = str(change.get("kind", "")), str(change.get("key", ""))
        version = int(change.get("version", 0))
        if change.get("what") != "save" or change.get("edition") != self.name:
            return set()
        if version <= self.version(kind, key) or (kind, key) in self.tokens:
            return set()  # already seen, or ours to write
        return self._apply(kind, key, version)

    def restore(self, kind: str, key: str, version: int, by: str) -> set[str]:
        """Make version `version` of a record current again (a new version, with this
        checkout's lock of it) and bring it into the open edition as `follow` would; the ids of
        the pages that changed."""
        token = self.tokens.get((kind, key), "")
        made = self._retried(self.store.restore, self.name, kind, key, version, by, token)
        return self._apply(kind, key, made)

    def _apply(self, kind: str, key: str, version: int) -> set[str]:
        body = self.store.version(self.name, kind, key, version)
        touched = self.put(kind, key, body, f"v{version}")
        self.heads[(kind, key)] = (version, body)
        return touched

    def put(self, kind: str, key: str, body: Any, label: str = "") -> set[str]:
        """Put a record's body into the open edition as `follow` does (the editor's undoable
        restore and re-applied merges use it; the versions known are left as they are); the
        ids of the pages whose text or blocks changed."""
        where = Where(f"{self.name} {kind}:{key} {label}".rstrip())
        touched: set[str] = set()
        if body is None or kind == "plan":
            self.stale = True
        elif kind == "story":
            story = story_from_data(body, where, key)
            self.edition.stories[key] = story
            for page in self.edition.pages:
                if key in set(page.document.stories):  # iterating gives the page's own
                    page.document.set_story(story)
                    touched.add(page.id)
        elif kind == "status":
            self.edition.page(key).history[:] = status_from_data(body, where)
        elif kind in ("page", "proof"):
            touched |= self._follow_page(kind, key, body)
        return touched

    def _follow_page(self, kind: str, page_id: str, body: Any) -> set[str]:
        page = self.edition.page(page_id)
        layout = self.heads.get(("page", page_id), (0, {}))[1]
        proof = self.heads.get(("proof", page_id), (0, {}))[1]
        data = {**(body if kind == "page" else layout), "proof": body if kind == "proof" else proof}
        path = page.document.path or Path(self.edition.path or ".") / f"{page_id}.json"
        fresh, continues = read_page_file(path, self.edition, lambda _path: data)
        document = page.document
        if kind == "proof":
            document.set_proof(fresh.proof)
            return set()
        if (
            fresh.layout.name != document.layout.name
            or fresh.style_overrides != document.style_overrides
        ):
            self.stale = True
            return set()
        wanted = {b.id for b in fresh.blocks}
        for block in list(document.blocks):
            if block.id not in wanted:
                document.remove_block(block.id)
        for i, block in enumerate(fresh.blocks):
            ids = [b.id for b in document.blocks]
            if block.id not in ids:
                document.insert_block(block, i)
                continue
            if document.block(block.id) != block:
                document.set_block(block)
            if document.block_index(block.id) != i:
                document.move_block_to(block.id, i)
        page.continues.clear()
        page.continues.update(continues)
        return {page_id}

    # -- the journal ---------------------------------------------------------------------------
    def _journal(self, kind: str, key: str, base: int, data: Any, by: str) -> None:
        """The record as the user left it; a later edit of it replaces the entry, its base stays
        the version it was opened at."""
        self.journal.mkdir(parents=True, exist_ok=True)
        entry = {"kind": kind, "key": key, "base": base, "by": by, "data": data}
        write_atomic(self._entry(kind, key), dumps(entry), keep_backup=False)
        self.heads[(kind, key)] = (base, data)  # what the journal holds is what was "saved"

    def _entry(self, kind: str, key: str) -> Path:
        return self.journal / f"{kind}-{key}.json"

    def pending(self) -> list[Key]:
        if not self.journal.is_dir():
            return []
        entries = [json.loads(p.read_text("utf-8")) for p in sorted(self.journal.glob("*.json"))]
        return [(e["kind"], e["key"]) for e in entries]

    def sync(self) -> dict[Key, int | SaveConflict]:
        """Save what the journal holds, now that the server is back: each record a new version
        on top of the one it started from, or — when someone saved it meanwhile — a conflict
        copy (the SaveConflict is returned, naming it). Raises Offline while still away."""
        results: dict[Key, int | SaveConflict] = {}
        for path in sorted(self.journal.glob("*.json")) if self.journal.is_dir() else []:
            entry = json.loads(path.read_text("utf-8"))
            kind, key, base = entry["kind"], entry["key"], entry["base"]
            try:
                results[(kind, key)] = self._retried(
                    self._resave, kind, key, base, entry["data"], entry["by"]
                )
            except SaveConflict as conflict:
                results[(kind, key)] = conflict
            except (psycopg.OperationalError, psycopg.InterfaceError, Unreachable):
                raise Offline(
                    f"{self.name}: 服务器仍不可用，本地日志保留 (server still unreachable; the "
                    "journal is kept)"
                ) from None
            path.unlink()
        return results

    def _resave(self, kind: str, key: str, base: int, data: Any, by: str) -> int:
        current = self.store.records(self.name).get((kind, key))
        if current is not None and current[1] == data:  # it did land before the line went
            version = current[0]
        else:
            token = self.tokens.get((kind, key), "")
            version = self.store.save(self.name, kind, key, data, base, by, token)
        self.heads[(kind, key)] = (version, data)
        return version
