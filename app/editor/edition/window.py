"""The edition in the main window: the 版期 menu, opening an edition on its first page with the
navigator docked beside the canvas, switching pages, continuing a story onto another page.

The main window calls these few functions (its hooks are one line each), so the window stays a
page editor and everything edition-shaped lives here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFileDialog, QInputDialog, QWidget

from app.editor.edition.navigator import PageNavigator
from app.editor.edition.overset_drag import OversetDrag
from app.editor.edition.plan_panel import PlanPanel
from app.editor.edition.workspace import EditionWorkspace
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model.editionfile import EDITION_FILE, is_edition


class EditionPrompts:
    """The edition's questions (tests give the window scripted ones)."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def edition_folder(self, folder: str) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self.parent, tr("打开版期"), folder)
        return Path(chosen) if chosen else None

    def page_name(self) -> str | None:
        name, ok = QInputDialog.getText(self.parent, tr("加版"), tr("版名："))
        return name.strip() if ok else None

    def ad_booking(self) -> tuple[Path, str, str, str] | None:
        """(file, '4x24', '4,80', advertiser) for a new ad slot, or None."""
        chosen, _ = QFileDialog.getOpenFileName(
            self.parent, tr("广告文件"), "", "Ads (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"
        )
        if not chosen:
            return None
        slot, ok = QInputDialog.getText(
            self.parent, tr("订广告…"), tr("栏×行 @ 起始栏,行："), text="4x24 @ 0,80"
        )
        if not ok:
            return None
        size, _, at = slot.partition("@")
        advertiser, ok = QInputDialog.getText(self.parent, tr("订广告…"), tr("广告主："))
        return (Path(chosen), size.strip(), at.strip(), advertiser.strip()) if ok else None

    def choose_page(self, labels: list[str]) -> int | None:
        label, ok = QInputDialog.getItem(
            self.parent, tr("转版"), tr("续转到哪一版："), labels, 0, False
        )
        return labels.index(label) if ok and label in labels else None


def edition_path(path: Path) -> Path | None:
    """The edition folder `path` names (the folder or its edition.json), else None."""
    path = Path(path)
    if path.name == EDITION_FILE and path.is_file():
        return path.parent
    return path if is_edition(path) else None


def install_menu(window) -> None:
    """The 版期 menu: open an edition, continue a story onto another page."""
    window.workspace = None
    window.navigator = None
    window.edition_prompts = EditionPrompts(window)
    menu = window.menuBar().addMenu("")
    window._translatable.append((menu, "版期(&D)"))
    from PySide6.QtGui import QAction

    for name, text, slot in (
        ("open_edition", "打开版期…", lambda: action_open_edition(window)),
        ("continue_story", "续转到另一版…", lambda: action_continue_story(window)),
        ("take_over", "接管此版…", lambda: _store_action(window, "action_take_over")),
        ("history", "版本历史…", lambda: _store_action(window, "action_history")),
    ):
        action = QAction(window)
        action.triggered.connect(lambda _=False, s=slot: s())
        window.actions_by_name[name] = action
        window._translatable.append((action, text))
        menu.addAction(action)
    window.actions_by_name["continue_story"].setEnabled(False)
    window.actions_by_name["take_over"].setEnabled(False)  # a database page someone else holds
    window.actions_by_name["history"].setEnabled(False)  # a database edition


def _store_action(window, name: str) -> None:
    """The team store's actions (its module loads psycopg: only when one is used)."""
    from app.editor.edition import store_window

    getattr(store_window, name)(window)


def open_edition(window, folder: Path) -> bool:
    """Open the edition on its first page, the navigator docked on the left."""
    try:
        workspace = EditionWorkspace.open(folder)
    except PasteupError as error:
        window.prompts.error("无法打开", str(error))
        return False
    return show_workspace(window, workspace)


def show_workspace(window, workspace: EditionWorkspace) -> bool:
    """Show an open edition (from its folder or the team store) on its first page."""
    if window.workspace is not None:
        window.workspace.close()
    window.workspace = workspace
    window._install(workspace.session(workspace.current))
    OversetDrag(window.canvas)
    navigator = PageNavigator(workspace, window.resources)
    navigator.page_chosen.connect(lambda page_id: switch_page(window, page_id))
    navigator.continue_requested.connect(lambda b, p: continue_story(window, b, p))
    plan = PlanPanel(workspace, lambda: window.edition_prompts)
    plan.problem.connect(lambda text: window.prompts.error("版面计划", text))
    workspace.plan_changed.connect(lambda: _after_plan_change(window))
    _dock(window, "pages", "版面导航", navigator)
    _dock(window, "plan", "版面计划", plan)
    window.navigator = navigator
    window.plan_panel = plan
    window.actions_by_name["continue_story"].setEnabled(True)
    window._update_title()
    return True


def _dock(window, name: str, title: str, widget: QWidget) -> None:
    """Put `widget` in the window's dock `name`, made on first use (left side)."""
    dock = window.docks.get(name)
    if dock is None:
        dock = window.docks[name] = QDockWidget(window)
        dock.setObjectName(f"dock-{name}")
        window._translatable.append((dock, title))
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        dock.setWindowTitle(tr(title))
    previous = dock.widget()
    dock.setWidget(widget)
    if previous is not None:
        previous.deleteLater()
    dock.show()


def _after_plan_change(window) -> None:
    """The page shown may have been removed, and every number may have moved."""
    workspace = window.workspace
    if window.session not in workspace.sessions.values():
        window._install(workspace.switch(workspace.current), keep_previous=True)
        OversetDrag(window.canvas)
    window._update_title()


def leave(window) -> None:
    """A plain page is opened: the edition closes with its navigator."""
    if window.workspace is None:
        return
    window.session = None  # the edition's pages close with it, not one by one
    window.workspace.close()
    window.workspace = None
    window.docks["pages"].hide()
    window.docks["plan"].hide()
    window.actions_by_name["continue_story"].setEnabled(False)
    window.actions_by_name["take_over"].setEnabled(False)
    window.actions_by_name["history"].setEnabled(False)


def switch_page(window, page_id: str) -> None:
    """Show another page; every page keeps its own session and undo history."""
    workspace = window.workspace
    if workspace is None or page_id == workspace.current:
        return
    window._install(workspace.switch(page_id), keep_previous=True)
    OversetDrag(window.canvas)


def retranslate(window) -> None:
    if window.workspace is not None:
        window.navigator.retranslate()
        window.plan_panel.retranslate()


def title(window) -> str | None:
    return window.workspace.title() if window.workspace is not None else None


def save(window) -> bool:
    try:
        window.workspace.save()
    except PasteupError as error:
        window.prompts.error("无法保存", str(error))
        return False
    window.autosave.discard()
    window.status.flash(tr("已保存 {path}", path=window.workspace.edition.path))
    window._update_title()
    return True


def action_open_edition(window) -> None:
    if not window.maybe_save():
        return
    folder = window.edition_prompts.edition_folder("")
    if folder is not None:
        open_edition(window, folder)


def action_continue_story(window) -> None:
    """Continue the selected text block's story onto a page the user picks."""
    workspace = window.workspace
    if workspace is None:
        return
    blocks = window.session.selected_blocks()
    if len(blocks) != 1:
        window.status.flash(tr("先选中一个文字块"))
        return
    others = [p for p in workspace.edition.pages if p.id != workspace.current]
    choice = window.edition_prompts.choose_page([f"{p.label} {p.name}" for p in others])
    if choice is not None:
        continue_story(window, blocks[0].id, others[choice].id)


def continue_story(window, block_id: str, page_id: str) -> None:
    """Continue the current page's block `block_id` on page `page_id` and show it there."""
    workspace = window.workspace
    if page_id == workspace.current:
        return
    try:
        new_id = workspace.continue_story(block_id, page_id)
    except PasteupError as error:
        window.prompts.error("转版", str(error))
        return
    switch_page(window, page_id)
    window.session.select([new_id])
    window.status.flash(tr("已转到{page}", page=workspace.page(page_id).label))
