"""An edition opened from the team store (docs/store.md): the workspace the window already
knows, saving by record, holding the locks of what it edits, following others live.

The page shown is locked for the user while it is shown and the lock renewed on a timer (a third
of the lease); when someone else holds it the page's layout is read-only and `read_only_by`
names them — so does its session's `read_only_by`, which refuses every layout edit on the canvas
and in the panels. A story's text is locked apart: the first edit of it (story editor, typing on
the canvas) takes the story's lock (`Session.claim`), so a text editor and a layout staffer
work on one page at once and both saves land; a story someone else holds is read-only,
naming them (`story_holders`).
The feed's socket is watched by a QSocketNotifier, so another client's save reaches this
edition (`Checkout.follow`) and its pages are recomposed within the event loop's next turn;
a change of the plan or of a page's grid is re-read (`reload`) unless this window's unsaved
edits touch the same records (`stale_conflict`: the window offers to reload). Every page's
holder (`holders`) and stage follow the feed too (`board_changed`, the navigator). A lease
that runs out announces nothing, so the renewal tick also reads the holders again.
A save that lost a race is resolved by `store_records` (kept as a copy, or re-applied).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import psycopg
from PySide6.QtCore import QSocketNotifier, QTimer, Signal

from app.editor.document.session import Session
from app.editor.edition import store_records
from app.editor.edition.workspace import EditionWorkspace
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model.store import SaveConflict
from app.model.store.checkout import Checkout, Offline
from app.model.store.live import (
    LEASE,
    Feed,
    Lock,
    LockHeld,
    LockLost,
    holders,
    release,
    renew,
)
from app.model.store.records import Key, edition_records, record


class StoreWorkspace(EditionWorkspace):
    holder_changed = Signal(str)  # who else holds the page shown ("" when it is ours)
    followed = Signal(tuple)  # ids of pages another client's save changed
    synced = Signal(object)  # the journal saved after an outage: {(kind, key): version | conflict}
    reapplied = Signal(object)  # [(kind, key, merge.Conflict)]: what a re-apply could not merge
    stale_conflict = Signal(object)  # [(kind, key)]: others changed the plan or a grid, and so
    # did this window's unsaved edits: the window offers to reload

    def __init__(self, checkout: Checkout, user: str, lease: timedelta = LEASE) -> None:
        super().__init__(checkout.edition)
        self.checkout = checkout
        self.user = user
        self.lease = lease
        self.lock: Lock | None = None
        self.read_only_by = ""
        self.held: Lock | None = None  # the other holder's lock while the page is read-only
        self.holders: dict[str, str] = {}  # page id → who holds its lock (us included)
        self.story_locks: dict[str, Lock] = {}  # the stories whose text we edit
        self.story_holders: dict[str, str] = {}  # story id → who else holds it
        # A lost save race: "copy" (另存副本), "reapply" (在新版本上重做) or "cancel" (放弃); the
        # window asks the user (store_records). None: refuse with the store's message.
        self.ask_conflict: Callable[[str], str] | None = None
        self.stale_clash: list[Key] = []  # records others and we both changed (reload offered)
        self.feed: Feed | None = None
        self._notifier: QSocketNotifier | None = None
        self._listen()
        self._renewal = QTimer(self)
        self._renewal.setInterval(max(100, int(lease.total_seconds() * 1000 / 3)))
        self._renewal.timeout.connect(self._renew)
        self._renewal.start()
        self._take(self.current)
        self._read_holders()
        self._sync_journal()  # edits a lost connection left in the journal last time

    def session(self, page_id: str) -> Session:
        """The page's session, asking for a story's lock before its text is edited."""
        session = super().session(page_id)
        session.claim = self._claim
        session.set_story_holders(self.story_holders)
        return session

    def _listen(self) -> None:
        """(Re)open the change feed and watch its socket."""
        self._stop_listening()
        self.feed = Feed(self.checkout.store.url, self.checkout.name)
        self._notifier = QSocketNotifier(self.feed.conn.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._hear)

    def _stop_listening(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self.feed is not None:
            self.feed.close()
            self.feed = None

    # -- locks ---------------------------------------------------------------------------------
    def _take(self, page_id: str) -> None:
        try:
            self.lock = self.checkout.lock("page", page_id, self.user, lease=self.lease)
            self._held_by(None, page_id)
        except LockHeld as held:
            self.lock = None
            self._held_by(held.lock, page_id)

    def _held_by(self, held: Lock | None, page_id: str = "") -> None:
        """The page (shown) is held by someone else (None: by us): its session, then the window."""
        self.held = held
        self.read_only_by = held.holder if held else ""
        self.session(page_id or self.current).set_read_only(self.read_only_by)
        self.holder_changed.emit(self.read_only_by)

    def holder(self, page_id: str) -> str:
        return self.holders.get(page_id, "")

    def title(self) -> str:
        """The window's title names who holds a read-only page (the status bar's notice is
        replaced by the next passing message; the title stays)."""
        if not self.read_only_by:
            return super().title()
        return super().title() + tr("（只读：{holder} 正在编辑）", holder=self.read_only_by)

    def _read_holders(self) -> None:
        """Every page's and story's live lock, from the database (at open and on each renewal
        tick)."""
        locks = holders(self.checkout.store, self.checkout.name)
        ours = set(self.checkout.tokens.values())
        now = {lock.key: lock.holder for lock in locks if lock.kind == "page"}
        now = {key: holder for key, holder in now.items() if key in self._page_ids()}
        changed = {
            key for key in now.keys() | self.holders.keys() if now.get(key) != self.holder(key)
        }
        self.holders = now
        others = [lock for lock in locks if lock.kind == "story" and lock.token not in ours]
        self._set_story_holders({lock.key: lock.holder for lock in others})
        if changed:
            self.board_changed.emit(tuple(sorted(changed)))

    def _set_story_holders(self, story_holders: dict[str, str]) -> None:
        self.story_holders = story_holders
        for session in self.sessions.values():
            session.set_story_holders(story_holders)

    def _claim(self, story_id: str) -> str:
        """Take a story's lock before its text is edited: "" when it is ours, else who holds
        it. While the server is away the edit goes ahead (the journal keeps it)."""
        if story_id in self.story_locks:
            return ""
        try:
            self.story_locks[story_id] = self.checkout.lock(
                "story", story_id, self.user, lease=self.lease
            )
        except LockHeld as held:
            self._set_story_holders({**self.story_holders, story_id: held.lock.holder})
            return held.lock.holder
        except psycopg.Error:  # away (the journal keeps the edit), or a role the save refuses
            return ""
        if self.story_holders.pop(story_id, None) is not None:
            self._set_story_holders(dict(self.story_holders))
        return ""

    def _page_ids(self) -> set[str]:
        return {page.id for page in self.edition.pages}

    def _renew(self) -> None:
        """Renew the lease; while read-only, try the lock again (a holder that crashed lets
        go only by its lease running out, which nobody announces). While the server is away
        the page stays open: saves go to the journal (app.model.store.checkout)."""
        try:
            self._read_holders()
            if self.lock is None:
                self._retake()
            else:
                try:
                    self.lock = renew(self.checkout.store, self.lock)
                except LockLost:
                    self.lock = None
                    self._take(self.current)  # someone took it over: read-only, naming them
            self._renew_stories()
        except (psycopg.OperationalError, psycopg.InterfaceError):
            with contextlib.suppress(PasteupError):  # still away: the next tick tries again
                self.checkout.store.reconnect()
            return
        if self.feed is None:  # the server is back
            with contextlib.suppress(PasteupError):
                self._listen()
        self._sync_journal()

    def _sync_journal(self) -> None:
        """Save what the journal holds now that the server is back. An edit that lost a race
        meanwhile and is still in the window becomes unsaved again, on the version it started
        from: the next save offers to re-apply it on the new one (store_records)."""
        if not self.checkout.pending():
            return
        try:
            results = self.checkout.sync()
        except Offline:
            return
        for (kind, key), result in results.items():
            if isinstance(result, SaveConflict):
                self._unsaved_again(kind, key)
        self.synced.emit(results)

    def _unsaved_again(self, kind: str, key: str) -> None:
        base, body = self.checkout.heads.get((kind, key), (0, None))
        if base == 0 or record(self.edition, kind, key) != body:
            return  # a journal left by an earlier run: its edits are in the conflict copy only
        store = self.checkout.store
        self.checkout.heads[(kind, key)] = (
            base,
            store.version(self.checkout.name, kind, key, base),
        )
        session = store_records.session_of(self, kind, key)
        session.undo_stack.resetClean()

    def _retake(self) -> None:
        try:
            self.lock = self.checkout.lock("page", self.current, self.user, lease=self.lease)
        except LockHeld as held:
            if held.lock.holder != self.read_only_by:  # another holder now
                self._held_by(held.lock)
            return
        self._held_by(None)

    def take_over(self) -> None:
        """Take the page from its holder (the window asks first); recorded as a takeover."""
        self.lock = self.checkout.lock(
            "page", self.current, self.user, takeover=True, lease=self.lease
        )
        self._held_by(None)

    def _renew_stories(self) -> None:
        """Renew the stories' leases; one taken over meanwhile is read-only from now on."""
        for story_id, lock in list(self.story_locks.items()):
            try:
                self.story_locks[story_id] = renew(self.checkout.store, lock)
            except LockLost:
                del self.story_locks[story_id]
                self._forget("story", story_id)
                self._read_holders()

    def _forget(self, kind: str, key: str) -> None:
        """A lock of ours let go or lost: the checkout no longer saves with it."""
        self.checkout.tokens.pop((kind, key), None)
        self.checkout.locks.pop((kind, key), None)

    def _release(self, keep_stories: set[str] | None = None) -> None:
        """Let go of the page's lock and of the stories' not in `keep_stories`."""
        if self.lock is not None:
            release(self.checkout.store, self.lock)
            self._forget("page", self.lock.key)
            self.lock = None
        for story_id in set(self.story_locks) - (keep_stories or set()):
            release(self.checkout.store, self.story_locks.pop(story_id))
            self._forget("story", story_id)

    def switch(self, page_id: str) -> Session:
        page = self.edition.page(page_id)
        if page.id != self.current:
            self._release(keep_stories=set(page.document.stories))  # a story jumping on
            self._take(page.id)
        return super().switch(page_id)

    def continue_story(self, block_id: str, target: str) -> str:
        """As on a folder, but not onto a page someone else is laying out (its lock is theirs;
        only the page shown is ours)."""
        page = self.edition.page(target)
        holder = self.holder(page.id) if page.id != self.current else ""
        if holder:
            raise PasteupError(tr("{holder} 正在编辑此版，只读", holder=holder))
        return super().continue_story(block_id, target)

    # -- saving and following ------------------------------------------------------------------
    def save(self) -> None:
        """Every changed record as a new version. A lost race is resolved as `ask_conflict`
        says (store_records); what a re-apply could not merge is announced (`reapplied`). A
        page someone else holds (taken over meanwhile) is refused by the store, naming them,
        and its layout kept as a conflict copy."""
        unmerged: list[store_records.Unmerged] = []
        deferred: dict[Key, store_records.Deferred] = {}
        for kind, key in edition_records(self.edition):
            unmerged += store_records.save_resolving(self, kind, key, deferred)
        self.checkout.save_all(self.user)  # what is left: pages and stories removed
        store_records.save_deferred(self, deferred)
        self.plan_modified = False
        for session in self.sessions.values():
            session.undo_stack.setClean()
        if deferred or self.checkout.stale:  # held back by our edits, which are saved now
            self.reload(drop=set(deferred))
        if unmerged:
            self.reapplied.emit(unmerged)

    def restore(self, kind: str, key: str, version: int) -> tuple[str, ...]:
        """Make an old version of a record current again, as a new version, and show it as one
        step of the page's undo history (undo brings back what was there, unsaved); the pages
        it changed. The page shown must be saved first."""
        session = store_records.session_of(self, kind, key)
        if session.modified:
            raise PasteupError(tr("先保存此版的修改，再恢复旧版本"))
        body = self.checkout.store.version(self.checkout.name, kind, key, version)
        step = store_records.PutRecord(
            self, kind, key, body, tr("恢复第 {version} 版", version=version)
        )
        if not session.editable(step):
            raise PasteupError(tr("{holder} 正在编辑，只读", holder=self._holder_of(kind, key)))
        if not store_records.in_place(kind, step.before, body):  # another grid: re-read
            self.checkout.restore(kind, key, version, self.user)
            self.reload(drop={(kind, key)})
            return tuple(page.id for page in self.edition.pages)
        touched = self.checkout.restore(kind, key, version, self.user)
        session.push(step)  # already in place: the step only makes it undoable
        session.undo_stack.setClean()  # what is shown is what the store has now
        return tuple(sorted(touched))

    def _holder_of(self, kind: str, key: str) -> str:
        return self.story_holders.get(key, "") if kind == "story" else self.read_only_by

    def records(self) -> list[tuple[str, str, str]]:
        """The page shown and the stories it sets: what 版本历史 offers."""
        page = self.page()
        stories = [("story", s, tr("稿件 {story}", story=s)) for s in page.document.stories]
        return [("page", page.id, tr("版面 {label}", label=f"{page.label} {page.name}")), *stories]

    def _hear(self) -> None:
        touched: set[str] = set()
        try:
            changes = self.feed.wait(timeout=0) if self.feed is not None else []
        except (psycopg.OperationalError, psycopg.InterfaceError):
            self._stop_listening()  # the server went away; the renewal timer listens again
            return
        board: set[str] = set()
        for change in changes:
            if not self.checkout.stale:  # once stale, the reload re-reads the rest
                touched |= self._follow(change)
            board |= self._follow_board(change)
            let_go = change.get("what") == "unlock" and change.get("key") == self.current
            if let_go and change.get("kind") == "page" and self.lock is None:
                self._retake()  # the holder let go: ours now
        if self.checkout.stale:
            if not self.stale_clash:  # else said already: it waits for a save or a reload
                self.reload()
        elif touched:
            self.recompose()
            self.followed.emit(tuple(sorted(touched)))
        if board:
            self.board_changed.emit(tuple(sorted(board)))

    def _follow(self, change: dict[str, Any]) -> set[str]:
        """Another client's save, in place; one `follow` could not apply (the plan, a grid)
        leaves the version we have as it was, so that until `reload` a save of ours is still
        a compare-and-swap on it — refused and offered as a conflict, never on top of theirs."""
        key = (str(change.get("kind")), str(change.get("key", "")))
        head = self.checkout.heads.get(key)
        touched = self.checkout.follow(change)
        if self.checkout.stale:
            if head is None:
                self.checkout.heads.pop(key, None)
            else:
                self.checkout.heads[key] = head
        return touched

    def _follow_board(self, change: dict[str, Any]) -> set[str]:
        """A page's lock taken or let go, or its stage moved: the page, for the navigator; a
        story's lock: its text read-only here, or editable again."""
        what, kind, key = change.get("what"), change.get("kind"), change.get("key", "")
        if change.get("edition") != self.checkout.name:
            return set()
        if kind == "story" and what in ("lock", "unlock") and key not in self.story_locks:
            others = {k: v for k, v in self.story_holders.items() if k != key}
            self._set_story_holders(
                {**others, key: change.get("by", "")} if what == "lock" else others
            )
            return set()
        if key not in self._page_ids():
            return set()
        if kind == "page" and what == "lock":
            self.holders[key] = change.get("by", "")
        elif kind == "page" and what == "unlock":
            self.holders.pop(key, None)
        elif not (kind == "status" and what == "save"):
            return set()
        return {key}

    # -- another client's plan or grid -------------------------------------------------------
    def reload(self, force: bool = False, drop: set[Key] | None = None) -> bool:
        """Re-read the edition after another client changed its plan or a page's grid or
        styles (what `follow` cannot apply in place), keeping this window's unsaved edits of
        other records. When those edits touch a record the others changed too, nothing is
        re-read: `stale_conflict` names them and the window offers `reload(force=True)`,
        which drops them (they are not lost: save first to keep them as conflict copies).
        Records in `drop` are re-read whatever this window holds of them."""
        old = self.checkout
        mine = {key: body for key, body in old.changed().items() if key not in (drop or set())}
        fresh = old.store.open(old.name, old.journal.parent)  # the same work folder
        clash = [  # changed there too, or not to be put back in place (the plan, a grid)
            key
            for key, body in mine.items()
            if fresh.version(*key) != old.version(*key)
            or not store_records.in_place(key[0], fresh.heads.get(key, (0, None))[1], body)
        ]
        if clash and not force:
            if clash != self.stale_clash:  # said once, not on every change heard after
                self.stale_clash = clash
                self.stale_conflict.emit(clash)
            return False
        self.stale_clash = []
        fresh.tokens = old.tokens
        kept = {key: body for key, body in mine.items() if key not in clash}
        for (kind, key), body in kept.items():
            fresh.put(kind, key, body)
        for session in self.sessions.values():
            session.close()
        self.checkout, self.edition, self.sessions = fresh, fresh.edition, {}
        if self.current not in self._page_ids():  # removed by the others: the first page
            self._release(keep_stories=set(self.story_locks))
            self.current = self.edition.pages[0].id
            self._take(self.current)
        self.layouts = self.composer.compose(self.edition)
        self.plan_modified = ("plan", "") in kept
        for page in self.edition.pages:  # unsaved edits stay unsaved
            if any(key == page.id or key in set(page.document.stories) for _kind, key in kept):
                self.session(page.id).undo_stack.resetClean()
        self.session(self.current).set_read_only(self.read_only_by)
        self.plan_changed.emit()
        return True

    def close(self) -> None:
        self._renewal.stop()
        self._stop_listening()
        with contextlib.suppress(psycopg.Error, PasteupError):  # an outage: the lease runs out
            self._release()
        super().close()
