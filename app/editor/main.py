"""`pasteup open [PAGE]`: start the editor window (the CLI dispatches here)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.errors import PasteupError


def run(path: Path | None) -> int:
    """Show the main window on `path` (or an empty page) and run until it closes."""
    if path is not None and not Path(path).exists():
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
    if path is not None:
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
