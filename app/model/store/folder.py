"""The edition folder as a store: the embedded default for one person on one machine.

It wraps app.model.editionfile (load, atomic save). The version of a record is the SHA-256 of
the file that holds it, so a save refuses to overwrite a file another program changed since it
was opened, and writes the refused content beside it as a conflict copy.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from app.model.edition import Edition
from app.model.editionfile import (
    EDITION_FILE,
    STORIES_DIR,
    dumps,
    edition_to_data,
    is_edition,
    page_to_data,
    read_edition,
    story_to_data,
)
from app.model.save import write_atomic
from app.model.store import SaveConflict


class FolderStore:
    """Edition folders under one folder (a desk's disk)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def editions(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if is_edition(p))

    def open(self, name: str, workdir: Path | None = None) -> FolderCheckout:
        """The edition folder `root/name` (it holds its own pictures: `workdir` is not used)."""
        return FolderCheckout(read_edition(self.root / name))

    def close(self) -> None:
        """Nothing held open."""


class FolderCheckout:
    """An edition opened from its folder; a save is a compare-and-swap on its file's hash.

    Only what changed since it was opened is written: the files as the edition would write
    them then (`opened`) are the base, so a file the command did not change is not rewritten,
    whatever its formatting on disk."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.opened = dict(self._file(kind, key) for kind, key in self._records())
        self.hashes = {path: _hash(path) for path in self.opened}

    def _records(self) -> list[tuple[str, str]]:
        """One record per file: the plan (edition.json), each page, each story."""
        keys = [("plan", "")] + [("page", p.id) for p in self.edition.pages]
        return keys + [("story", s) for s in self.edition.stories]

    def _file(self, kind: str, key: str) -> tuple[Path, bytes]:
        """The file a record lives in and the bytes it would hold now."""
        folder = Path(self.edition.path or ".")
        if kind in ("plan", "status"):
            return folder / EDITION_FILE, dumps(edition_to_data(self.edition))
        if kind in ("page", "proof"):
            return folder / f"{key}.json", dumps(page_to_data(self.edition.page(key)))
        story = self.edition.stories[key]
        return folder / STORIES_DIR / f"{key}.json", dumps(story_to_data(story))

    def lock(self, kind: str, key: str, holder: str, **options: object) -> None:
        """Nothing to take: a folder is one person's (a save still refuses a file changed by
        another program since it was opened)."""

    def release_all(self) -> None:
        """No locks to let go of (see `lock`)."""

    def save(self, kind: str, key: str, by: str) -> str | None:
        """Write the record's file when it changed; its new hash, or None when unchanged."""
        path, data = self._file(kind, key)
        return self._write([(path, data)]).get(path)

    def commit(self, by: str) -> dict[Path, str]:
        """Every file that changed, as one compare-and-swap: when any was changed by another
        program since it was opened, none is written and each is kept as a conflict copy."""
        return self._write([self._file(kind, key) for kind, key in self._records()])

    def _write(self, wanted: list[tuple[Path, bytes]]) -> dict[Path, str]:
        changed = []
        for path, data in wanted:
            if data == self.opened.get(path):
                continue
            on_disk = _hash(path)
            if on_disk == hashlib.sha256(data).hexdigest():  # written so already
                self.opened[path], self.hashes[path] = data, on_disk
            else:
                changed.append((path, data, on_disk))
        lost = [path for path, _, on_disk in changed if on_disk != self.hashes.get(path)]
        if lost:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            copies = []
            for path, data, _ in changed:
                copy = path.with_name(f"{path.stem}.conflict-{stamp}.json")
                write_atomic(copy, data, keep_backup=False)
                copies.append(copy)
            names = ", ".join(c.name for c in copies)
            raise SaveConflict(
                f"{lost[0]}: 保存被拒绝：文件在打开后被改动；您的修改已另存为 {names} (save "
                f"refused: the file changed since it was opened; your changes are in {names})",
                current=_hash(lost[0]),
                copy=", ".join(str(c) for c in copies),
            )
        for path, data, _ in changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
            self.opened[path], self.hashes[path] = data, hashlib.sha256(data).hexdigest()
        return {path: hashlib.sha256(data).hexdigest() for path, data, _ in changed}

    def save_page(self, page_id: str, by: str) -> dict[tuple[str, str], str]:
        page = self.edition.page(page_id)
        keys = [("page", page.id)] + [("story", s) for s in page.document.stories]
        saved = {(kind, key): self.save(kind, key, by) for kind, key in keys}
        return {k: v for k, v in saved.items() if v is not None}

    def save_all(self, by: str) -> dict[tuple[str, str], str]:
        """Every file that changed, each on its own: the plan, each page, each story."""
        saved = {(kind, key): self.save(kind, key, by) for kind, key in self._records()}
        return {k: v for k, v in saved.items() if v is not None}


def _hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
