"""Finding faces: bundled fonts/, the user's font folder, then the system's folders.

Lookups go by family name (any language's legacy or typographic family) and nearest weight.
Bundled and user folders are indexed when the registry is created (a few files, milliseconds);
system folders only on the first family the first two do not have, and then once per registry.
A family found among bundled/user fonts is never mixed with system faces of the same name,
whose glyph ids differ from our subsets.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from app.bundled import bundled
from app.fonts.errors import FontError
from app.fonts.face import Face, face_count
from app.model.files import resolve

BUNDLED_DIR = bundled("fonts")
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}


def user_font_dir() -> Path:
    """$PASTEUP_FONT_DIR, else ~/.local/share/pasteup/fonts."""
    configured = os.environ.get("PASTEUP_FONT_DIR")
    return Path(configured) if configured else Path.home() / ".local/share/pasteup/fonts"


def system_font_dirs() -> tuple[Path, ...]:
    home = Path.home()
    dirs = [home / ".local/share/fonts", home / ".fonts", Path("/usr/local/share/fonts")]
    dirs += [
        Path(d) / "fonts" for d in os.environ.get("XDG_DATA_DIRS", "/usr/share").split(":") if d
    ]
    if sys.platform == "darwin":
        dirs += [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts")
    return tuple(dict.fromkeys(dirs))


class FaceInfo(NamedTuple):
    """What the index knows of a face without keeping it open (a named tuple: the module is
    imported on every export, a dataclass costs ~10x more to define)."""

    path: Path
    index: int  # type: ignore[assignment]  # the face's index in its file shadows tuple.index
    key: str
    family: str
    names: frozenset[str]  # casefolded family names
    weight: int
    italic: bool


class FontRegistry:
    """Family/weight lookup over font folders, with per-character fallback along a chain."""

    def __init__(
        self, dirs: Sequence[Path] | None = None, *, system_dirs: Sequence[Path] | None = None
    ) -> None:
        self.dirs = tuple(
            Path(d) for d in (dirs if dirs is not None else (BUNDLED_DIR, user_font_dir()))
        )
        self.system_dirs = tuple(
            Path(d) for d in (system_dirs if system_dirs is not None else system_font_dirs())
        )
        self._primary = _index(self.dirs)
        self._system: list[FaceInfo] | None = None
        self._faces: dict[tuple[Path, int], Face] = {}

    # --- lookups --------------------------------------------------------------------------

    def find(self, family: str, weight: int = 400, italic: bool = False) -> Face:
        """The face of `family` nearest to `weight` (upright unless `italic`)."""
        wanted = family.strip().casefold()
        candidates = [info for info in self._primary if wanted in info.names]
        if not candidates:
            candidates = [info for info in self._system_index() if wanted in info.names]
        if not candidates:
            raise FontError(f"{family}: 找不到字体 (font family not found in {self._searched()})")
        best = min(
            enumerate(candidates),
            key=lambda item: (
                item[1].italic != italic,
                _weight_distance(item[1].weight, weight),
                item[0],
            ),
        )[1]
        return self._open(best)

    def get(self, key: str) -> Face:
        """The face whose Face.key (PostScript name) is `key`."""
        for info in self._primary:
            if info.key == key:
                return self._open(info)
        for info in self._system_index():
            if info.key == key:
                return self._open(info)
        raise FontError(
            f"{key}: 找不到字体 (no face with this PostScript name in {self._searched()})"
        )

    def chain(
        self, names: Sequence[str], weight: int = 400, skip_missing: bool = False
    ) -> tuple[Face, ...]:
        """Faces for "Family" or "Family:700" strings, in order (a role's font list).

        A missing family raises FontError, unless `skip_missing` (then only if none is found)."""
        faces: list[Face] = []
        errors: list[FontError] = []
        for name in names:
            family, _, weight_text = name.rpartition(":") if _has_weight(name) else (name, "", "")
            try:
                face = self.find(family, int(weight_text) if weight_text else weight)
            except FontError as error:
                if not skip_missing:
                    raise
                errors.append(error)
                continue
            if face not in faces:
                faces.append(face)
        if not faces:
            raise errors[0] if errors else FontError("字体列表为空 (empty font list)")
        return tuple(faces)

    @staticmethod
    def face_for(chain: Sequence[Face], ch: str) -> Face | None:
        """The first face of the chain that has a glyph for `ch` (per-character fallback)."""
        for face in chain:
            if face.has_char(ch):
                return face
        return None

    def faces(self, include_system: bool = False) -> tuple[FaceInfo, ...]:
        """The index (bundled and user folders; plus the system folders if asked)."""
        return tuple(self._primary + (self._system_index() if include_system else []))

    @property
    def system_indexed(self) -> bool:
        """Whether the system folders have been scanned (they are only on a miss)."""
        return self._system is not None

    # --- internals ------------------------------------------------------------------------

    def _open(self, info: FaceInfo) -> Face:
        face = self._faces.get((info.path, info.index))
        if face is None:
            face = self._faces[(info.path, info.index)] = open_face(info.path, info.index)
        return face

    def _system_index(self) -> list[FaceInfo]:
        if self._system is None:
            self._system = _index(self.system_dirs)
        return self._system

    def _searched(self) -> str:
        return ", ".join(str(d) for d in self.dirs + self.system_dirs)


_open_faces: dict[tuple[Path, int], Face] = {}


def open_face(path: Path | str, index: int = 0) -> Face:
    """The process's one Face for a file and index, shared by every registry and the exporter,
    so its tables are parsed and its hash read once (a layout's FontSource names its path)."""
    key = (Path(path), index)
    face = _open_faces.get(key)
    if face is None:
        face = _open_faces[key] = Face(*key)
    return face


@cache
def default_registry() -> FontRegistry:
    """The process-wide registry over the default folders."""
    return FontRegistry()


def _has_weight(name: str) -> bool:
    _, sep, tail = name.rpartition(":")
    return bool(sep) and tail.strip().isdigit()


def _weight_distance(have: int, want: int) -> tuple[int, int]:
    """CSS-like: nearest weight; on a tie, heavier for bold requests, lighter otherwise."""
    distance = abs(have - want)
    heavier = have > want
    return distance, (0 if heavier == (want > 400) else 1)


def _index(dirs: Sequence[Path]) -> list[FaceInfo]:
    """Every readable face under `dirs`, in folder order then path order; non-fonts skipped."""
    infos: list[FaceInfo] = []
    seen: set[Path] = set()
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES):
            resolved = resolve(path)  # a symlink loop stays unresolved and is skipped below
            if resolved in seen or not path.is_file():
                continue
            seen.add(resolved)
            infos.extend(_scan_file(path))
    return infos


def _scan_file(path: Path) -> list[FaceInfo]:
    try:
        count = face_count(path)
    except FontError:
        return []
    infos = []
    for index in range(count):
        try:
            face = Face(path, index)
        except FontError:
            continue  # one broken face of a collection does not hide the others
        infos.append(
            FaceInfo(
                path=path,
                index=index,
                key=face.key,
                family=face.family,
                names=frozenset(name.casefold() for name in face.family_names),
                weight=face.weight,
                italic=face.italic,
            )
        )
    return infos
