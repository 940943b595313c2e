"""An open edition's unsaved work in a recovery file, offered back after a crash.

A page's autosave (app.editor.document.autosave) keeps one page; an edition's unsaved work is
spread over every page's session, the shared stories and the plan, so the edition is kept
whole: the first edit after a save starts the timer, and when it fires every file the edition
folder would hold goes to `<recovery dir>/edition-<name>-<hash>.recovery.json` (atomically),
keyed by the folder's resolved path. Saving deletes it; a crash leaves it for the next opening
of the same folder. A damaged file is one line and the edition opens as saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.editor.edition.workspace import EditionWorkspace
from app.errors import PasteupError
from app.model import write_atomic
from app.model.edition import Edition
from app.model.editionfile import read_edition
from app.model.fileformat import read_json
from app.model.store.records import edition_records, files

KIND = "pasteup-edition-recovery"


def recovery_file(folder: Path, edition_folder: Path) -> Path:
    resolved = Path(edition_folder).resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:12]
    return folder / f"edition-{resolved.name}-{digest}.recovery.json"


@dataclass(frozen=True, slots=True)
class EditionRecovery:
    file: Path
    edition_folder: Path
    saved: str  # ISO time of the autosave
    files: dict[str, Any]  # relative path → the JSON the folder's file would hold

    def load(self, read=read_json) -> Edition:
        """The edition as it was autosaved: the recovered files, any other (a photo list, an
        ad) read from the folder; every file validated as an opened edition's is."""
        folder = self.edition_folder

        def recovered(path: Path) -> Any:
            name = Path(path).relative_to(folder).as_posix()
            return self.files[name] if name in self.files else read(path)

        try:
            return read_edition(folder, recovered)
        except PasteupError as error:
            raise PasteupError(
                f"{self.file}: 恢复文件无法使用 (recovery unusable): {error}"
            ) from None


def find_recovery(folder: Path, edition_folder: Path) -> EditionRecovery | None:
    """The recovery file left for the edition at `edition_folder`, if any.

    Damaged: PasteupError (one line); the caller says so and opens the edition as saved."""
    file = recovery_file(folder, edition_folder)
    if not file.is_file():
        return None
    try:
        data = json.loads(file.read_bytes().decode("utf-8"))
        if not isinstance(data, dict) or data.get("kind") != KIND:
            raise ValueError("not an edition recovery file")
        if not isinstance(data.get("files"), dict):
            raise ValueError("no files")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PasteupError(f"{file}: 恢复文件已损坏 (recovery file is damaged): {error}") from None
    return EditionRecovery(
        file, Path(edition_folder).resolve(), str(data.get("saved", "")), data["files"]
    )


class EditionAutosave(QObject):
    """The window's autosave while an edition is open (the page autosave's interface)."""

    saved = Signal(Path)

    def __init__(
        self, workspace: EditionWorkspace, folder: Path, interval_s: int = 30, parent=None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.folder = folder
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_s * 1000)
        self.timer.timeout.connect(self.save_now)
        workspace.edited.connect(self._on_change)

    @property
    def file(self) -> Path:
        return recovery_file(self.folder, Path(self.workspace.edition.path or "."))

    def _on_change(self) -> None:
        if not self.workspace.modified:
            self.timer.stop()
            self.discard()  # undone back to the saved state
        elif not self.timer.isActive():
            self.timer.start()

    def save_now(self) -> None:
        if not self.workspace.modified:
            return
        edition = self.workspace.edition
        payload = {
            "kind": KIND,
            "original": str(Path(edition.path or ".").resolve()),
            "saved": dt.datetime.now().isoformat(timespec="seconds"),
            "files": files(edition_records(edition)),
        }
        write_atomic(self.file, json.dumps(payload, ensure_ascii=False).encode(), keep_backup=False)
        self.saved.emit(self.file)

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)
