"""The process's converted pictures: what preflight reads and the writer embeds.

A picture is converted once per process and kept: preflight reads its ink and mode, the
writer embeds its JPEG. Conversions also outlive the process (`picture_store.py`), so the
next export of the page finds its unchanged photos converted. The conversion itself (Pillow, ICC) is `photos.py`, imported on the
first conversion (a print export starts it in a thread while the text is composed:
`publish.prefetch_pictures`). This module imports neither Pillow nor ReportLab.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Literal, NamedTuple

from app.errors import PasteupError
from app.export import picture_store

Target = Literal["cmyk", "rgb"]
Crop = tuple[float, float, float, float]
CACHE_SIZE = 64
DEFAULT_INK_LIMIT = 240.0  # percent; a print conversion also keeps to the profile's own


class PreparedImage(NamedTuple):
    """One converted picture (a named tuple: defined on every export, where a frozen dataclass
    costs ~10x more to define)."""

    jpeg: bytes
    box: tuple[int, int, int, int]  # whole pixels kept from the source (left, top, right, bottom)
    max_ink: float  # highest C+M+Y+K of any pixel of the JPEG as decoded, percent (0 for RGB)
    mode: str  # "CMYK", "RGB" or "L"
    name: str  # XObject name, from the JPEG's digest: one object per distinct picture
    source_mode: str  # the picture's own mode ("RGB", "CMYK", "L", "P" …), for preflight


class UnreadableImage(PasteupError):
    """The picture is missing or cannot be decoded (preflight reports it; export stops)."""


CacheKey = tuple[str, int, Crop, Target, Path, float]
_prepared: OrderedDict[CacheKey, PreparedImage] = OrderedDict()
_lock = threading.Lock()


def cache_key(path: str, crop: Crop, target: Target, profile: Path, ink_limit: float) -> CacheKey:
    """What a conversion depends on; the file's mtime makes an edited picture a new key."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        stamp = 0
    return (path, stamp, tuple(crop), target, Path(profile), ink_limit)  # type: ignore[return-value]


def _remember(key: CacheKey, prepared: PreparedImage) -> None:
    """Keep a conversion, the newest CACHE_SIZE of them."""
    with _lock:
        _prepared[key] = prepared
        _prepared.move_to_end(key)
        while len(_prepared) > CACHE_SIZE:
            _prepared.popitem(last=False)


def is_prepared(
    path: str,
    crop: Crop,
    target: Target,
    profile: Path,
    ink_limit: float = DEFAULT_INK_LIMIT,
) -> bool:
    """Whether `prepare_image` would find this conversion made (in this process or in the
    store) rather than convert; cheap: it hashes the picture but reads no pixels."""
    ink_limit = float(ink_limit) if target == "cmyk" else 0.0
    with _lock:
        if cache_key(path, crop, target, profile, ink_limit) in _prepared:
            return True
    name = picture_store.entry_name(path, crop, target, profile, ink_limit)
    return name is not None and picture_store.has(name)


def prepare_image(
    path: str,
    crop: Crop,
    target: Target,
    profile: Path,
    ink_limit: float = DEFAULT_INK_LIMIT,
) -> PreparedImage:
    """The picture converted for `target` (print: within `ink_limit` percent total ink), from
    the cache or converted now."""
    ink_limit = float(ink_limit) if target == "cmyk" else 0.0
    key = cache_key(path, crop, target, profile, ink_limit)
    with _lock:
        prepared = _prepared.get(key)
        if prepared is not None:
            _prepared.move_to_end(key)
            return prepared
    name = picture_store.entry_name(path, crop, target, profile, ink_limit)
    stored = picture_store.load(name) if name else None
    prepared = PreparedImage._make(stored) if stored else None
    if prepared is None:
        # Pillow and LittleCMS: only when converting
        from app.export.photos import give_back_memory, prepare

        prepared = prepare(path, crop, target, profile, ink_limit)
        give_back_memory()  # the pixels are freed: let the system have them
        if name:
            picture_store.store(name, prepared)
    _remember(key, prepared)
    return prepared
