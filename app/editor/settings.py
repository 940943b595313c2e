"""Every editor setting, declared once; the only module that touches QSettings.

Each `Setting` names its key, type, default and purpose. Tests call
`use_settings_dir(tmp)` so they never read or write the user's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANIZATION = "Pasteup"
APPLICATION = "Pasteup"


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str


LANGUAGE = Setting("ui/language", str, "zh_CN", "Interface language: zh_CN or en")
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray(), "Main window geometry")
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray(), "Docks and toolbars")
SHOW_GRID = Setting("view/show-grid", bool, True, "Draw the columns and baseline grid")
SHOW_OUTLINES = Setting("view/show-outlines", bool, True, "Draw block outlines")
LAST_FOLDER = Setting("files/last-folder", str, "", "Folder of the last opened page")
AUTOSAVE_SECONDS = Setting("files/autosave-seconds", int, 30, "Autosave after this much idle work")
WORD_LIST = Setting("proof/word-list", str, "", "The newsroom's word list checked in preflight")
PROOF_WATERMARK = Setting("proof/watermark", str, "", "Watermark on exported proofs (校样, 样张)")
PROOF_PROFILE = Setting("proof/profile", str, "", "Printer's profile proofs show colours by")
PROOF_ANSWERS = Setting("proof/answers", bool, True, "Mark last round's decisions on proofs")
RECOVERY_DIR = Setting("files/recovery-dir", str, "", "Where recovery files go; empty = app data")

SETTINGS = (
    LANGUAGE,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    SHOW_GRID,
    SHOW_OUTLINES,
    LAST_FOLDER,
    AUTOSAVE_SECONDS,
    RECOVERY_DIR,
    WORD_LIST,
    PROOF_WATERMARK,
    PROOF_PROFILE,
    PROOF_ANSWERS,
)

_folder: Path | None = None


def use_settings_dir(folder: Path | None) -> None:
    """Keep settings in an INI file under `folder` (tests); None = the platform default."""
    global _folder
    _folder = Path(folder) if folder is not None else None


def _store() -> QSettings:
    if _folder is not None:
        return QSettings(str(_folder / "pasteup.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def get(setting: Setting) -> Any:
    value = _store().value(setting.key, setting.default)
    if value is None:
        return setting.default
    if setting.type is bool and isinstance(value, str):  # INI files store booleans as text
        return value.lower() == "true"
    try:
        return setting.type(value)
    except (TypeError, ValueError):
        return setting.default


def put(setting: Setting, value: Any) -> None:
    _store().setValue(setting.key, value)


def recovery_dir() -> Path:
    configured = get(RECOVERY_DIR)
    if configured:
        folder = Path(configured)
    elif _folder is not None:
        folder = _folder / "recovery"
    else:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        folder = Path(base or Path.home() / ".pasteup") / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
