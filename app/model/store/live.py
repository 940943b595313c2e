"""Locks with leases and the change feed: how the desk sees who holds what, live.

Opening a page or story for editing takes its lock (who, on which machine, since when); the
editor renews it while it runs. A lock whose holder stopped renewing — a crash, a pulled cable
— expires after its lease and the next taker gets it (recorded as `expired`); taking over a
live lock needs `takeover=True` (the window asks first) and is recorded as `takeover`. Times are
the server's, so workstation clocks do not matter. Every save and lock change is announced on
the `pasteup` channel (LISTEN/NOTIFY); a `Feed` hears them on a connection of its own.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

from app.errors import PasteupError
from app.model.store.checkout import Unreachable
from app.model.store.postgres import PostgresStore, connect

LEASE = timedelta(seconds=30)  # the editor renews every third of it


@dataclass(frozen=True, slots=True)
class Lock:
    edition: str
    kind: str
    key: str
    token: str  # the holder's, to renew and release; never shown
    holder: str
    host: str
    since: datetime
    expires: datetime


class LockHeld(PasteupError):
    """The record is locked by someone else: open it read-only (the message names them)."""

    exit_code = 1

    def __init__(self, lock: Lock) -> None:
        since = lock.since.astimezone().strftime("%H:%M")
        super().__init__(
            f"{lock.edition} {lock.kind} {lock.key}: {lock.holder}（{lock.host}）自 {since} 起正在编辑，"
            f"只读打开 (locked by {lock.holder} on {lock.host} since {since}; opened read-only)"
        )
        self.lock = lock


class LockLost(PasteupError):
    """A lock renewed too late: someone took it meanwhile. Keep the edits, save as a copy."""


_COLUMNS = "edition, kind, key, token::text, holder, host, since, renewed_at + lease"


def take(
    store: PostgresStore,
    edition: str,
    kind: str,
    key: str,
    holder: str,
    *,
    host: str = "",
    lease: timedelta = LEASE,
    takeover: bool = False,
) -> Lock:
    """The lock of a record for `holder`, or LockHeld naming who has it."""
    host = host or socket.gethostname()
    conn = store.conn
    with conn.transaction():
        row = conn.execute(
            f"SELECT {_COLUMNS}, renewed_at + lease < now() FROM pasteup_lock "
            "WHERE edition = %s AND kind = %s AND key = %s FOR UPDATE",
            (edition, kind, key),
        ).fetchone()
        if row is not None:
            held, expired = Lock(*row[:8]), row[8]
            if not expired and not takeover:
                raise LockHeld(held)
            event = "expired" if expired else "takeover"
            conn.execute(
                "DELETE FROM pasteup_lock WHERE edition = %s AND kind = %s AND key = %s",
                (edition, kind, key),
            )
        else:
            held, event = None, "take"
        lock = conn.execute(
            "INSERT INTO pasteup_lock (edition, kind, key, token, holder, host, lease) "
            f"VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}",
            (edition, kind, key, uuid.uuid4(), holder, host, lease),
        ).fetchone()
        assert lock is not None  # RETURNING gives the row inserted
        conn.execute(
            "INSERT INTO pasteup_lock_event (edition, kind, key, event, holder, host, "
            "previous_holder, previous_host) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (edition, kind, key, event, holder, host, held and held.holder, held and held.host),
        )
    return Lock(*lock)


def renew(store: PostgresStore, lock: Lock) -> Lock:
    """Extend the lease; LockLost when the lock is no longer this holder's."""
    with store.conn.transaction():
        row = store.conn.execute(
            "UPDATE pasteup_lock SET renewed_at = now() "
            "WHERE edition = %s AND kind = %s AND key = %s AND token = %s "
            f"RETURNING {_COLUMNS}",
            (lock.edition, lock.kind, lock.key, lock.token),
        ).fetchone()
    if row is None:
        raise LockLost(
            f"{lock.edition} {lock.kind} {lock.key}: 编辑锁已被他人接管或已过期 (the lock was "
            "taken over or expired; your edits are kept, save them as a copy)"
        )
    return Lock(*row)


def release(store: PostgresStore, lock: Lock) -> None:
    with store.conn.transaction():
        gone = store.conn.execute(
            "DELETE FROM pasteup_lock WHERE edition = %s AND kind = %s AND key = %s AND token = %s",
            (lock.edition, lock.kind, lock.key, lock.token),
        ).rowcount
        if gone:
            store.conn.execute(
                "INSERT INTO pasteup_lock_event (edition, kind, key, event, holder, host) "
                "VALUES (%s, %s, %s, 'release', %s, %s)",
                (lock.edition, lock.kind, lock.key, lock.holder, lock.host),
            )


def holders(store: PostgresStore, edition: str) -> list[Lock]:
    """The live locks of an edition (expired ones are no one's)."""
    with store.conn.transaction():
        rows = store.conn.execute(
            f"SELECT {_COLUMNS} FROM pasteup_lock "
            "WHERE edition = %s AND renewed_at + lease >= now() ORDER BY kind, key",
            (edition,),
        ).fetchall()
    return [Lock(*row) for row in rows]


def events(store: PostgresStore, edition: str) -> list[tuple[Any, ...]]:
    """The lock history: (kind, key, event, holder, host, previous holder, previous host, at)."""
    with store.conn.transaction():
        return store.conn.execute(
            "SELECT kind, key, event, holder, host, previous_holder, previous_host, at "
            "FROM pasteup_lock_event WHERE edition = %s ORDER BY id",
            (edition,),
        ).fetchall()


class Renewer:
    """Keeps the locks a long job holds alive: every third of the lease, until `stop()`, each
    lock `locks()` gives is renewed on a connection of the renewer's own (the job's is busy with
    its own transactions). The editor renews on its window's timer; a command (app.commands.
    work) runs one of these while it works, so an edition's proofs taking longer than the lease
    keep their locks. A lock found taken meanwhile is left (`lost` names it: the job's save is
    then refused and kept as a conflict copy); a server away is tried again at the next tick."""

    def __init__(self, url: str, locks: Callable[[], Iterable[Lock]], lease: timedelta) -> None:
        self.url = url
        self.locks = locks
        self.lease = lease
        self.interval = lease.total_seconds() / 3
        self.lost: list[LockLost] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pasteup-lock-renewer", daemon=True)

    def start(self) -> None:
        """Start renewing (again: nothing), unless stopped."""
        if not self._thread.is_alive() and not self._stopped.is_set():
            self._thread.start()

    def stop(self) -> None:
        """Stop renewing; the renewer's connection is closed as its thread ends (waited for a
        few seconds: a renewal stuck on a lost network is left to end on its own)."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> Renewer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        store: PostgresStore | None = None
        gone: set[str] = set()  # the tokens of locks lost: no use renewing them
        try:
            while not self._stopped.wait(self.interval):
                try:
                    store = store or PostgresStore(self.url)
                    for lock in list(self.locks()):
                        if lock.token in gone:
                            continue
                        try:
                            renew(store, lock)
                        except LockLost as lost:
                            gone.add(lock.token)
                            self.lost.append(lost)
                except (psycopg.OperationalError, psycopg.InterfaceError, Unreachable):
                    if store is not None:
                        store.close()
                    store = None  # a new connection at the next tick
        finally:
            if store is not None:
                store.close()


class Feed:
    """Saves and lock changes of one edition as they happen, on a connection of its own."""

    def __init__(self, url: str, edition: str) -> None:
        self.edition = edition
        self.conn = connect(url, autocommit=True)
        self.conn.execute("LISTEN pasteup")

    def wait(self, timeout: float, stop_after: int | None = None) -> list[dict[str, Any]]:
        """The changes heard within `timeout` seconds (returns early after `stop_after`)."""
        out = []
        for note in self.conn.notifies(timeout=timeout, stop_after=stop_after):
            change = json.loads(note.payload)
            if change.get("edition") == self.edition:
                out.append(change)
        return out

    def close(self) -> None:
        self.conn.close()
