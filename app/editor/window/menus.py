"""The window's menus and shortcuts, declared as data: (name, Chinese text, shortcut, slot)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from app.editor import settings
from app.editor.commands.copyfit import fit_to_text, set_balance
from app.editor.dialogs.proof import import_proof_pdf, show_proof_status, sign_off_page
from app.editor.i18n import language
from app.editor.window.output import (
    choose_word_list,
    export_print_pdf,
    export_proof_pdf,
    run_preflight_command,
)
from app.editor.window.page_actions import (
    new_page_command,
    place_command,
    save_template_command,
)

Std = QKeySequence.StandardKey


def build_menus(window) -> None:
    """Create every menu action on `window` (a MainWindow), registered for retranslation."""
    s = lambda: window.session  # noqa: E731 - the session changes when a page is opened
    e = lambda: window.edit  # noqa: E731
    c = lambda: window.canvas  # noqa: E731

    menus: list[tuple[str, list[tuple | None]]] = [
        (
            "文件(&F)",
            [
                ("new", "新建…", Std.New, lambda: new_page_command(window)),
                ("open", "打开…", Std.Open, window.action_open),
                ("save", "保存", Std.Save, window.action_save),
                ("save_as", "另存为…", Std.SaveAs, window.action_save_as),
                ("save_template", "存为版式模板…", None, lambda: save_template_command(window)),
                None,
                ("place", "置入稿件…", "Ctrl+Shift+D", lambda: place_command(window)),
                None,
                ("export_print", "导出印刷 PDF…", "Ctrl+E", lambda: export_print_pdf(window)),
                ("export_proof", "导出校样 PDF…", "Ctrl+Shift+E", lambda: export_proof_pdf(window)),
                ("preflight", "预检", "Ctrl+Shift+F", lambda: run_preflight_command(window)),
                None,
                ("quit", "退出", Std.Quit, window.close),
            ],
        ),
        (
            "编辑(&E)",
            [
                ("undo", "撤销", Std.Undo, lambda: s().undo()),
                ("redo", "重做", Std.Redo, lambda: s().redo()),
                None,
                ("delete", "删除", Std.Delete, lambda: e().delete_selection()),
                ("duplicate", "复制块", "Ctrl+D", lambda: e().duplicate_selection()),
                ("find", "查找替换…", Std.Find, lambda: _find(window)),
                (
                    "select_all",
                    "全选",
                    Std.SelectAll,
                    lambda: s().select([b.id for b in s().document.blocks]),
                ),
            ],
        ),
        (
            "版面(&L)",
            [
                ("front", "置于顶层", "Ctrl+Shift+]", lambda: e().arrange("front")),
                ("forward", "上移一层", "Ctrl+]", lambda: e().arrange("forward")),
                ("backward", "下移一层", "Ctrl+[", lambda: e().arrange("backward")),
                ("back", "置于底层", "Ctrl+Shift+[", lambda: e().arrange("back")),
                None,
                ("align_left", "左对齐", None, lambda: e().align("left")),
                ("align_right", "右对齐", None, lambda: e().align("right")),
                ("align_top", "顶对齐", None, lambda: e().align("top")),
                ("align_bottom", "底对齐", None, lambda: e().align("bottom")),
                None,
                ("link", "链接文框", "Ctrl+Alt+L", lambda: e().link_frames()),
                ("unlink", "取消链接", "Ctrl+Alt+U", lambda: e().unlink_frame()),
                ("caption_under", "图说放到图下", None, lambda: e().caption_under_photo()),
                None,
                ("fit_to_text", "调整到适合", "Ctrl+Alt+F", lambda: fit_to_text(e())),
                ("balance", "平衡分栏", "Ctrl+Alt+B", lambda: _balance(window)),
            ],
        ),
        (
            "校对(&P)",
            [
                ("proof_import", "导入校样批注…", None, lambda: import_proof_pdf(window)),
                ("proof_panel", "校对意见", None, lambda: window.show_corrections()),
                ("proof_status", "校次状态", None, lambda: show_proof_status(window)),
                ("word_list", "词表…", None, lambda: choose_word_list(window)),
                None,
                ("proof_sign_off", "签发付印…", None, lambda: sign_off_page(window)),
            ],
        ),
        (
            "视图(&V)",
            [
                ("fit", "适合页面", "Ctrl+0", lambda: c().fit_page()),
                ("actual", "实际大小", "Ctrl+1", lambda: c().actual_size()),
                ("zoom_in", "放大", "Ctrl+=", lambda: c().zoom_in()),
                ("zoom_out", "缩小", "Ctrl+-", lambda: c().zoom_out()),
                None,
                ("grid", "显示网格", "Ctrl+'", lambda: _toggle(window, "grid")),
                ("outlines", "显示块边框", "Ctrl+H", lambda: _toggle(window, "outlines")),
                None,
                ("reset_layout", "重置窗口布局", None, window.reset_layout),
            ],
        ),
    ]
    bar = window.menuBar()
    for title, entries in menus:
        menu = bar.addMenu("")
        window._translatable.append((menu, title))
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            name, text, shortcut, slot = entry
            menu.addAction(_action(window, name, text, shortcut, slot))
        if title == "视图(&V)":
            _language_menu(window, menu)
    window.actions_by_name["zoom_in"].setShortcuts(
        [QKeySequence("Ctrl+="), QKeySequence(Std.ZoomIn)]
    )
    window.actions_by_name["zoom_out"].setShortcuts(
        [QKeySequence("Ctrl+-"), QKeySequence(Std.ZoomOut)]
    )
    window.actions_by_name["redo"].setShortcuts([QKeySequence(Std.Redo), QKeySequence("Ctrl+Y")])
    window.actions_by_name["delete"].setShortcuts(
        [QKeySequence(Std.Delete), QKeySequence("Backspace")]
    )
    for name, setting in (("grid", settings.SHOW_GRID), ("outlines", settings.SHOW_OUTLINES)):
        action = window.actions_by_name[name]
        action.setCheckable(True)
        action.setChecked(settings.get(setting))


def _action(window, name: str, text: str, shortcut, slot: Callable) -> QAction:
    action = QAction(window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _=False: slot())
    window.actions_by_name[name] = action
    window._translatable.append((action, text))
    return action


def _find(window) -> None:
    from app.editor.dialogs.find_replace import FindReplaceDialog

    dialog = getattr(window, "find_dialog", None)
    if dialog is None:
        dialog = window.find_dialog = FindReplaceDialog(window)
    dialog.show()
    dialog.raise_()


def _balance(window) -> None:
    """平衡分栏 on for the selected articles, or off when all of them have it."""
    blocks = [b for b in window.session.selected_blocks() if b.kind == "article"]
    set_balance(window.edit, not all(b.balance for b in blocks))


def _toggle(window, name: str) -> None:
    on = window.actions_by_name[name].isChecked()
    if name == "grid":
        window.canvas.show_grid = on
    else:
        window.canvas.show_outlines = on
    window.canvas.viewport().update()


def _language_menu(window, view_menu) -> None:
    menu = view_menu.addMenu("")
    window._translatable.append((menu, "语言"))
    group = QActionGroup(window)
    for code, text in (("zh_CN", "中文"), ("en", "英文")):
        action = QAction(window)
        action.setCheckable(True)
        action.setChecked(language() == code)
        action.triggered.connect(lambda _=False, c=code: window.switch_language(c))
        group.addAction(action)
        menu.addAction(action)
        window.actions_by_name["zh" if code == "zh_CN" else "en"] = action
        window._translatable.append((action, text))
