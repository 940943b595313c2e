"""Where a command's edition or page lives: its folder, or the team store (`--store URL`).

One code path for both (docs/store.md, Commands on the store): a command opens a `Work` — the
edition, or one page of it, through the store's checkout (app.model.store) — takes the locks a
person would take before changing what it changes (renewed while it runs), changes the model
as on a folder, and `save()`s: every changed record as one compare-and-swap, signed by `who`,
the locks let go when the work closes. With `--store URL` the command's EDITION is an edition's name in that store and
a PAGE is `EDITION/PAGE` (a page id or number, as `EDITION/p3.json` would be in a folder); a
database edition's pictures go to a work folder in the user's cache, never the current folder.

A page file outside any edition (format 1) has no store: it is read and saved as a file.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import os
import shlex
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import PasteupError

if TYPE_CHECKING:
    from app.model import PageDocument
    from app.model.edition import Edition
    from app.model.store import Checkout, Store
    from app.model.store.checkout import Checkout as DatabaseCheckout
    from app.model.store.live import Lock, Renewer
    from app.model.store.postgres import PostgresStore

STORE_HELP = (
    "团队数据库 postgresql://user@host/db（或存放多期的目录）：版期写库中的名字，单版写 版期/版 "
    "(the store holding the edition: then EDITION is its name there, a page EDITION/PAGE)"
)


def add_store(parser: argparse.ArgumentParser, *, by: bool = False) -> None:
    """`--store` (and `--by`, for a command that saves and has none of its own)."""
    parser.add_argument("--store", default="", metavar="URL", help=STORE_HELP)
    if by:
        parser.add_argument("--by", default="", help=BY_HELP)


BY_HELP = "署名 (who; default: $PASTEUP_USER or the login name)"


def who(name: str = "") -> str:
    """Who saves: the option given, else $PASTEUP_USER, else the login name."""
    if name:
        return name
    if os.environ.get("PASTEUP_USER"):
        return os.environ["PASTEUP_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def work_folder(url: str, name: str) -> Path:
    """Where a database edition's pictures and outage journal live: one folder per server and
    edition in the user's cache (the editor's `pasteup open` uses the same one)."""
    from app.fonts.filehash import cache_dir
    from app.model.store.postgres import where

    return cache_dir() / "store" / hashlib.sha256(f"{where(url)}\n{name}".encode()).hexdigest()[:16]


def open_database_edition(database: PostgresStore, name: str) -> DatabaseCheckout:
    """Edition `name` checked out into its work folder, its Offline message naming the command
    that saves that folder's journal once the server is back (`pasteup edition sync`)."""
    from app.model.store.postgres import where

    checkout = database.open(name, work_folder(database.url, name))
    checkout.sync_command = f"pasteup edition sync {where(database.url)} {shlex.quote(name)}"
    return checkout


class LockRefused(PasteupError):
    """Someone else holds a record this command would change: nothing was changed."""

    exit_code = 1

    def __init__(self, lock: Lock) -> None:
        since = lock.since.astimezone().strftime("%H:%M")
        super().__init__(
            f"{lock.edition} {lock.kind} {lock.key}: {lock.holder}（{lock.host}）自 {since} "
            f"起正在编辑，未作改动 (locked by {lock.holder} on {lock.host} since {since}; "
            "nothing changed)"
        )


class Work:
    """An edition (and maybe one page of it) opened for a command, from a folder or a store."""

    def __init__(
        self,
        checkout: Checkout | None,
        document: PageDocument | None,
        by: str,
        renewer: Renewer | None = None,
    ) -> None:
        self.checkout = checkout
        self._document = document
        self.by = by
        self.renewer = renewer  # a database edition's: keeps the locks taken alive

    @property
    def edition(self) -> Edition:
        """The edition opened (a page file outside any edition has none)."""
        assert self.checkout is not None, "a page outside an edition has no edition"
        return self.checkout.edition

    @property
    def document(self) -> PageDocument:
        """The page the command was given (a page command's only)."""
        assert self._document is not None, "an edition command has no page"
        return self._document

    @property
    def page_id(self) -> str:
        return getattr(self.document, "page_id", "")

    def lock(self, kind: str, key: str = "") -> None:
        """Take a record's lock before changing it, as a person at the window would: someone
        else holding it refuses the command with one line naming them (nothing changed)."""
        if self.checkout is None:
            return
        from app.model.store.live import LockHeld

        try:
            lease = self.renewer.lease if self.renewer is not None else None
            self.checkout.lock(kind, key, self.by, lease=lease)
        except LockHeld as held:
            raise LockRefused(held.lock) from None
        if self.renewer is not None:
            self.renewer.start()  # a command may run longer than the lease

    def lock_page(self) -> None:
        """The page's layout: blocks, geometry (a layout change)."""
        self.lock("page", self.page_id)

    def lock_marks(self) -> None:
        """The page's proof rounds and marks (a proofreader's change)."""
        self.lock("proof", self.page_id)

    def lock_text(self) -> None:
        """The page's proof marks and every story it sets (a text editor correcting them)."""
        self.lock_marks()
        for story in self.document.stories:
            self.lock("story", story)

    def save(self) -> None:
        """Every record the command changed, as one compare-and-swap signed by `by`; a lost
        race raises SaveConflict (exit 1) with the changes kept as conflict copies."""
        if self.checkout is not None:
            self.checkout.commit(self.by)
        else:
            from app.model import save_document

            save_document(self.document)


@contextlib.contextmanager
def edition_work(
    target: str | Path, store: str = "", by: str = "", *, lease: timedelta | None = None
) -> Iterator[Work]:
    """The edition `target` names: its folder, or with `store` its name in that store (`lease`:
    of the locks the command takes, app.model.store.live.LEASE unless given)."""
    if not store:
        from app.model.editionfile import read_edition
        from app.model.store.folder import FolderCheckout

        yield Work(FolderCheckout(read_edition(Path(target))), None, who(by))
        return
    with _opened(store, str(target), lease) as (checkout, renewer):
        yield Work(checkout, None, who(by), renewer)


@contextlib.contextmanager
def page_work(
    target: str | Path, store: str = "", by: str = "", *, lease: timedelta | None = None
) -> Iterator[Work]:
    """The page `target` names: a page file (of an edition folder or on its own), or with
    `store` `EDITION/PAGE` in that store. A page of an edition is opened with its edition,
    so it composes with its jumps, ads and place in the plan."""
    if not store:
        from app.model import read_document
        from app.model.edition import EditionPageDocument
        from app.model.store.folder import FolderCheckout

        document = read_document(Path(target))
        folder = None
        if isinstance(document, EditionPageDocument) and document.edition is not None:
            folder = FolderCheckout(document.edition)
        yield Work(folder, document, who(by))
        return
    name, _, page = str(target).rstrip("/").rpartition("/")
    if not name or not page:
        raise PasteupError(
            f"{target}: 库中的版面写作 版期/版，如 20260109/p3 (a page in the store is "
            "EDITION/PAGE, e.g. 20260109/p3)"
        )
    with _opened(store, name, lease) as (checkout, renewer):
        document = checkout.edition.page(page.removesuffix(".json")).document
        yield Work(checkout, document, who(by), renewer)


@contextlib.contextmanager
def _opened(
    target: str, name: str, lease: timedelta | None
) -> Iterator[tuple[Checkout, Renewer | None]]:
    """An edition checked out of a store, with the renewer of the locks the command will take
    (a database's); the renewer stopped, the locks let go and the connection closed after,
    whatever happens; a database error one line naming the server."""
    from app.model.store import is_url, open_store

    if not is_url(target):
        store: Store = open_store(Path(target))
        yield store.open(name, Path(target) / name), None
        return
    import psycopg

    from app.model.store.live import LEASE, Renewer
    from app.model.store.postgres import PostgresStore

    with database_errors(target), PostgresStore(target) as database:
        database.check_schema()
        checkout = open_database_edition(database, name)
        renewer = Renewer(target, lambda: tuple(checkout.locks.values()), lease or LEASE)
        try:
            yield checkout, renewer
        finally:
            renewer.stop()
            with contextlib.suppress(psycopg.Error):
                checkout.release_all()


@contextlib.contextmanager
def database_errors(url: str) -> Iterator[None]:
    """A database error that reaches a command is one line naming the server, not a traceback."""
    import psycopg

    from app.model.store.postgres import where

    try:
        yield
    except psycopg.Error as error:
        message = getattr(error.diag, "message_primary", None) or str(error).strip()
        raise PasteupError(f"{where(url)}: 数据库错误 (database error): {message}") from None
