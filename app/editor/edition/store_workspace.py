"""An edition opened from the team store (docs/store.md): the workspace the window already
knows, saving by record, holding the lock of the page it shows, following others live.

The page shown is locked for the user while it is shown and the lock renewed on a timer (a third
of the lease); when someone else holds it the page is read-only and `read_only_by` names them.
The feed's socket is watched by a QSocketNotifier, so another client's save reaches this
edition (`Checkout.follow`) and its pages are recomposed within the event loop's next turn.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib

import psycopg
from PySide6.QtCore import QSocketNotifier, QTimer, Signal

from app.editor.edition.workspace import EditionWorkspace
from app.errors import PasteupError
from app.fonts.filehash import cache_dir
from app.model.store.checkout import Checkout
from app.model.store.live import LEASE, Feed, Lock, LockHeld, LockLost, release, renew


class StoreWorkspace(EditionWorkspace):
    holder_changed = Signal(str)  # who else holds the page shown ("" when it is ours)
    followed = Signal(tuple)  # ids of pages another client's save changed

    def __init__(self, checkout: Checkout, user: str, lease=LEASE) -> None:
        super().__init__(checkout.edition)
        self.checkout = checkout
        self.user = user
        self.lease = lease
        self.lock: Lock | None = None
        self.read_only_by = ""
        self.feed = Feed(checkout.store.url, checkout.name)
        self._notifier = QSocketNotifier(self.feed.conn.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._hear)
        self._renewal = QTimer(self)
        self._renewal.setInterval(max(100, int(lease.total_seconds() * 1000 / 3)))
        self._renewal.timeout.connect(self._renew)
        self._renewal.start()
        self._take(self.current)

    # -- locks ---------------------------------------------------------------------------------
    def _take(self, page_id: str) -> None:
        try:
            self.lock = self.checkout.lock("page", page_id, self.user, lease=self.lease)
            self.read_only_by = ""
        except LockHeld as held:
            self.lock = None
            self.read_only_by = held.lock.holder
        self.holder_changed.emit(self.read_only_by)

    def _renew(self) -> None:
        """Renew the lease; while read-only, try the lock again (a holder that crashed lets
        go only by its lease running out, which nobody announces). While the server is away
        the page stays open: saves go to the journal (app.model.store.checkout)."""
        try:
            if self.lock is None:
                self._retake()
                return
            try:
                self.lock = renew(self.checkout.store, self.lock)
            except LockLost:
                self.lock = None
                self._take(self.current)  # someone took it over: read-only, naming them
        except (psycopg.OperationalError, psycopg.InterfaceError):
            with contextlib.suppress(PasteupError):  # still away: the next tick tries again
                self.checkout.store.reconnect()

    def _retake(self) -> None:
        try:
            self.lock = self.checkout.lock("page", self.current, self.user, lease=self.lease)
        except LockHeld as held:
            if held.lock.holder != self.read_only_by:  # another holder now
                self.read_only_by = held.lock.holder
                self.holder_changed.emit(self.read_only_by)
            return
        self.read_only_by = ""
        self.holder_changed.emit("")

    def take_over(self) -> None:
        """Take the page from its holder (the window asks first); recorded as a takeover."""
        self.lock = self.checkout.lock(
            "page", self.current, self.user, takeover=True, lease=self.lease
        )
        self.read_only_by = ""
        self.holder_changed.emit("")

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

    def _page_changed(self) -> bool:
        session = self.sessions.get(self.current)
        return session is not None and session.modified

    def _hear(self) -> None:
        touched: set[str] = set()
        for change in self.feed.wait(timeout=0):
            touched |= self.checkout.follow(change)
            let_go = change.get("what") == "unlock" and change.get("key") == self.current
            if let_go and self.lock is None:
                self._retake()  # the holder let go: ours now
        if touched:
            self.recompose()
            self.followed.emit(tuple(sorted(touched)))

    def close(self) -> None:
        self._renewal.stop()
        self._notifier.setEnabled(False)
        self._release()
        self.feed.close()
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
    shown = show_workspace(window, workspace)
    _say_holder(window, workspace, workspace.read_only_by)
    return shown


def _say_holder(window, workspace: StoreWorkspace, holder: str) -> None:
    if holder:
        window.status.showMessage(
            f"{workspace.page().label}：{holder} 正在编辑，只读 (read-only: {holder} is editing)"
        )
    else:
        window.status.clearMessage()
