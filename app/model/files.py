"""Opening the user's files safely: regular files only, read to a size limit, never blocking.

A FIFO, a device or a socket where a page, story, picture or font should be would block a
read forever or never end; a symlink loop raises errors of several kinds. Everything that
reads an input file goes through `open_regular`, so each of these is one `PasteupError`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from app.errors import PasteupError
from app.model.limits import shown


def open_regular(path: Path | str) -> BinaryIO:
    """`path` opened for reading, or a PasteupError if it is missing or not a regular file.

    O_NONBLOCK keeps the open itself from waiting on a FIFO; the mode check refuses it next.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except ValueError:  # a NUL in the path
        raise PasteupError(f"{shown(str(path), 200)}: 路径含有空字符 (NUL in the path)") from None
    except OSError as error:
        raise PasteupError(f"{shown(str(path), 200)}: {_why(error)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "是目录 (is a directory)" if stat.S_ISDIR(mode) else "不是普通文件 (not a file)"
            raise PasteupError(f"{shown(str(path), 200)}: {what}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str, limit: int) -> bytes:
    """The whole of a regular file of at most `limit` bytes."""
    with open_regular(path) as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise PasteupError(f"{shown(str(path), 200)}: {_why(error)}") from None
    if len(data) > limit:
        raise PasteupError(
            f"{shown(str(path), 200)}: 文件过大 (file too large): over the limit of {limit:,} bytes"
        )
    return data


def resolve(path: Path | str) -> Path:
    """The absolute path with symlinks followed as far as they go (a loop is left unresolved,
    and opening it gives the one-line error)."""
    return Path(os.path.realpath(path))


def inside(folder: Path, path: Path) -> bool:
    """Whether `path`, symlinks followed, lies inside `folder`."""
    return resolve(path).is_relative_to(resolve(folder))


def _why(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "文件不存在 (file not found)"
    if error.errno == errno.ELOOP:
        return "符号链接循环 (symlink loop)"
    if error.errno == errno.ENAMETOOLONG:
        return "文件名过长 (file name too long)"
    if error.errno == errno.EISDIR:
        return "是目录 (is a directory)"
    return f"无法读取 (cannot read): {error.strerror}"
