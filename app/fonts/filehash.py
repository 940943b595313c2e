"""SHA-256 of font files, remembered across processes while the file provably has not changed.

Layouts record each font's hash (spec §3.9), and hashing a 6 MB CJK face costs ~10 ms: six faces
were a tenth of a fresh `pasteup export`. A hash is reused only while the file's identity is the
one it was computed from: device, inode, size, mtime and ctime in nanoseconds. Rewriting a file
in place changes its mtime and ctime, replacing it changes its inode, and ctime cannot be set
back by `touch`, `cp -p` or `rsync -a`, so a changed font is always hashed again. A file changed
within the last few seconds is not remembered at all: on a coarse-clock file system it could
change again without its timestamps moving (git's "racy clean" problem).

The cache is one small JSON file in the user's cache folder ($PASTEUP_CACHE_DIR, else
$XDG_CACHE_HOME/pasteup, else ~/.cache/pasteup); any trouble reading or writing it only costs
the hashing it would have saved.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

CACHE_NAME = "font-sha256.json"
CACHE_FORMAT = 1
MAX_ENTRIES = 512
RACY_SECONDS = 3.0  # files changed this recently are hashed every time

Identity = tuple[int, int, int, int, int]

_known: dict[tuple[str, Identity], str] = {}  # this process's hashes


def cache_dir() -> Path:
    configured = os.environ.get("PASTEUP_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "pasteup"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes (from the cache when the file is unchanged)."""
    resolved = os.path.realpath(path)
    with open(resolved, "rb") as stream:
        identity = _identity(os.fstat(stream.fileno()))
        known = _known.get((resolved, identity))
        if known is not None:
            return known
        entries = _read_cache()
        entry = entries.get(resolved)
        if entry is not None and tuple(entry[0]) == identity:
            digest = entry[1]
        else:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
            if _settled(identity):
                entries.pop(resolved, None)
                entries[resolved] = [list(identity), digest]
                _write_cache(entries)
    _known[(resolved, identity)] = digest
    return digest


def _identity(stat: os.stat_result) -> Identity:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _settled(identity: Identity) -> bool:
    newest = max(identity[3], identity[4]) / 1e9
    return time.time() - newest > RACY_SECONDS


def read_cache_file(name: str, format_: int) -> dict | None:
    """The JSON object in the cache folder's `name` if it is of `format_`, else None."""
    try:
        data = json.loads((cache_dir() / name).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != format_:
        return None
    return data


def write_cache_file(name: str, data: dict) -> None:
    """Write atomically (temp file, then rename); a read-only or full cache folder only costs
    the work the file would have saved."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False)
            os.replace(temp, folder / name)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass


def _read_cache() -> dict[str, list]:
    data = read_cache_file(CACHE_NAME, CACHE_FORMAT)
    if data is None:
        return {}
    entries = data.get("files")
    if not isinstance(entries, dict):
        return {}
    return {
        path: entry
        for path, entry in entries.items()
        if isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], list)
        and len(entry[0]) == 5
        and all(isinstance(v, int) for v in entry[0])
        and isinstance(entry[1], str)
        and len(entry[1]) == 64
    }


def _write_cache(entries: dict[str, list]) -> None:
    """Keep the newest MAX_ENTRIES files."""
    kept = dict(list(entries.items())[-MAX_ENTRIES:])
    write_cache_file(CACHE_NAME, {"format": CACHE_FORMAT, "files": kept})
