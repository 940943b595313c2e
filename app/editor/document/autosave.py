"""Autosave: unsaved work is written to a recovery file, and offered back after a crash.

The first change after a save starts a timer (30 s by default); when it fires the
whole document goes to `<recovery dir>/<name>-<hash>.recovery.json`, atomically.
Saving, or closing without saving on purpose, deletes the file; a crash leaves it
for the next `open` of the same page to find.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.editor.document.session import Session
from app.errors import PasteupError
from app.model import PageDocument, write_atomic
from app.model.fields import Where
from app.model.fileformat import document_from_data, document_to_data

KIND = "pasteup-recovery"


@dataclass(frozen=True, slots=True)
class Recovery:
    file: Path
    original: Path | None  # the page it belongs to; None for a page never saved
    saved: str  # ISO time of the autosave

    def load(self) -> PageDocument:
        try:
            data = json.loads(self.file.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise PasteupError(
                f"{self.file}: 恢复文件已损坏 (recovery file is damaged): {error}"
            ) from None
        base = self.original.parent if self.original else self.file.parent
        document = document_from_data(data.get("document"), Where(str(self.file)), base)
        document.path = self.original
        return document


def recovery_file(folder: Path, page: Path | None, untitled_key: str = "untitled") -> Path:
    if page is None:
        return folder / f"{untitled_key}.recovery.json"
    digest = hashlib.sha1(str(Path(page).resolve()).encode()).hexdigest()[:12]
    return folder / f"{Path(page).stem}-{digest}.recovery.json"


def find_recovery(folder: Path, page: Path | None) -> Recovery | None:
    """The recovery file left for `page` (None: for pages never saved), newest first."""
    candidates = (
        [recovery_file(folder, page)]
        if page is not None
        else sorted(
            folder.glob("untitled*.recovery.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
    )
    for file in candidates:
        if not file.is_file():
            continue
        try:
            header = json.loads(file.read_bytes().decode("utf-8"))
            if header.get("kind") != KIND:
                continue
            original = Path(header["original"]) if header.get("original") else None
            return Recovery(file, original, str(header.get("saved", "")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError):
            continue
    return None


class Autosave(QObject):
    saved = Signal(Path)

    def __init__(self, session: Session, folder: Path, interval_s: int = 30, parent=None):
        super().__init__(parent)
        self.session = session
        self.folder = folder
        self._untitled_key = f"untitled-{id(self):x}"
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_s * 1000)
        self.timer.timeout.connect(self.save_now)
        session.undo_stack.indexChanged.connect(self._on_change)
        session.undo_stack.cleanChanged.connect(self._on_clean_changed)

    @property
    def file(self) -> Path:
        return recovery_file(self.folder, self.session.document.path, self._untitled_key)

    def _on_change(self, _index: int) -> None:
        if self.session.modified and not self.timer.isActive():
            self.timer.start()

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.timer.stop()
            self.discard()

    def save_now(self) -> None:
        if not self.session.modified:
            return
        path = self.session.document.path
        payload = {
            "kind": KIND,
            "original": str(Path(path).resolve()) if path else "",
            "saved": dt.datetime.now().isoformat(timespec="seconds"),
            "document": document_to_data(self.session.document),
        }
        data = json.dumps(payload, ensure_ascii=False).encode()
        write_atomic(self.file, data, keep_backup=False)
        self.saved.emit(self.file)

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)

    def retarget(self, old_path: Path | None) -> None:
        """After save-as: the old name's recovery file no longer describes anything."""
        recovery_file(self.folder, old_path, self._untitled_key).unlink(missing_ok=True)
