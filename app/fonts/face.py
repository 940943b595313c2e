"""One face of one font file: cmap, advances, ink bounds, single substitutions, Latin shaping.

Every number is in font units and comes from the font's own tables, never from Qt. The cheap
things a fresh process needs (names, OS/2, cmap, hmtx, GSUB single substitutions) are read
through HarfBuzz from a memory map and cached as plain dicts/lists; fontTools is imported and its
tables decompiled only when outlines or glyph names are asked for, so opening the body face and
setting its first characters costs milliseconds.
"""

from __future__ import annotations

import os
import struct
import sys
from array import array
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, NamedTuple

import uharfbuzz as hb

from app.errors import PasteupError
from app.fonts.cff import charset_cids
from app.fonts.errors import FontError
from app.fonts.filehash import file_sha256
from app.fonts.gsub import single_substitutions
from app.model.files import open_regular
from app.model.limits import MAX_FONT_FACES, MAX_FONT_TABLES

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

Outline = Literal["cff", "glyf"]
REQUIRED_TABLES = ("cmap", "head", "hhea", "hmtx", "maxp")
VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
DEFAULT_SCRIPT = "hani"
DEFAULT_LANGUAGE = "ZHS "  # zh-Hans: the language system whose locl the engine wants


class ShapedGlyph(NamedTuple):
    """One glyph out of HarfBuzz: `cluster` indexes the shaped string; all values in font units.
    A named tuple: every fresh process defines it, and a dataclass costs ~10x more to define."""

    gid: int
    cluster: int
    advance: int
    x_offset: int
    y_offset: int


def face_count(path: Path) -> int:
    """How many faces a file holds (1 for a plain sfnt, N for a TTC/OTC); 0 if not a font.

    The headers are checked against the file before any face is opened: a collection of at
    most limits.MAX_FONT_FACES faces, each with at most MAX_FONT_TABLES tables that lie inside
    the file. A 76-byte file claiming 2^31 - 1 faces is a FontError, not a long loop.
    """
    try:
        with open_regular(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            header = stream.read(12)
            if header[:4] == b"ttcf" and len(header) == 12:
                count = struct.unpack(">I", header[8:12])[0]
                if not 0 < count <= MAX_FONT_FACES or 12 + 4 * count > size:
                    raise FontError(
                        f"{path}: 字体集已损坏 (corrupt font collection): claims {count} faces"
                    )
                offsets = struct.unpack(f">{count}I", stream.read(4 * count))
            elif header[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
                count, offsets = 1, (0,)
            else:
                return 0
            for offset in offsets:
                _check_table_directory(stream, offset, size, path)
    except PasteupError as error:
        if isinstance(error, FontError):
            raise
        raise FontError(str(error)) from None
    except OSError as error:
        raise FontError(
            f"{path}: 无法读取字体文件 (cannot read font file): {error.strerror}"
        ) from None
    return count


def _check_table_directory(stream: BinaryIO, offset: int, size: int, path: Path) -> None:
    """Every table of the face at `offset` lies inside the file."""
    stream.seek(offset)
    header = stream.read(12)
    if len(header) < 12:
        raise FontError(f"{path}: 字体表已损坏 (corrupt font tables): header past the end")
    (tables,) = struct.unpack(">H", header[4:6])
    directory = stream.read(16 * tables)
    if tables > MAX_FONT_TABLES or len(directory) < 16 * tables:
        raise FontError(f"{path}: 字体表已损坏 (corrupt font tables): {tables} tables")
    for i in range(tables):
        table_offset, length = struct.unpack_from(">II", directory, 16 * i + 8)
        if table_offset + length > size:
            tag = directory[16 * i : 16 * i + 4].decode("latin-1")
            raise FontError(
                f"{path}: 字体表已损坏 (corrupt font tables): {tag!r} runs past the end"
            )


class Face:
    """A face read from its file; effectively immutable (lazy parts are cached on first use)."""

    def __init__(self, path: Path | str, index: int = 0) -> None:
        self.path = Path(path)
        self.index = index
        count = face_count(self.path)
        if count == 0:
            raise FontError(f"{self.path}: 不是字体文件 (not a TrueType/OpenType font)")
        if not 0 <= index < count:
            raise FontError(f"{self.path}: 没有第 {index} 个字体 (no face {index}; it has {count})")
        self._hb_face = hb.Face(hb.Blob.from_file_path(str(self.path)), index)
        tags = set(self._hb_face.table_tags)
        missing = [tag for tag in REQUIRED_TABLES if tag not in tags]
        if missing or not ({"CFF ", "glyf"} & tags):
            what = ", ".join(missing) if missing else "CFF or glyf outlines"
            raise FontError(f"{self.path}: 字体不完整或不受支持 (unsupported font, lacks {what})")
        self.outline: Outline = "cff" if "CFF " in tags else "glyf"
        try:
            self._read_tables()
        except struct.error:
            raise FontError(f"{self.path}: 字体表已损坏 (corrupt font tables)") from None
        self.family = self._name(16) or self._name(1) or self.path.stem
        self.style = self._name(17) or self._name(2) or "Regular"
        self.postscript_name = (self._name(6) or f"{self.path.stem}-{index}").replace(" ", "")
        self.key = self.postscript_name
        self._cmap: dict[str, int | None] = {}
        self._ink_cache: dict[int, tuple[int, int, int, int] | None] = {}
        self._substitution_cache: dict[tuple[str, str, str], dict[int, int]] = {}
        self._hb_font = hb.Font(self._hb_face)  # scale = upem: every HarfBuzz value in font units

    def _table(self, tag: str) -> bytes:
        return self._hb_face.reference_table(tag).data

    def _name(self, name_id: int, language: str | None = None) -> str | None:
        return self._hb_face.get_name(name_id, language)

    def _read_tables(self) -> None:
        head = self._table("head")
        self.upm: int = struct.unpack_from(">H", head, 18)[0]
        self.bbox: tuple[int, int, int, int] = struct.unpack_from(">4h", head, 36)
        mac_style = struct.unpack_from(">H", head, 44)[0]
        hhea = self._table("hhea")
        hhea_ascender, hhea_descender, hhea_gap = struct.unpack_from(">3h", hhea, 4)
        self._number_of_hmetrics: int = struct.unpack_from(">H", hhea, 34)[0]
        self.glyph_count: int = struct.unpack_from(">H", self._table("maxp"), 4)[0]
        hmtx_size = 4 * self._number_of_hmetrics + 2 * (self.glyph_count - self._number_of_hmetrics)
        if self._number_of_hmetrics == 0 or len(self._table("hmtx")) < hmtx_size:
            raise struct.error("hmtx shorter than hhea/maxp say")
        os2 = self._table("OS/2")
        if len(os2) >= 78:
            version, _avg, self.weight = struct.unpack_from(">HhH", os2, 0)
            fs_selection = struct.unpack_from(">H", os2, 62)[0]
            self.ascender, self.descender, self.line_gap = struct.unpack_from(">3h", os2, 68)
            self.italic = bool(fs_selection & 1)
            self._os2_heights = struct.unpack_from(">2h", os2, 86) if version >= 2 else None
            self._panose_serif = os2[33] if os2[32] == 2 else 0
        else:
            self.weight = 700 if mac_style & 1 else 400
            self.ascender, self.descender, self.line_gap = hhea_ascender, hhea_descender, hhea_gap
            self.italic = bool(mac_style & 2)
            self._os2_heights = None
            self._panose_serif = 0

    def __repr__(self) -> str:
        return f"Face({self.key!r}, {self.path.name}#{self.index})"

    # --- identity -------------------------------------------------------------------------

    @cached_property
    def sha256(self) -> str:
        """Hash of the whole file (a TTC's faces share it); layouts record it (spec §3.9).
        Remembered across processes while the file is unchanged (filehash.py)."""
        return file_sha256(self.path)

    @cached_property
    def family_names(self) -> frozenset[str]:
        """Every family name the face answers to (legacy and typographic, all languages)."""
        names = {self.family}
        for entry in self._hb_face.list_names():
            if int(entry.name_id) in (1, 16):
                value = self._name(int(entry.name_id), entry.language)
                if value:
                    names.add(value)
        return frozenset(names)

    @property
    def is_serif(self) -> bool:
        """PANOSE says serif (Latin text faces); the PDF descriptor's Serif flag uses it."""
        return 2 <= self._panose_serif <= 10

    # --- metrics --------------------------------------------------------------------------

    @cached_property
    def cap_height(self) -> int:
        if self._os2_heights and self._os2_heights[1] > 0:
            return self._os2_heights[1]
        return self._ink_top("H", default=self.ascender)

    @cached_property
    def x_height(self) -> int:
        if self._os2_heights and self._os2_heights[0] > 0:
            return self._os2_heights[0]
        return self._ink_top("x", default=self.ascender // 2)

    def _ink_top(self, ch: str, default: int) -> int:
        gid = self.glyph_id(ch)
        bounds = self.ink_bounds(gid) if gid else None
        return bounds[3] if bounds else default

    @cached_property
    def _advances(self) -> list[int]:
        """hmtx advances by glyph id, parsed once from the raw table."""
        raw = self._table("hmtx")
        count = min(self._number_of_hmetrics, len(raw) // 4)
        pairs = array("H", raw[: count * 4])
        if sys.byteorder == "little":
            pairs.byteswap()
        advances = list(pairs[0::2])
        advances.extend([advances[-1] if advances else 0] * (self.glyph_count - len(advances)))
        return advances

    def advance(self, gid: int) -> int:
        """Horizontal advance from hmtx, in font units."""
        try:
            return self._advances[gid]
        except IndexError:
            raise FontError(
                f"{self.path}: 字形编号超出范围 (glyph id {gid} out of range)"
            ) from None

    def advances(self, gids: Iterable[int]) -> list[int]:
        table = self._advances
        return [table[gid] for gid in gids]

    # --- cmap -----------------------------------------------------------------------------

    def glyph_id(self, ch: str) -> int | None:
        """Glyph for one code point, or for a base + variation selector (the variant if the font
        maps the sequence, else the base glyph: Unicode says an unsupported selector is ignored)."""
        try:
            return self._cmap[ch]
        except KeyError:
            gid = self._cmap[ch] = self._lookup(ch)
            return gid

    def _lookup(self, ch: str) -> int | None:
        if len(ch) == 1:
            return self._hb_font.get_nominal_glyph(ord(ch)) or None
        if len(ch) == 2 and any(ord(ch[1]) in selectors for selectors in VARIATION_SELECTORS):
            variant = self._hb_font.get_variation_glyph(ord(ch[0]), ord(ch[1]))
            return variant or self._hb_font.get_nominal_glyph(ord(ch[0])) or None
        raise ValueError(f"glyph_id takes one character or a variation sequence, not {ch!r}")

    def has_char(self, ch: str) -> bool:
        return self.glyph_id(ch) is not None

    @cached_property
    def coverage(self) -> frozenset[int]:
        """Every code point the cmap maps."""
        return frozenset(self._hb_face.unicodes)

    # --- outlines and glyph names (fontTools, loaded on first use) ------------------------

    @cached_property
    def ttfont(self) -> TTFont:
        """The fontTools view of this face (lazy tables); for outlines, GSUB and subsetting."""
        from fontTools.ttLib import TTFont

        return TTFont(
            str(self.path),
            fontNumber=self.index,
            lazy=True,
            recalcBBoxes=False,
            recalcTimestamp=False,
        )

    @cached_property
    def _glyph_order(self) -> list[str]:
        return self.ttfont.getGlyphOrder()

    @cached_property
    def _glyph_set(self):
        return self.ttfont.getGlyphSet()

    def ink_bounds(self, gid: int) -> tuple[int, int, int, int] | None:
        """Tight ink box (xMin, yMin, xMax, yMax) of the outline; None for an empty glyph."""
        cache = self._ink_cache
        if gid not in cache:
            from fontTools.pens.boundsPen import BoundsPen

            pen = BoundsPen(self._glyph_set)
            self._glyph_set[self._glyph_order[gid]].draw(pen)
            cache[gid] = None if pen.bounds is None else tuple(round(v) for v in pen.bounds)
        return cache[gid]

    def cid(self, gid: int) -> int:
        """The CID of a glyph in a CID-keyed CFF (from its charset), else the glyph id itself."""
        cids = self._cids
        return cids[gid] if cids is not None else gid

    @cached_property
    def _cids(self) -> list[int] | None:
        if self.outline != "cff":
            return None
        try:
            return charset_cids(self._table("CFF "))
        except FontError as error:
            raise FontError(f"{self.path}: {error}") from None

    def substitute(
        self, gid: int, feature: str, script: str = DEFAULT_SCRIPT, language: str = DEFAULT_LANGUAGE
    ) -> int:
        """The glyph a single substitution of `feature` ('vert', 'fwid', 'locl' …) gives, or gid."""
        return self._single_substitutions(feature, script, language).get(gid, gid)

    def _single_substitutions(self, feature: str, script: str, language: str) -> dict[int, int]:
        key = (feature, script, language)
        cache = self._substitution_cache
        if key not in cache:
            try:
                cache[key] = single_substitutions(
                    self._table("GSUB"), feature, script, language, self.glyph_count
                )
            except FontError as error:
                raise FontError(f"{self.path}: {error}") from None
        return cache[key]

    # --- shaping --------------------------------------------------------------------------

    def shape(
        self,
        text: str,
        features: dict[str, bool] | None = None,
        script: str | None = None,
        language: str | None = None,
    ) -> list[ShapedGlyph]:
        """HarfBuzz shaping of a Latin/digit run, left to right, kern and liga on unless turned off."""
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.direction = "ltr"
        if script:
            buffer.script = script
        if language:
            buffer.language = language
        hb.shape(self._hb_font, buffer, {"kern": True, "liga": True, **(features or {})})
        return [
            ShapedGlyph(info.codepoint, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
        ]

    # --- punctuation ----------------------------------------------------------------------

    def punctuation_side(self, ch: str) -> str:
        """Where the ink of `ch` (after zh-Hans locl) sits in its advance: see punctuation.py."""
        from app.fonts.punctuation import ink_side

        return ink_side(self, ch)
