"""Where an edition lives: its folder (one person, one machine) or PostgreSQL (a newsroom).

Both stores give the same thing to the layers above — an `Edition` to compose, print and proof —
and the same way to save it: by record (docs/store.md), each save a compare-and-swap on the
version the record was opened at, a lost race refused with its changes kept (`SaveConflict`).

    checkout = open_store(target).open(name, workdir)
    checkout.edition            # the Edition, as read_edition gives it
    checkout.save_page("p3", by="王美编")

`target` is a folder of edition folders or a `postgresql://` URL. psycopg is imported only
for the second.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from app.errors import PasteupError
from app.model.edition import Edition


class SaveConflict(PasteupError):
    """A save that lost a race: refused, its changes kept (`copy` names where)."""

    exit_code = 1

    def __init__(self, message: str, *, current: Any, copy: str) -> None:
        super().__init__(message)
        self.current = current
        self.copy = copy


class Checkout(Protocol):
    """An edition opened from a store, remembering the version of every record it read."""

    edition: Edition

    def lock(self, kind: str, key: str, holder: str, *, lease: timedelta | None = None) -> Any:
        """The record's lock for `holder` for `lease` (LockHeld names who has it); a folder has
        none."""

    def release_all(self) -> None:
        """Let go of every lock taken through this checkout."""

    def save(self, kind: str, key: str, by: str) -> Any: ...

    def commit(self, by: str) -> dict[Any, Any]:
        """Every changed record at once: all saved, or none (SaveConflict keeps them)."""

    def save_page(self, page_id: str, by: str) -> dict[Any, Any]: ...

    def save_all(self, by: str) -> dict[Any, Any]: ...


class Store(Protocol):
    def editions(self) -> list[str]: ...

    def open(self, name: str, workdir: Path) -> Checkout: ...

    def close(self) -> None: ...


def is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def open_store(target: str | Path) -> Store:
    """The store `target` names: a `postgresql://` URL, or a folder of edition folders."""
    if is_url(str(target)):
        from app.model.store.postgres import PostgresStore

        return PostgresStore(str(target))
    from app.model.store.folder import FolderStore

    return FolderStore(Path(target))
