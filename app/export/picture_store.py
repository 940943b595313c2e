"""Converted pictures kept between processes.

A page is exported many times a night (every proof round, then the plate), and its photos
rarely change between exports; converting one to CMYK through the ICC profile is most of a
fresh export's time. So a conversion is stored under the SHA-256 of everything it depends on:
the picture's bytes, the crop, the target, the ink limit, the profile's bytes, the Pillow that
converted it and this format. A changed picture, profile or Pillow is a new name and is converted again.

One file per picture in `pictures/` of the user's cache folder (`filehash.cache_dir()`): a JSON
line with the facts preflight reads and the JPEG's length and SHA-256, then the JPEG. An entry
that does not read back whole and matching is ignored and replaced; writes are atomic; the
folder keeps the newest MAX_ENTRIES. Any trouble with the folder only costs the conversion.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.fonts.filehash import cache_dir, file_sha256

if TYPE_CHECKING:  # `pictures` imports this module; it passes its records in and out
    from app.export.pictures import Crop, PreparedImage, Target

FORMAT = 2  # 2: the ink limit is part of the name; max_ink is measured on the JPEG
MAX_ENTRIES = 256
FOLDER = "pictures"


def entry_name(
    path: str, crop: Crop, target: Target, profile: Path, ink_limit: float
) -> str | None:
    """The store's name for this conversion; None if the picture or profile can't be read
    (the conversion then reports it)."""
    try:
        parts = [
            FORMAT,
            file_sha256(Path(path)),
            list(crop),
            target,
            file_sha256(profile),
            ink_limit,
        ]
    except OSError:
        return None
    parts.append(_pillow_version())
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def has(name: str) -> bool:
    """Whether an entry of that name is there (`load` still checks that it reads back)."""
    try:
        return (cache_dir() / FOLDER / name).is_file()
    except OSError:
        return False


def load(name: str) -> tuple | None:
    """The stored fields of a `PreparedImage`, in order, or None."""
    try:
        data = (cache_dir() / FOLDER / name).read_bytes()
        head, _, jpeg = data.partition(b"\n")
        facts = json.loads(head)
        if (
            facts["format"] != FORMAT
            or facts["length"] != len(jpeg)
            or facts["sha256"] != hashlib.sha256(jpeg).hexdigest()
        ):
            return None
        return (
            jpeg,
            tuple(int(v) for v in facts["box"]),
            float(facts["max_ink"]),
            str(facts["mode"]),
            str(facts["name"]),
            str(facts["source_mode"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(name: str, prepared: PreparedImage) -> None:
    facts = {
        "format": FORMAT,
        "box": list(prepared.box),
        "max_ink": prepared.max_ink,
        "mode": prepared.mode,
        "name": prepared.name,
        "source_mode": prepared.source_mode,
        "length": len(prepared.jpeg),
        "sha256": hashlib.sha256(prepared.jpeg).hexdigest(),
    }
    folder = cache_dir() / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(json.dumps(facts).encode() + b"\n" + prepared.jpeg)
            os.replace(temp, folder / name)
        except BaseException:
            os.unlink(temp)
            raise
        _prune(folder)
    except OSError:
        pass  # a read-only or full cache folder: convert again next time


def _prune(folder: Path) -> None:
    entries = [
        (entry.stat().st_mtime_ns, entry)
        for entry in folder.iterdir()
        if not entry.name.startswith(".")  # another process's entry being written
    ]
    entries.sort(reverse=True)
    for _, old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)


@cache
def _pillow_version() -> str:
    """Pillow's version, read from its package without importing it (that costs ~60 ms)."""
    spec = importlib.util.find_spec("PIL")
    if spec is None or spec.origin is None:
        return ""
    version = Path(spec.origin).with_name("_version.py")
    try:
        return version.read_text("utf-8")
    except OSError:
        return ""
