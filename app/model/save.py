"""Atomic saving that never loses the user's page.

The new version is written to a temporary file beside the target and flushed to
disk; the current version is hard-linked to `NAME.bak`; then the temporary file is
renamed over the target. At every instant the target is the old or the new file,
whole, and the previous version survives as the backup. Only a regular file (or a new
name) is ever replaced: a symlink is saved through to its file, and a device, folder or
FIFO is refused. Temporary files an interrupted save left behind go on the next save; a save
holds its temporary under an advisory lock, so a concurrent save's sweep leaves it alone.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from app.errors import PasteupError

try:
    import fcntl
except ImportError:  # not POSIX: no advisory locks, so a sweep could race a concurrent save
    fcntl = None  # type: ignore[assignment]


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def writable_target(path: Path) -> Path:
    """The file a save or export to `path` replaces: `path` itself, or the file its symlink
    names; a PasteupError if that exists and is not a regular file."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PasteupError(f"{path}: 无法写入 (cannot write): {reason}") from None
    if not stat.S_ISREG(mode):
        what = "是目录 (is a directory)" if stat.S_ISDIR(mode) else "不是普通文件 (not a file)"
        raise PasteupError(f"{path}: {what}; 不会覆盖 (will not write over it)")
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def refuse_overwrite(output: Path, inputs: Iterable[Path]) -> None:
    """Refuse to write `output` over one of the user's `inputs` (the page, its stories,
    photos, layout and backup) or over anything that is not a regular file."""
    target = writable_target(output)
    if not target.exists():
        return
    for source in inputs:
        try:
            same = source.exists() and os.path.samefile(target, source)
        except OSError:
            same = False
        if same:
            raise PasteupError(
                f"{output}: 是输入文件 {source}，不会覆盖 (is an input file: will not write over it)"
            )


def write_atomic(path: Path, data: bytes, *, keep_backup: bool = True) -> None:
    path = writable_target(path)
    for attempt in range(_ATTEMPTS):
        try:
            _write_once(path, data, keep_backup)
            return
        except FileNotFoundError:  # a concurrent save swept our temporary before we held it
            if attempt == _ATTEMPTS - 1:
                raise PasteupError(
                    f"{path}: 保存失败 (save failed): 临时文件被删除 (temporary file removed)"
                ) from None


_ATTEMPTS = 3


def _write_once(path: Path, data: bytes, keep_backup: bool) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise PasteupError(f"{path}: 无法写入 (cannot write): {error.strerror}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            _hold(stream.fileno())  # until the rename: another save's sweep leaves it alone
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
        remove_stale_temporaries(path)
    except FileNotFoundError:
        temp.unlink(missing_ok=True)
        raise
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise PasteupError(f"{path}: 保存失败 (save failed): {error.strerror}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(path: Path) -> None:
    """Delete what saves of `path` killed mid-way left behind (`.NAME.*.tmp`). While another
    save of `path` runs (it holds its temporary under an advisory lock) nothing is swept: its
    files are in use, and the last save to finish sweeps."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        leftovers = [
            p
            for p in folder.glob(f".{_glob_escape(path.name)}.*.tmp")
            if p.is_file() and not p.is_symlink()
        ]
        if any(_held(p) for p in leftovers):
            return
    except OSError:
        return
    for stale in leftovers:
        try:
            stale.unlink()
        except OSError:
            continue  # another process's, or not ours to remove: leave it


def _hold(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)


def _held(path: Path) -> bool:
    """Whether a running save holds `path` (a killed one's lock went with its process)."""
    if fcntl is None:
        return False
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


def _link_backup(path: Path) -> None:
    """Point NAME.bak at the current version without a moment where neither exists."""
    backup = backup_path(path)
    staging = path.with_name(f".{path.name}.bak.{secrets.token_hex(6)}.tmp")  # one per save
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
