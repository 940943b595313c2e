"""The team store in the main window: `pasteup open URL EDITION`, 接管此版, 版本历史, and what
the window says when a save lost a race, a re-apply left something unmerged, others changed the
plan under unsaved edits, or the journal was saved after an outage (docs/store.md)."""

from __future__ import annotations

import getpass
import hashlib

import psycopg

from app.editor.edition.store_workspace import StoreWorkspace
from app.editor.i18n import tr
from app.errors import PasteupError
from app.fonts.filehash import cache_dir


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
    workspace.ask_conflict = window.prompts.save_conflict
    workspace.reapplied.connect(lambda unmerged: _say_unmerged(window, unmerged))
    workspace.stale_conflict.connect(lambda clash: _offer_reload(window, workspace, clash))
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
    """The page shown changed hands: 接管此版 and the title follow (the status bar and the
    greyed panels follow the session: app.editor.window.read_only)."""
    window.actions_by_name["take_over"].setEnabled(bool(holder))
    if window.workspace is workspace:
        window._update_title()


def _say_synced(window, results: dict) -> None:
    """The journal saved after an outage: how many landed, how many were kept as copies."""
    kept = [r for r in results.values() if isinstance(r, PasteupError)]
    saved = len(results) - len(kept)
    message = f"服务器已恢复：{saved} 项修改已保存 (server back: {saved} saved)"
    if kept:
        message += (
            f"；{len(kept)} 项与他人修改冲突，已另存副本，保存时可在新版本上重做 ({len(kept)} "
            "kept as conflict copies; saving offers to re-apply them on the new version)"
        )
        window.prompts.error("冲突", "\n".join(str(r) for r in kept))
    window.status.flash(message)


def _say_unmerged(window, unmerged: list) -> None:
    """After 在新版本上重做: what kept the saved side (the user's is in the conflict copy)."""
    lines = [f"{kind} {key}: {conflict}" for kind, key, conflict in unmerged]
    window.prompts.report(
        "在新版本上重做",
        tr("以下修改未能合并，保留了他人已保存的内容（您的修改在冲突副本中）：")
        + "\n"
        + "\n".join(lines),
    )


def _offer_reload(window, workspace: StoreWorkspace, clash: list) -> None:
    """Others changed the plan or a grid under this window's unsaved edits of the same
    records: say so, and re-read the edition only if the user says yes."""
    records = "、".join(f"{kind} {key}".strip() for kind, key in clash)
    window.status.flash(tr("他人已修改 {records}，与您未保存的修改冲突", records=records))
    if window.prompts.reload_edition(records):
        workspace.reload(force=True)
