"""An edition opened from the team store (docs/store.md): the workspace the window already
knows, saving by record, holding the lock of the page it shows, following others live.

The page shown is locked for the user while it is shown and the lock renewed on a timer (a third
of the lease); when someone else holds it the page is read-only and `read_only_by` names them —
so does its session's `read_only_by`, which refuses every edit on the canvas and in the panels.
The feed's socket is watched by a QSocketNotifier, so another client's save reaches this
edition (`Checkout.follow`) and its pages are recomposed within the event loop's next turn;
every page's holder (`holders`) and stage follow the feed too (`board_changed`, the navigator).
A lease that runs out announces nothing, so the renewal tick also reads the holders again.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib

import psycopg
from PySide6.QtCore import QSocketNotifier, QTimer, Signal

from app.editor.edition.workspace import EditionWorkspace
from app.editor.i18n import tr
from app.errors import PasteupError
from app.fonts.filehash import cache_dir
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


class StoreWorkspace(EditionWorkspace):
    holder_changed = Signal(str)  # who else holds the page shown ("" when it is ours)
    followed = Signal(tuple)  # ids of pages another client's save changed
    synced = Signal(object)  # the journal saved after an outage: {(kind, key): version | conflict}

    def __init__(self, checkout: Checkout, user: str, lease=LEASE) -> None:
        super().__init__(checkout.edition)
        self.checkout = checkout
        self.user = user
        self.lease = lease
        self.lock: Lock | None = None
        self.read_only_by = ""
        self.held: Lock | None = None  # the other holder's lock while the page is read-only
        self.holders: dict[str, str] = {}  # page id → who holds its lock (us included)
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
        """Every page's live lock, from the database (at open and on each renewal tick)."""
        now = {lock.key: lock.holder for lock in holders(self.checkout.store, self.checkout.name)}
        now = {key: holder for key, holder in now.items() if key in self._page_ids()}
        changed = {
            key for key in now.keys() | self.holders.keys() if now.get(key) != self.holder(key)
        }
        self.holders = now
        if changed:
            self.board_changed.emit(tuple(sorted(changed)))

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
        except (psycopg.OperationalError, psycopg.InterfaceError):
            with contextlib.suppress(PasteupError):  # still away: the next tick tries again
                self.checkout.store.reconnect()
            return
        if self.feed is None:  # the server is back
            with contextlib.suppress(PasteupError):
                self._listen()
        self._sync_journal()

    def _sync_journal(self) -> None:
        if not self.checkout.pending():
            return
        with contextlib.suppress(Offline):
            self.synced.emit(self.checkout.sync())

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

    def _release(self) -> None:
        if self.lock is not None:
            release(self.checkout.store, self.lock)
            self.checkout.tokens.pop(("page", self.lock.key), None)
            self.lock = None

    def switch(self, page_id: str):
        if self.edition.page(page_id).id != self.current:
            self._release()
            self._take(self.edition.page(page_id).id)
        return super().switch(page_id)

    # -- saving and following ------------------------------------------------------------------
    def save(self) -> None:
        """Every changed record as a new version (a refused one is kept as a conflict copy)."""
        if self.read_only_by and self._page_changed():
            raise PasteupError(
                f"{self.page().label}: {self.read_only_by} 正在编辑，此版只读 (read-only: "
                f"{self.read_only_by} is editing this page)"
            )
        self.checkout.save_all(self.user)
        self.plan_modified = False
        for session in self.sessions.values():
            session.undo_stack.setClean()

    def restore(self, kind: str, key: str, version: int) -> tuple[str, ...]:
        """Make an old version of a record current again, as a new version, and show it; the
        pages it changed. The page shown must be ours and saved (its undo history ends here)."""
        session = self.session(self.current)
        if not session.editable():
            raise PasteupError(tr("{holder} 正在编辑此版，只读", holder=self.read_only_by))
        if session.modified:
            raise PasteupError(tr("先保存此版的修改，再恢复旧版本"))
        touched = self.checkout.restore(kind, key, version, self.user)
        session.undo_stack.clear()
        self.recompose()
        return tuple(sorted(touched))

    def records(self) -> list[tuple[str, str, str]]:
        """The page shown and the stories it sets: what 版本历史 offers."""
        page = self.page()
        stories = [("story", s, tr("稿件 {story}", story=s)) for s in page.document.stories]
        return [("page", page.id, tr("版面 {label}", label=f"{page.label} {page.name}")), *stories]

    def _page_changed(self) -> bool:
        session = self.sessions.get(self.current)
        return session is not None and session.modified

    def _hear(self) -> None:
        touched: set[str] = set()
        try:
            changes = self.feed.wait(timeout=0) if self.feed is not None else []
        except (psycopg.OperationalError, psycopg.InterfaceError):
            self._stop_listening()  # the server went away; the renewal timer listens again
            return
        board: set[str] = set()
        for change in changes:
            touched |= self.checkout.follow(change)
            board |= self._follow_board(change)
            let_go = change.get("what") == "unlock" and change.get("key") == self.current
            if let_go and self.lock is None:
                self._retake()  # the holder let go: ours now
        if touched:
            self.recompose()
            self.followed.emit(tuple(sorted(touched)))
        if board:
            self.board_changed.emit(tuple(sorted(board)))

    def _follow_board(self, change: dict) -> set[str]:
        """A page's lock taken or let go, or its stage moved: the page, for the navigator."""
        what, kind, key = change.get("what"), change.get("kind"), change.get("key", "")
        if change.get("edition") != self.checkout.name or key not in self._page_ids():
            return set()
        if kind == "page" and what == "lock":
            self.holders[key] = change.get("by", "")
        elif kind == "page" and what == "unlock":
            self.holders.pop(key, None)
        elif not (kind == "status" and what == "save"):
            return set()
        return {key}

    def close(self) -> None:
        self._renewal.stop()
        self._stop_listening()
        with contextlib.suppress(psycopg.Error, PasteupError):  # an outage: the lease runs out
            self._release()
        super().close()


def open_from_store(window, url: str, name: str, user: str = "") -> bool:
    """Open edition `name` of the database at `url` in the window (`pasteup open URL NAME`).

    Its pictures and its outage journal live in a work folder of the user's cache, one per
    server and edition, so a journal left by a lost connection is there when it is opened again."""
    from app.editor.edition.window import show_workspace
    from app.model.store.postgres import PostgresStore, where

    key = hashlib.sha256(f"{where(url)}\n{name}".encode()).hexdigest()[:16]
    try:
        store = PostgresStore(url)
        store.check_schema()
        workspace = StoreWorkspace(
            store.open(name, cache_dir() / "store" / key), user or getpass.getuser()
        )
    except PasteupError as error:
        window.prompts.error("无法打开", str(error))
        return False
    workspace.holder_changed.connect(lambda holder: _say_holder(window, workspace, holder))
    workspace.synced.connect(lambda results: _say_synced(window, results))
    window.actions_by_name["history"].setEnabled(True)
    shown = show_workspace(window, workspace)
    _say_holder(window, workspace, workspace.read_only_by)
    return shown


def action_take_over(window) -> None:
    """版期 → 接管此版…: only after the user confirms, naming who holds the page since when."""
    workspace = window.workspace
    if not isinstance(workspace, StoreWorkspace) or workspace.held is None:
        return
    held, page = workspace.held, workspace.page()
    since = held.since.astimezone().strftime("%H:%M")
    where = f"{held.holder}（{held.host}）" if held.host else held.holder
    if not window.prompts.take_over(f"{page.label} {page.name}", where, since):
        return
    try:
        workspace.take_over()
    except (PasteupError, psycopg.Error) as error:
        window.prompts.error("接管此版", str(error))
        return
    window.status.flash(tr("已接管{page}", page=page.label))


def action_history(window) -> None:
    """版期 → 版本历史…: the versions of the page shown and its stories; restore one."""
    workspace = window.workspace
    if not isinstance(workspace, StoreWorkspace):
        return
    checkout = workspace.checkout
    try:
        choice = window.prompts.history(
            workspace.records(), lambda kind, key: checkout.store.history(checkout.name, kind, key)
        )
        if choice is None:
            return
        workspace.restore(*choice)
    except (PasteupError, psycopg.Error) as error:
        window.prompts.error("版本历史", str(error))
        return
    window.status.flash(tr("已恢复第 {version} 版", version=choice[2]))
    window._update_title()


def _say_holder(window, workspace: StoreWorkspace, holder: str) -> None:
    window.actions_by_name["take_over"].setEnabled(bool(holder))
    if window.workspace is workspace:
        window._update_title()
    if holder:
        window.status.showMessage(
            f"{workspace.page().label}：{holder} 正在编辑，只读 (read-only: {holder} is editing)"
        )
    else:
        window.status.clearMessage()


def _say_synced(window, results: dict) -> None:
    """The journal saved after an outage: how many landed, how many were kept as copies."""
    kept = [r for r in results.values() if isinstance(r, PasteupError)]
    saved = len(results) - len(kept)
    message = f"服务器已恢复：{saved} 项修改已保存 (server back: {saved} saved)"
    if kept:
        message += f"；{len(kept)} 项与他人修改冲突，已另存 ({len(kept)} kept as conflict copies)"
        window.prompts.error("冲突", "\n".join(str(r) for r in kept))
    window.status.flash(message)
