"""Atomic saving that never loses the user's page.

The new version is written to a temporary file beside the target and flushed to
disk; the current version is hard-linked to `NAME.bak`; then the temporary file is
renamed over the target. At every instant the target is the old or the new file,
whole, and the previous version survives as the backup.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.errors import PasteupError


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_atomic(path: Path, data: bytes, *, keep_backup: bool = True) -> None:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise PasteupError(f"{path}: 无法写入 (cannot write): {error.strerror}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
            if keep_backup:
                _link_backup(path)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
        _sync_folder(folder)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise PasteupError(f"{path}: 保存失败 (save failed): {error.strerror}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _link_backup(path: Path) -> None:
    """Point NAME.bak at the current version without a moment where neither exists."""
    backup = backup_path(path)
    staging = path.with_name(f".{path.name}.bak.tmp")
    staging.unlink(missing_ok=True)
    try:
        os.link(path, staging)
    except OSError:  # file systems without hard links: copy instead
        staging.write_bytes(path.read_bytes())
    os.replace(staging, backup)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
