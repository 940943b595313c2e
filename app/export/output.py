"""Writing a finished PDF without ever leaving half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.errors import PasteupError
from app.model.save import writable_target


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` (a regular file or
    a new name only: the writer never renames over a device, folder or FIFO)."""
    path = writable_target(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise PasteupError(f"{path}: 无法写入 (cannot write): {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise PasteupError(f"{path}: 无法写入 (cannot write): {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
