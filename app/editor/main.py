"""`pasteup open [PAGE]`: start the editor window (the CLI dispatches here)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.errors import PasteupError


def run(path: Path | str | None, edition: str | None = None) -> int:
    """Show the main window on `path` (or an empty page) and run until it closes; with
    `edition`, `path` is a postgresql:// URL and the edition comes from the team store."""
    if edition is not None and not str(path).startswith(("postgresql://", "postgres://")):
        raise PasteupError(
            f"{path}: 不是数据库地址 (expected a postgresql:// URL before {edition})"
        )
    if edition is None and path is not None and not Path(path).exists():
        raise PasteupError(f"{path}: 文件不存在 (file not found)")
    if _no_display():  # Qt would abort with a core dump and a misleading hint about xcb
        raise PasteupError(
            "没有可用的显示 (no display): run on a desktop, under xvfb-run, "
            "or with QT_QPA_PLATFORM=offscreen"
        )
    from PySide6.QtWidgets import QApplication

    from app.editor import settings
    from app.editor.i18n import set_language
    from app.editor.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    set_language(settings.get(settings.LANGUAGE))
    window = MainWindow()
    if edition is not None:
        from app.editor.edition.store_window import open_from_store

        if not open_from_store(window, str(path), edition):
            return 2
    elif path is not None:
        if not window.open_path(Path(path)):
            return 2
    else:
        window.offer_untitled_recovery()
    window.show()
    return app.exec()


def _no_display() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
