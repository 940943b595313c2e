"""Qt's own strings (file dialogs, message-box buttons) in the interface language.

PySide6 ships `qtbase_zh_CN.qm`; without it a Chinese window asks its questions with
English buttons (Look in / Save / Discard / Cancel). One translator is kept installed
for the application and replaced when the language changes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_installed: QTranslator | None = None


def install_qt_translations(language: str) -> bool:
    """Load Qt's catalogue for `language` (zh_CN; English needs none). True if loaded."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return False
    app.installTranslator(translator)
    _installed = translator
    return True
