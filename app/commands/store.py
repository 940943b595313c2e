"""`pasteup db init URL` and `pasteup edition push|pull|history|restore`: the team store.

The URL is libpq's (`postgresql://user@host:port/db`); a password comes from the URL, the
environment (PGPASSWORD) or ~/.pgpass, never from Pasteup. Exit status as everywhere: 0 done,
1 refused (a save that lost a race: its changes are kept as a conflict copy), 2 bad input.
"""

from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.work import BY_HELP, LockRefused, database_errors, open_database_edition, who
from app.errors import PasteupError

if TYPE_CHECKING:
    from app.model.store.postgres import PostgresStore


def register(subparsers) -> None:
    db = subparsers.add_parser("db", help="团队数据库 (the team's PostgreSQL store)")
    sub = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    init = sub.add_parser("init", help="建立或升级数据库结构 (create or migrate the schema)")
    init.add_argument("url", help="postgresql://user@host:port/db")
    init.set_defaults(func=run_init)


def register_edition(sub) -> None:
    """The store's subcommands of `pasteup edition` (app/commands/edition.py calls this)."""
    by = {"default": "", "help": BY_HELP}
    push = sub.add_parser("push", help="版期目录存入数据库 (store an edition folder)")
    push.add_argument("folder", type=Path)
    push.add_argument("url")
    push.add_argument("--as", dest="name", help="库中的版期名 (default: the folder's name)")
    push.add_argument("--by", **by)
    push.add_argument("--json", action="store_true")
    push.set_defaults(func=run_push)

    pull = _on_database(sub, "pull", help="从数据库取出版期目录 (write an edition as a folder)")
    pull.add_argument("folder", type=Path)
    pull.set_defaults(func=run_pull)

    history = _on_database(sub, "history", help="记录的版本 (versions of a record)")
    history.add_argument("record", help="page:p3, story:ID, proof:p3, status:p3 or plan")
    history.add_argument("--json", action="store_true")
    history.set_defaults(func=run_history)

    restore = _on_database(sub, "restore", help="恢复旧版本 (make an old version current)")
    restore.add_argument("record")
    restore.add_argument("version", type=int)
    restore.add_argument("--by", **by)
    restore.set_defaults(func=run_restore)

    locks = _on_database(sub, "locks", help="谁在编辑什么 (who holds which page or story)")
    locks.add_argument("--json", action="store_true")
    locks.set_defaults(func=run_locks)

    board = _on_database(sub, "board", help="各版进度与编辑锁 (every page: stage and who holds it)")
    board.add_argument("--json", action="store_true")
    board.set_defaults(func=run_board)

    sync = _on_database(
        sub,
        "sync",
        help="断线时记入本地日志的修改存入数据库 (save what an outage left in the journal)",
    )
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(func=run_sync)

    conflicts = _on_database(sub, "conflicts", help="被拒绝保存的冲突副本 (refused saves, kept)")
    conflicts.add_argument("--json", action="store_true")
    conflicts.add_argument(
        "--apply",
        type=int,
        metavar="N",
        help="在当前版本上重新应用冲突副本 #N (re-apply copy N on the current version)",
    )
    conflicts.add_argument("--by", **by)
    conflicts.set_defaults(func=run_conflicts)


def _on_database(sub, name: str, help: str):
    """A subcommand on an edition in the team store: its first arguments are URL EDITION."""
    parser = sub.add_parser(name, help=help)
    parser.add_argument("url")
    parser.add_argument("edition")
    return parser


def _database(run):
    """A database error that reaches a command is one line naming the server, not a traceback."""

    @functools.wraps(run)
    def wrapped(args) -> int:
        with database_errors(args.url):
            return run(args)

    return wrapped


def _url(text: str) -> str:
    from app.model.store import is_url

    if not is_url(text):
        raise PasteupError(f"{text}: 不是数据库地址 (expected a postgresql:// URL)")
    return text


def _store(url: str, *, checked: bool = True):
    from app.model.store.postgres import PostgresStore

    store = PostgresStore(_url(url))
    if checked:
        store.check_schema()
    return store


def _record(text: str) -> tuple[str, str]:
    from app.model.store.records import KINDS

    kind, _, key = text.partition(":")
    if kind not in KINDS or (kind == "plan") != (key == ""):
        raise PasteupError(f"{text}: 记录写作 page:p3、story:ID、proof:p3、status:p3 或 plan")
    return kind, key


@_database
def run_init(args) -> int:
    from app.model.store.schema import MIGRATIONS

    with _store(args.url, checked=False) as store:
        applied = store.init()
    if applied:
        print(f"数据库结构已升级到第 {len(MIGRATIONS)} 版 (applied migrations {applied})")
    else:
        print(f"数据库结构已是第 {len(MIGRATIONS)} 版 (schema up to date)")
    return 0


@_database
def run_push(args) -> int:
    from app.model.editionfile import read_edition

    edition = read_edition(args.folder)
    name = args.name or Path(args.folder).resolve().name
    with _store(args.url) as store:
        counts = store.push(edition, name, who(args.by))
    if args.json:
        print(json.dumps({"edition": name, **counts}, ensure_ascii=False))
    else:
        print(
            f"{name}: 新建 {counts['new']}，更新 {counts['changed']}，未变 {counts['unchanged']}，"
            f"删除 {counts['removed']} 条记录；图片 {counts['pictures']} 个"
        )
    return 0


@_database
def run_pull(args) -> int:
    folder = Path(args.folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PasteupError(f"{folder}: 目录已存在且不为空 (exists and is not empty; not touched)")
    with _store(args.url) as store:
        edition = store.pull(args.edition, folder)
    print(f"{folder}: {len(edition.pages)} 版，{len(edition.stories)} 篇稿件")
    return 0


@_database
def run_history(args) -> int:
    kind, key = _record(args.record)
    with _store(args.url) as store:
        versions = store.history(args.edition, kind, key)
    if args.json:
        rows = [
            {"version": v.version, "by": v.by, "at": v.at.isoformat(), "summary": v.summary}
            for v in versions
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for v in versions:
        print(f"{v.version:>4}  {v.at.astimezone():%Y-%m-%d %H:%M:%S}  {v.by}  {v.summary}")
    return 0


@_database
def run_restore(args) -> int:
    kind, key = _record(args.record)
    with _store(args.url) as store:
        version = store.restore(args.edition, kind, key, args.version, who(args.by))
    print(f"{args.record}: 第 {args.version} 版已恢复为第 {version} 版 (restored as {version})")
    return 0


@_database
def run_locks(args) -> int:
    from app.model.store.live import holders

    with _store(args.url) as store:
        store.records(args.edition)  # a missing edition is one line
        locks = holders(store, args.edition)
    rows = [
        {"record": f"{lock.kind}:{lock.key}", "holder": lock.holder, "host": lock.host,
         "since": lock.since.isoformat(), "expires": lock.expires.isoformat()}
        for lock in locks
    ]  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for lock in locks:
        print(
            f"{lock.kind}:{lock.key}  {lock.holder}（{lock.host}）自 {lock.since.astimezone():%H:%M}"
        )
    return 0


@_database
def run_sync(args) -> int:
    """The records a command or the editor kept in the edition's work-folder journal while the
    server was away, saved (`Checkout.sync`): each a new version when nothing changed meanwhile,
    else a conflict copy (exit 1; `edition conflicts --apply` re-applies it)."""
    from app.model.store import SaveConflict

    with _store(args.url) as store:
        results = open_database_edition(store, args.edition).sync()
    rows = [
        {"record": f"{kind}:{key}".rstrip(":")}
        | ({"copy": r.copy, "message": str(r)} if isinstance(r, SaveConflict) else {"version": r})
        for (kind, key), r in results.items()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    elif not rows:
        print(f"{args.edition}: 本地日志为空，无需保存 (nothing in the journal)")
    else:
        for row in rows:
            if "copy" in row:
                print(row["message"])
            else:
                print(
                    f"{row['record']}: 已保存为第 {row['version']} 版 (saved as {row['version']})"
                )
    return 1 if any("copy" in row for row in rows) else 0


@_database
def run_conflicts(args) -> int:
    """The conflict copies; with --apply, one re-applied on the current version under the
    record's lock (app.model.store.reapply)."""
    with _store(args.url) as store:
        store.records(args.edition)
        if args.apply is not None:
            return _reapply(store, args)
        rows = store.conflicts(args.edition)
    if args.json:
        out = [
            {"copy": c.id, "record": f"{c.kind}:{c.key}".rstrip(":"), "base": c.base,
             "by": c.by, "at": c.at.isoformat(), "applied": c.applied}
            for c in rows
        ]  # fmt: skip
        print(json.dumps(out, ensure_ascii=False))
        return 0
    for c in rows:
        applied = f"  已重新应用为第 {c.applied} 版" if c.applied is not None else ""
        record = f"{c.kind}:{c.key}".rstrip(":")
        print(
            f"#{c.id}  {record}  基于第 {c.base} 版  {c.by}  "
            f"{c.at.astimezone():%Y-%m-%d %H:%M:%S}{applied}"
        )
    return 0


def _reapply(store: PostgresStore, args: argparse.Namespace) -> int:
    from app.model.store.live import LockHeld, release, take
    from app.model.store.reapply import reapply

    copy = next((c for c in store.conflicts(args.edition) if c.id == args.apply), None)
    if copy is None:
        raise PasteupError(f"{args.edition}: 没有冲突副本 #{args.apply} (no such copy)")
    by = who(args.by)
    try:
        lock = take(store, args.edition, copy.kind, copy.key, by)
    except LockHeld as held:
        raise LockRefused(held.lock) from None
    try:
        version = reapply(store, args.edition, copy.id, by, lock.token)
    finally:
        release(store, lock)
    record = f"{copy.kind}:{copy.key}".rstrip(":")
    print(f"{record}: 冲突副本 #{copy.id} 已重新应用为第 {version} 版 (re-applied as {version})")
    return 0


@_database
def run_board(args) -> int:
    """The desk's board: every page in plan order with its stage, who moved it, who holds it."""
    from app.model.edition import STAGES
    from app.model.store.live import holders

    with _store(args.url) as store:
        records = store.records(args.edition)
        locks = {(lock.kind, lock.key): lock for lock in holders(store, args.edition)}
    rows = []
    for entry in records[("plan", "")][1]["pages"]:
        history = records.get(("status", entry["id"]), (0, []))[1]
        last = history[-1] if history else {}
        lock = locks.get(("page", entry["id"]))
        rows.append({"number": entry["number"], "id": entry["id"], "name": entry.get("name", ""),
                     "stage": last.get("stage", STAGES[0]), "by": last.get("by", ""),
                     "holder": lock.holder if lock else "", "host": lock.host if lock else ""})  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        held = f"  {row['holder']}（{row['host']}）编辑中" if row["holder"] else ""
        print(f"第{row['number']}版 {row['name']:<4} {row['stage']} {row['by']}{held}".rstrip())
    return 0
