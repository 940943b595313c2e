"""The main window: canvas in the middle, panels docked around it, menus and toolbar.

The window wires one `Session` (document, undo, layout, selection) to its widgets;
opening another page builds a fresh session and fresh widgets for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStackedWidget, QToolBar, QWidget

from app.editor import settings
from app.editor.canvas.page_canvas import PageCanvas
from app.editor.canvas.resources import PaintResources
from app.editor.commands.actions import EditActions
from app.editor.commands.editing import CREATABLE
from app.editor.commands.proof import ProofActions
from app.editor.dialogs.prompts import Prompts
from app.editor.dialogs.proof import ProofPrompts
from app.editor.document.autosave import Autosave, find_recovery
from app.editor.document.composition import Compose
from app.editor.document.session import Session
from app.editor.edition import window as edition_window
from app.editor.i18n import language, set_language, tr
from app.editor.panels.corrections import CorrectionsPanel
from app.editor.panels.inspector import Inspector
from app.editor.panels.layers import LayersPanel
from app.editor.panels.preflight import PreflightPanel
from app.editor.panels.story_editor import StoryEditor
from app.editor.panels.styles import StylesPanel
from app.editor.window import read_only
from app.editor.window.menus import build_menus
from app.editor.window.qt_translations import install_qt_translations
from app.editor.window.statusbar import StatusBar
from app.errors import PasteupError
from app.model import PageDocument, PageMeta, load_layout
from app.model.blocks import KIND_NAMES

DEFAULT_LAYOUT = "broadsheet-8col"
# The canvas keeps at least this share of the window; a saved state that leaves it less is
# broken (docks grown over it) and is replaced by the default arrangement.
MIN_CANVAS_SHARE = 0.3


def blank_document() -> PageDocument:
    return PageDocument(
        meta=PageMeta(),
        layout=load_layout(DEFAULT_LAYOUT),
        style_overrides={},
        stories={},
        blocks=[],
    )


class MainWindow(QMainWindow):
    def __init__(self, compose: Compose | None = None, prompts: Prompts | None = None):
        super().__init__()
        self.compose = compose
        self.prompts = prompts or Prompts(self)
        self.proof_prompts = ProofPrompts(self)
        self.resources = PaintResources()
        install_qt_translations(language())
        self.session: Session | None = None
        self.autosave: Autosave | None = None
        self._translatable: list[tuple[object, str]] = []  # (action or menu or dock, Chinese)
        self.docks: dict[str, QDockWidget] = {}
        for name, title in (
            ("layers", "图层"),
            ("inspector", "属性"),
            ("story", "稿件编辑"),
            ("preflight", "预检结果"),
            ("corrections", "校对意见"),
            ("styles", "样式"),
        ):
            dock = QDockWidget(self)
            dock.setObjectName(f"dock-{name}")
            self.docks[name] = dock
            self._translatable.append((dock, title))
        self._place_docks()
        # One central widget for the window's life: replacing the central widget of a shown
        # window lets the docks take its room (the canvas collapsed to a strip on File→Open).
        self.center = QStackedWidget(self)
        self.setCentralWidget(self.center)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.tool_actions: dict[str, QAction] = {}
        self.actions_by_name: dict[str, QAction] = {}
        build_menus(self)
        edition_window.install_menu(self)
        self._build_toolbar()
        self._install(Session(blank_document(), compose))
        self.restore_layout()
        self.retranslate()

    # -- sessions -------------------------------------------------------------------------------
    def install_session(self, session: Session) -> None:
        """Show `session` (a page just made or opened) in this window."""
        edition_window.leave(self)
        self._install(session)

    def _install(self, session: Session, keep_previous: bool = False) -> None:
        """Wire `session` to fresh widgets; the previous session is closed unless it is another
        page of the open edition (`keep_previous`), which keeps its undo history."""
        if self.session is not None and not keep_previous:
            self.session.close()
        if self.autosave is not None:
            self.autosave.timer.stop()
            self.autosave.deleteLater()
        self.session = session
        self.edit = EditActions(session)
        self.canvas = PageCanvas(session, self.edit, self.resources)
        self.canvas.show_grid = self.actions_by_name["grid"].isChecked()
        self.canvas.show_outlines = self.actions_by_name["outlines"].isChecked()
        old = self.center.currentWidget()
        self.center.addWidget(self.canvas)
        self.center.setCurrentWidget(self.canvas)
        if old is not None:
            self.center.removeWidget(old)
            old.deleteLater()
        self.layers = LayersPanel(session)
        self.inspector = Inspector(session, self.edit)
        self.story_editor = StoryEditor(session, self.edit)
        self.preflight = PreflightPanel(session)
        self.styles = StylesPanel(session)
        self.proof_actions = ProofActions(session)
        self.corrections = CorrectionsPanel(
            session, self.proof_actions, self.canvas, self.proof_prompts
        )
        self.corrections.message.connect(self.status.flash)
        self.inspector.problem.connect(lambda text: self.prompts.error("属性", text))
        self.layers.rename = self.edit.rename
        self.layers.problem = lambda text: self.prompts.error("图层", text)
        self.corrections.problem.connect(lambda text: self.prompts.error("校对意见", text))
        for name, widget in (
            ("layers", self.layers),
            ("inspector", self.inspector),
            ("story", self.story_editor),
            ("preflight", self.preflight),
            ("corrections", self.corrections),
            ("styles", self.styles),
        ):
            previous = self.docks[name].widget()
            self.docks[name].setWidget(widget)
            if previous is not None:
                previous.deleteLater()
        self.autosave = Autosave(
            session, settings.recovery_dir(), settings.get(settings.AUTOSAVE_SECONDS), self
        )
        self.autosave.saved.connect(lambda _: self.status.flash(tr("已自动保存")))
        self.status.attach(session, self.canvas)
        self.canvas.message.connect(self.status.flash)
        self.canvas.ask_image = lambda: self.prompts.image_path(settings.get(settings.LAST_FOLDER))
        self.inspector.ask_image = self.canvas.ask_image
        self.canvas.tool_changed.connect(lambda name: self.tool_actions[name].setChecked(True))
        session.compose_failed.connect(
            lambda m: self.status.flash(tr("排版出错：{message}", message=m))
        )
        session.refused.connect(
            lambda holder: self.status.flash(tr("{holder} 正在编辑此版，只读", holder=holder))
        )
        read_only.follow(self, session)
        session.undo_stack.cleanChanged.connect(lambda _: self._update_title())
        session.undo_stack.indexChanged.connect(lambda _: self._update_undo_actions())
        self._update_undo_actions()
        self._update_title()
        if session.compose_error:
            self.status.flash(tr("排版出错：{message}", message=session.compose_error))

    def open_path(self, path: Path) -> bool:
        """Open a page, offering its recovery file if a crash left one. False if it failed."""
        path = Path(path)
        if (folder := edition_window.edition_path(path)) is not None:
            return edition_window.open_edition(self, folder)
        recovery = find_recovery(settings.recovery_dir(), path.resolve())
        try:
            if recovery is not None and self.prompts.recover(path.name, recovery.saved):
                session = Session(recovery.load(), self.compose)
                session.undo_stack.resetClean()  # recovered work is unsaved work
            else:
                if recovery is not None:
                    recovery.file.unlink(missing_ok=True)
                session = Session.open(path, self.compose)
        except PasteupError as error:
            self.prompts.error("无法打开", str(error))
            return False
        edition_window.leave(self)
        self._install(session)
        settings.put(settings.LAST_FOLDER, str(path.resolve().parent))
        return True

    def offer_untitled_recovery(self) -> None:
        recovery = find_recovery(settings.recovery_dir(), None)
        if recovery is None:
            return
        if self.prompts.recover(tr("未命名"), recovery.saved):
            try:
                session = Session(recovery.load(), self.compose)
            except PasteupError as error:
                self.prompts.error("无法打开", str(error))
                return
            session.undo_stack.resetClean()
            self._install(session)
        recovery.file.unlink(missing_ok=True)

    def show_corrections(self) -> None:
        dock = self.docks["corrections"]
        dock.show()
        dock.raise_()

    # -- file actions ---------------------------------------------------------------------------
    def action_open(self) -> None:
        if not self.maybe_save():
            return
        path = self.prompts.open_path(settings.get(settings.LAST_FOLDER))
        if path is not None:
            self.open_path(path)

    def action_save(self) -> bool:
        if self.workspace is not None:
            return edition_window.save(self)
        if self.session.document.path is None:
            return self.action_save_as()
        return self._save(None)

    def action_save_as(self) -> bool:
        current = self.session.document.path
        path = self.prompts.save_path(str(current or "page.json"), "版面文件 (*.json)")
        if path is None:
            return False
        return self._save(path)

    def _save(self, path: Path | None) -> bool:
        old = self.session.document.path
        try:
            saved = self.session.save(path)
        except PasteupError as error:
            self.prompts.error("无法保存", str(error))
            return False
        if path is not None and old != saved:
            self.autosave.retarget(old)
        self.autosave.discard()
        self.status.flash(tr("已保存 {path}", path=saved))
        self._update_title()
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if self.session is None:
            return True
        modified = self.workspace.modified if self.workspace is not None else self.session.modified
        if not modified:
            return True
        answer = self.prompts.save_changes(self._name())
        if answer == "save":
            return self.action_save()
        if answer == "discard":
            self.autosave.discard()
            return True
        return False

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.save_layout()
        self.autosave.timer.stop()
        self.session.close()
        if self.workspace is not None:
            self.workspace.close()
        event.accept()

    # -- window state -----------------------------------------------------------------------------
    def save_layout(self) -> None:
        settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
        if self.canvas_has_room():
            settings.put(settings.WINDOW_STATE, self.saveState())
        settings.put(settings.SHOW_GRID, self.canvas.show_grid)
        settings.put(settings.SHOW_OUTLINES, self.canvas.show_outlines)

    def restore_layout(self) -> None:
        geometry = settings.get(settings.WINDOW_GEOMETRY)
        if geometry.isEmpty():
            self.resize(1400, 900)
        else:
            self.restoreGeometry(geometry)
        state = settings.get(settings.WINDOW_STATE)
        if not state.isEmpty() and self.restoreState(state):
            QTimer.singleShot(0, self._check_restored_layout)
            return
        self._default_sizes()

    def _place_docks(self) -> None:
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.docks["layers"])
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.docks["inspector"])
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.docks["story"])
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.docks["preflight"])
        self.tabifyDockWidget(self.docks["preflight"], self.docks["corrections"])
        self.docks["preflight"].raise_()
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.docks["styles"])
        self.tabifyDockWidget(self.docks["inspector"], self.docks["styles"])
        self.docks["inspector"].raise_()

    def _check_restored_layout(self) -> None:
        if self.isVisible() and not self.canvas_has_room():
            self.reset_layout()

    def canvas_has_room(self) -> bool:
        """Whether the canvas has its share of the window (checked when a state is restored)."""
        if not self.isVisible():
            return True
        share = MIN_CANVAS_SHARE
        return (
            self.center.width() >= share * self.width()
            and self.center.height() >= share * self.height()
        )

    def reset_layout(self) -> None:
        """视图 → 重置窗口布局: every dock and toolbar back where a fresh install puts it."""
        for dock in self.docks.values():
            self.removeDockWidget(dock)  # placing a placed dock again splits its tab group
        self._place_docks()
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.docks["preflight"].raise_()
        self.docks["inspector"].raise_()
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.show()
        self._default_sizes()

    def _default_sizes(self) -> None:
        self.resizeDocks([self.docks["layers"]], [220], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.docks["inspector"], self.docks["story"]], [380, 380], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["inspector"], self.docks["story"]], [220, 560], Qt.Orientation.Vertical
        )
        self.resizeDocks([self.docks["preflight"]], [180], Qt.Orientation.Vertical)

    def _name(self) -> str:
        path = self.session.document.path
        return path.name if path else tr("未命名")

    def _update_title(self) -> None:
        name = edition_window.title(self) or self._name()
        self.setWindowTitle(f"{name}[*] — {tr('Pasteup 版面编辑')}")
        self.setWindowModified(self.session.modified)

    def _update_undo_actions(self) -> None:
        stack = self.session.undo_stack
        undo, redo = self.actions_by_name["undo"], self.actions_by_name["redo"]
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        undo.setText(
            tr("撤销 {action}", action=stack.undoText()) if stack.canUndo() else tr("撤销")
        )
        redo.setText(
            tr("重做 {action}", action=stack.redoText()) if stack.canRedo() else tr("重做")
        )

    # -- toolbar ----------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = self.toolbar = QToolBar(self)
        bar.setObjectName("toolbar-tools")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self._translatable.append((bar, "工具"))
        group = QActionGroup(self)
        for name in ("select", *CREATABLE):
            action = QAction(self)
            action.setCheckable(True)
            action.setChecked(name == "select")
            action.triggered.connect(lambda _=False, n=name: self.set_tool(n))
            group.addAction(action)
            bar.addAction(action)
            self.tool_actions[name] = action
            self._translatable.append((action, "选择" if name == "select" else KIND_NAMES[name]))
        shortcuts = {"select": "V", "article": "T", "photo": "F", "rule": "L", "box": "M"}
        for name, key in shortcuts.items():
            self.tool_actions[name].setShortcut(QKeySequence(key))

    def set_tool(self, name: str) -> None:
        self.canvas.set_tool(name)

    # -- language ---------------------------------------------------------------------------------
    def switch_language(self, code: str) -> None:
        set_language(code)
        install_qt_translations(code)
        settings.put(settings.LANGUAGE, code)
        self.retranslate()

    def retranslate(self) -> None:
        for target, text in self._translatable:
            if isinstance(target, QDockWidget | QToolBar):
                target.setWindowTitle(tr(text))
            elif isinstance(target, QWidget):  # menus
                target.setTitle(tr(text))
            else:
                target.setText(tr(text))
        for panel in (
            self.layers,
            self.inspector,
            self.story_editor,
            self.preflight,
            self.corrections,
        ):
            panel.retranslate()
        edition_window.retranslate(self)
        self.status.retranslate()
        self._update_undo_actions()
        self._update_title()
        self.actions_by_name["zh"].setChecked(language() == "zh_CN")
        self.actions_by_name["en"].setChecked(language() == "en")
