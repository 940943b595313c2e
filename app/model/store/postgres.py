"""The edition in PostgreSQL (psycopg 3): the store a newsroom shares (docs/store.md).

Every save is a new version and a compare-and-swap on the version the saver started from: the
record's row is locked, its version compared, and either the new version is written with who,
when and what changed, or the save is refused and its body kept as a conflict copy. Nothing is
overwritten and nothing is lost. Credentials come only from the URL, the environment (PGUSER,
PGPASSWORD …) or ~/.pgpass, as libpq reads them; Pasteup stores none. Every query is
parameterised.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Json

from app.errors import PasteupError
from app.model.edition import Edition
from app.model.editionfile import dumps, read_edition
from app.model.save import write_atomic
from app.model.store import SaveConflict
from app.model.store.checkout import Checkout, Unreachable
from app.model.store.records import (
    Change,
    Key,
    asset_paths,
    edition_records,
    files,
    safe_relative,
)
from app.model.store.schema import MIGRATIONS


class _Refused(Exception):
    """A compare-and-swap that lost (`held`: the other holder of the lock, "" for a race)."""

    def __init__(self, change: Change, held: str) -> None:
        super().__init__(change.kind, change.key)
        self.change = change
        self.held = held


class Copy(NamedTuple):
    """A refused save's body, kept (`pasteup_conflict`): re-applied later (app.model.store.
    reapply), `applied` names the version it became."""

    id: int
    kind: str
    key: str
    base: int  # the version the refused save started from
    by: str
    at: datetime
    body: Any
    applied: int | None


@dataclass(frozen=True, slots=True)
class Version:
    version: int
    by: str
    at: datetime
    summary: str


def where(url: str) -> str:
    """The server a URL names, for messages: host, port, database, user — never the password."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    host, port = info.get("host", "localhost"), info.get("port", "5432")
    user = f"{info['user']}@" if "user" in info else ""
    return f"postgresql://{user}{host}:{port}/{info.get('dbname', '')}"


def connect(url: str, **options: Any) -> psycopg.Connection:
    """A connection, or one line naming the server and why not (no password in it)."""
    try:
        return psycopg.connect(url, connect_timeout=10, **options)
    except (psycopg.OperationalError, psycopg.ProgrammingError) as error:
        reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        raise Unreachable(f"{where(url)}: 无法连接数据库 (cannot connect): {reason}") from None


class NotAllowed(PasteupError):
    """The connection's role may not change this record (the database refuses it too)."""


class PostgresStore:
    """Editions in one PostgreSQL database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = connect(url)

    def close(self) -> None:
        self.conn.close()

    def reconnect(self) -> None:
        """A new connection when the last one broke (the server went away and came back)."""
        if self.conn.broken or self.conn.closed:
            self.conn = connect(self.url)

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema --------------------------------------------------------------------------------
    def init(self) -> list[int]:
        """Apply the migrations this database lacks, in order, each in its transaction."""
        with self.conn.transaction():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS pasteup_migrations ("
                " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
        applied = []
        for number, sql in enumerate(MIGRATIONS, start=1):
            with self.conn.transaction():
                # One `db init` at a time: a second waits here, then finds the work done.
                self.conn.execute("LOCK TABLE pasteup_migrations IN EXCLUSIVE MODE")
                done = self.conn.execute(
                    "SELECT 1 FROM pasteup_migrations WHERE version = %s", (number,)
                ).fetchone()
                if done:
                    continue
                try:
                    self.conn.execute(sql)  # a constant of schema.py, never user text
                except psycopg.Error as error:
                    raise PasteupError(
                        f"{where(self.url)}: 数据库结构迁移 {number} 失败，未作改动 (migration "
                        f"{number} failed, nothing changed): {error.diag.message_primary or error}"
                    ) from None
                self.conn.execute("INSERT INTO pasteup_migrations (version) VALUES (%s)", (number,))
                applied.append(number)
        return applied

    def schema_version(self) -> int:
        with self.conn.transaction():
            exists = self.conn.execute("SELECT to_regclass('pasteup_migrations')").fetchone()
            if exists is None or exists[0] is None:
                return 0
            row = self.conn.execute("SELECT max(version) FROM pasteup_migrations").fetchone()
        return int(row[0] or 0) if row else 0

    def check_schema(self) -> None:
        version = self.schema_version()
        if version < len(MIGRATIONS):
            raise PasteupError(
                f"{where(self.url)}: 数据库结构版本 {version}，需要 {len(MIGRATIONS)}；请先运行 "
                f"pasteup db init (schema version {version}, this Pasteup needs {len(MIGRATIONS)})"
            )
        if version > len(MIGRATIONS):
            raise PasteupError(
                f"{where(self.url)}: 数据库由更新的 Pasteup 建立 (schema version {version} is "
                f"newer than this Pasteup's {len(MIGRATIONS)})"
            )

    # -- editions ------------------------------------------------------------------------------
    def editions(self) -> list[str]:
        with self.conn.transaction():
            rows = self.conn.execute("SELECT name FROM pasteup_edition ORDER BY name").fetchall()
        return [r[0] for r in rows]

    def records(self, name: str) -> dict[Key, tuple[int, Any]]:
        """The edition's current records: (kind, key) → (version, JSON)."""
        with self.conn.transaction():
            rows = self.conn.execute(
                "SELECT kind, key, version, body FROM pasteup_record WHERE edition = %s",
                (name,),
            ).fetchall()
        if not rows:
            raise PasteupError(f"{where(self.url)}: 没有版期 {name!r} (no such edition)")
        return {(kind, key): (version, body) for kind, key, version, body in rows}

    def push(self, edition: Edition, name: str, by: str) -> dict[str, int]:
        """Store an edition loaded from its folder: new records at version 1, changed records
        as new versions, removed ones marked removed; its pictures once by SHA-256.

        The edition's present heads are the base of every save, so a push that races another
        save is refused like any other save (SaveConflict), with its changes kept."""
        folder = Path(edition.path or ".")
        wanted = edition_records(edition)
        assets = {path: (folder / path) for path in asset_paths(edition)}
        counts = {"new": 0, "changed": 0, "unchanged": 0, "removed": 0, "pictures": 0}
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO pasteup_edition (name) VALUES (%s) ON CONFLICT DO NOTHING", (name,)
            )
            rows = self.conn.execute(
                "SELECT kind, key, version, body FROM pasteup_record WHERE edition = %s",
                (name,),
            ).fetchall()
        heads = {(k, key): (v, body) for k, key, v, body in rows}
        for (kind, key), data in wanted.items():
            base, old = heads.get((kind, key), (0, None))
            if old == data:
                counts["unchanged"] += 1
                continue
            self.save(name, kind, key, data, base, by)
            counts["changed" if base else "new"] += 1
        for kind, key in heads.keys() - wanted.keys():
            self.save(name, kind, key, None, heads[(kind, key)][0], by)
            counts["removed"] += 1
        counts["pictures"] = self._put_files(name, assets)
        return counts

    def _put_files(self, name: str, assets: dict[str, Path]) -> int:
        """Pictures by SHA-256 (a picture many editions use is stored once); a missing one is
        left out, as preflight reports it missing on the folder too."""
        stored = 0
        with self.conn.transaction():
            self.conn.execute("DELETE FROM pasteup_file WHERE edition = %s", (name,))
            for path, source in assets.items():
                try:
                    data = source.read_bytes()
                except FileNotFoundError:
                    continue
                except OSError as error:
                    raise PasteupError(
                        f"{source}: 无法读取 (cannot read): {error.strerror}"
                    ) from None
                digest = hashlib.sha256(data).hexdigest()
                self.conn.execute(
                    "INSERT INTO pasteup_blob (sha256, data) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    (digest, data),
                )
                self.conn.execute(
                    "INSERT INTO pasteup_file (edition, path, sha256) VALUES (%s, %s, %s)",
                    (name, path, digest),
                )
                stored += 1
        return stored

    def write_files(self, name: str, folder: Path) -> None:
        """The edition's pictures into `folder`, each at its path; one already there with the
        same SHA-256 is not fetched again (a workstation's second open reads no picture)."""
        with self.conn.transaction():
            rows = self.conn.execute(
                "SELECT path, sha256 FROM pasteup_file WHERE edition = %s", (name,)
            ).fetchall()
        wanted: dict[str, list[Path]] = {}
        for path, digest in rows:
            target = folder / safe_relative(path, f"{where(self.url)} {name}")
            if not (target.is_file() and _sha256(target) == digest):
                wanted.setdefault(digest, []).append(target)
        if not wanted:
            return
        with self.conn.transaction():
            blobs = self.conn.execute(
                "SELECT sha256, data FROM pasteup_blob WHERE sha256 = ANY(%s)", (list(wanted),)
            ).fetchall()
        for digest, data in blobs:
            for target in wanted[digest]:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, bytes(data), keep_backup=False)

    def pull(self, name: str, folder: Path) -> Edition:
        """Write the edition as a folder (the files exactly as stored). Every record is checked
        by the folder's loader first: a bad one writes nothing but the empty folder."""
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PasteupError(
                f"{folder}: 无法建立版期目录 (cannot make the folder): {error}"
            ) from None
        edition, content = self._load(name, folder)
        for target, data in content.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, dumps(data))
        self.write_files(name, folder)
        return edition

    def open(self, name: str, workdir: Path) -> Checkout:
        """The edition to work on: loaded from its records (validated by the folder's loader);
        `workdir` holds its pictures, so pages compose as they do from a folder."""
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        heads = self.records(name)
        edition, _ = self._load(name, workdir, heads)
        self.write_files(name, workdir)
        return Checkout(self, name, edition, heads)

    def check(self, name: str, heads: dict[Key, tuple[int, Any]]) -> Edition:
        """The edition these records would make, validated as a folder is (nothing written:
        the folder it names is an empty one of its own)."""
        with tempfile.TemporaryDirectory(prefix="pasteup-check-") as folder:
            return self._load(name, Path(folder), heads)[0]

    def _load(
        self, name: str, folder: Path, heads: dict[Key, tuple[int, Any]] | None = None
    ) -> tuple[Edition, dict[Path, Any]]:
        """The edition the records make, validated, and its files' content by path in `folder`
        (a record whose name would lead out of the folder is refused)."""
        heads = heads if heads is not None else self.records(name)
        content = {
            folder / safe_relative(rel, f"{where(self.url)} {name}: {rel}"): data
            for rel, data in files({k: body for k, (_, body) in heads.items()}).items()
        }

        def read(path: Path) -> Any:
            if path not in content:
                raise PasteupError(f"{where(self.url)} {name}: {path.name}: 没有此记录 (missing)")
            return content[path]

        return read_edition(folder, read), content

    # -- versions ------------------------------------------------------------------------------
    def save(
        self, name: str, kind: str, key: str, data: Any, base: int, by: str, token: str = ""
    ) -> int:
        """Compare-and-swap: write version base+1 when the record is still at `base`.

        `data` None removes the record (a version that says so). A lost race, or a record
        locked by someone else (`token` is the saver's lock, app.model.store.live), raises
        SaveConflict naming who; the refused body is kept as a conflict copy. A role that may
        not change the record is refused by the database (docs/store.md, Roles)."""
        return self.save_many(name, [Change(kind, key, data, base, token)], by)[(kind, key)]

    def save_many(self, name: str, changes: list[Change], by: str) -> dict[Key, int]:
        """Several records as one compare-and-swap (a command's change): every one becomes its
        next version, or none does and each body is kept as a conflict copy (SaveConflict
        names the record that lost and who saved it). A refusal by role changes nothing."""
        try:
            with self.conn.transaction():
                return {(c.kind, c.key): self._swap(name, c, by) for c in changes}
        except _Refused as refused:
            lost = refused
        except psycopg.errors.InsufficientPrivilege as error:  # the database's own refusal
            kinds = ", ".join(dict.fromkeys(f"{c.kind} {c.key}".strip() for c in changes))
            raise NotAllowed(
                f"{where(self.url)} {name}: {kinds}: 数据库拒绝 (refused by the database): "
                f"{error.diag.message_primary}"
            ) from None
        return self._refuse(name, changes, by, lost)

    def _swap(self, name: str, change: Change, by: str) -> int:
        """Inside the caller's transaction: version base+1 of one record, or _Refused."""
        kind, key, data, base = change.kind, change.key, change.data, change.base
        row = self.conn.execute("SELECT pasteup_may_write(%s)", (kind,)).fetchone()
        if not (row and row[0]):
            raise NotAllowed(
                f"{where(self.url)} {name}: {kind} {key}: 您的角色不能修改此记录 (your role "
                f"may not change {kind} records)"
            )
        lock = self.conn.execute(
            "SELECT token::text, holder, host FROM pasteup_lock WHERE edition = %s AND "
            "kind = %s AND key = %s AND renewed_at + lease >= now()",
            (name, kind, key),
        ).fetchone()
        if lock and lock[0] != change.token:
            raise _Refused(change, f"{lock[1]}（{lock[2]}）")
        row = self.conn.execute(
            "SELECT version, body FROM pasteup_record "
            "WHERE edition = %s AND kind = %s AND key = %s FOR UPDATE",
            (name, kind, key),
        ).fetchone()
        current, old = row if row else (0, None)
        if current != base:
            raise _Refused(change, "")
        version = base + 1
        if data is None:
            self.conn.execute(
                "DELETE FROM pasteup_record WHERE edition = %s AND kind = %s AND key = %s",
                (name, kind, key),
            )
        elif row:
            self.conn.execute(
                "UPDATE pasteup_record SET version = %s, body = %s "
                "WHERE edition = %s AND kind = %s AND key = %s",
                (version, Json(data), name, kind, key),
            )
        elif not self.conn.execute(
            "INSERT INTO pasteup_record (edition, kind, key, version, body) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (name, kind, key, version, Json(data)),
        ).rowcount:
            raise _Refused(change, "")  # made by a racing save since we looked
        self.conn.execute(
            "INSERT INTO pasteup_version (edition, kind, key, version, body, saved_by, summary) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                name,
                kind,
                key,
                version,
                None if data is None else Json(data),
                by,
                describe(kind, old, data),
            ),
        )
        return version

    def _refuse(self, name: str, changes: list[Change], by: str, lost: _Refused) -> NoReturn:
        """Keep every refused body as a conflict copy and say who won, in one line."""
        kind, key, base = lost.change.kind, lost.change.key, lost.change.base
        with self.conn.transaction():
            copies = []
            for c in changes:
                row = self.conn.execute(
                    "INSERT INTO pasteup_conflict (edition, kind, key, base, body, saved_by) "
                    "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                    (name, c.kind, c.key, c.base, None if c.data is None else Json(c.data), by),
                ).fetchone()
                assert row is not None  # RETURNING gives the row inserted
                copies.append(f"#{row[0]}")
            last = self.conn.execute(
                "SELECT version, saved_by, saved_at FROM pasteup_version "
                "WHERE edition = %s AND kind = %s AND key = %s ORDER BY version DESC LIMIT 1",
                (name, kind, key),
            ).fetchone()
        current, who, when = last if last else (0, "?", None)
        at = when.astimezone().strftime("%H:%M:%S") if when else "?"
        copy = ", ".join(copies)
        if lost.held:
            raise SaveConflict(
                f"{name} {kind} {key}: 保存被拒绝：{lost.held} 正在编辑；您的修改已另存为冲突副本 "
                f"{copy} (save refused: locked by {lost.held}; your changes are kept as conflict "
                f"copy {copy})",
                current=current,
                copy=copy,
            )
        raise SaveConflict(
            f"{name} {kind} {key}: 保存被拒绝：您打开的是第 {base} 版，{who} 已于 {at} 保存了第 "
            f"{current} 版；您的修改已另存为冲突副本 {copy} (save refused: {who} saved version "
            f"{current} since your version {base}; your changes are kept as conflict copy {copy})",
            current=current,
            copy=copy,
        )

    def history(self, name: str, kind: str, key: str) -> list[Version]:
        with self.conn.transaction():
            rows = self.conn.execute(
                "SELECT version, saved_by, saved_at, summary FROM pasteup_version "
                "WHERE edition = %s AND kind = %s AND key = %s ORDER BY version",
                (name, kind, key),
            ).fetchall()
        if not rows:
            raise PasteupError(
                f"{where(self.url)} {name}: 没有记录 {kind} {key!r} (no such record)"
            )
        return [Version(*row) for row in rows]

    def version(self, name: str, kind: str, key: str, version: int) -> Any:
        with self.conn.transaction():
            row = self.conn.execute(
                "SELECT body FROM pasteup_version "
                "WHERE edition = %s AND kind = %s AND key = %s AND version = %s",
                (name, kind, key, version),
            ).fetchone()
        if row is None:
            raise PasteupError(
                f"{where(self.url)} {name}: {kind} {key!r} 没有第 {version} 版 (no such version)"
            )
        return row[0]

    def restore(
        self, name: str, kind: str, key: str, version: int, by: str, token: str = ""
    ) -> int:
        """Make an old version current again: as a new version, so nothing after it is lost.
        `token` is the restorer's lock of the record, as for `save`."""
        data = self.version(name, kind, key, version)
        head = self.history(name, kind, key)[-1].version
        return self.save(name, kind, key, data, head, by, token)

    def conflicts(self, name: str) -> list[Copy]:
        """The edition's conflict copies, oldest first."""
        with self.conn.transaction():
            rows = self.conn.execute(
                "SELECT id, kind, key, base, saved_by, saved_at, body, applied "
                "FROM pasteup_conflict WHERE edition = %s ORDER BY id",
                (name,),
            ).fetchall()
        return [Copy(*row) for row in rows]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe(kind: str, old: Any, new: Any) -> str:
    """What a save changed, in a line for the history."""
    if old is None:
        return "新建 (new)"
    if new is None:
        return "删除 (removed)"
    if kind == "page":
        before = {b["id"]: b for b in old.get("blocks", [])}
        after = {b["id"]: b for b in new.get("blocks", [])}
        added = [i for i in after if i not in before]
        removed = [i for i in before if i not in after]
        changed = [i for i in after if i in before and after[i] != before[i]]
        parts = [
            f"+{', '.join(added)}" if added else "",
            f"−{', '.join(removed)}" if removed else "",
        ]
        parts.append(f"~{', '.join(changed)}" if changed else "")
        text = " ".join(p for p in parts if p)
        return f"文框 (blocks) {text}" if text else "版面设置 (page settings)"
    if kind == "story":
        a, b = old.get("paragraphs", []), new.get("paragraphs", [])
        count = sum(1 for x, y in zip(a, b, strict=False) if x != y) + abs(len(a) - len(b))
        return f"{count} 段改动 (paragraphs changed)"
    if kind == "status" and new:
        return f"{new[-1].get('stage', '')}"
    return "改动 (changed)"
