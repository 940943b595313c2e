"""Re-applying a conflict copy (a refused save's body, kept in `pasteup_conflict`) on the
version that beat it, when the two do not touch the same thing.

It merges what the copy changed since the version it started from into the current
version (app.model.store.merge): a clean merge is saved as the next version, a compare-and-swap
on the current one, and the copy is marked with the version it became; a merge with conflicts
saves nothing and names the first. The merged edition is validated by the folder's loader
before anything is written.
"""

from __future__ import annotations

from app.errors import PasteupError
from app.model.store.merge import merge
from app.model.store.postgres import PostgresStore, where


class NotMerged(PasteupError):
    """The copy and the current version changed the same thing: nothing saved."""

    exit_code = 1


def reapply(store: PostgresStore, name: str, copy_id: int, by: str, token: str = "") -> int:
    """Save conflict copy `copy_id` merged into the record's current version; the version it
    became. `token` is the saver's lock of the record (app.model.store.live)."""
    copy = next((c for c in store.conflicts(name) if c.id == copy_id), None)
    if copy is None:
        raise PasteupError(f"{where(store.url)} {name}: 没有冲突副本 #{copy_id} (no such copy)")
    label = f"{name} {copy.kind} {copy.key}".rstrip()
    if copy.applied is not None:
        raise PasteupError(
            f"{label}: 冲突副本 #{copy_id} 已重新应用为第 {copy.applied} 版 (already re-applied "
            f"as version {copy.applied})"
        )
    heads = store.records(name)
    current, theirs = heads.get((copy.kind, copy.key), (0, None))
    base = store.version(name, copy.kind, copy.key, copy.base) if copy.base else None
    merged = merge(copy.kind, base, copy.body, theirs)
    if merged.conflicts:
        raise NotMerged(
            f"{label}: 冲突副本 #{copy_id} 与第 {current} 版改动了同一处，未应用 (the copy and "
            f"version {current} changed the same thing; nothing saved): {merged.conflicts[0]}"
            + (f" (+{len(merged.conflicts) - 1})" if len(merged.conflicts) > 1 else "")
        )
    version = current
    if merged.body != theirs:
        trial = {k: v for k, v in heads.items() if k != (copy.kind, copy.key)}
        if merged.body is not None:
            trial[(copy.kind, copy.key)] = (current + 1, merged.body)
        store.check(name, trial)
        version = store.save(name, copy.kind, copy.key, merged.body, current, by, token)
    with store.conn.transaction():
        store.conn.execute(
            "UPDATE pasteup_conflict SET applied = %s WHERE id = %s", (version, copy_id)
        )
    return version
