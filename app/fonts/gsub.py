"""Single substitutions of one GSUB feature for one script/language system, as a gid → gid map.

The engine substitutes glyphs itself ('vert' for vertical punctuation, 'fwid' for full-width
quotes, 'locl' for zh-Hans forms) instead of shaping CJK text, so it needs the feature's effect
as a plain lookup table: lookups applied in LookupList order, each one to the previous result.

The table is read straight from its bytes (OpenType GSUB 1.0/1.1 layout), visiting only the
language system, the feature and the lookups asked for. Decompiling it with fontTools instead
means building the whole GSUB and the glyph-name order of a 65 000-glyph CJK face — about 0.1 s
per face, on the first character a fresh process sets.
"""

from __future__ import annotations

from struct import error as StructError
from struct import unpack_from

from app.fonts.errors import FontError

SINGLE = 1
EXTENSION = 7
NO_REQUIRED_FEATURE = 0xFFFF


def single_substitutions(
    gsub: bytes, feature: str, script: str, language: str, glyph_count: int
) -> dict[int, int]:
    """gid → gid for every glyph `feature` changes with single substitutions (other lookup types
    — ligatures, alternates, contextual — are not single-glyph mappings and are skipped).

    `gsub` is the raw table (empty when the face has none); targets outside the face's
    `glyph_count` glyphs are dropped."""
    if len(gsub) < 10:
        return {}
    try:
        return _single_substitutions(memoryview(gsub), feature, script, language, glyph_count)
    except (StructError, IndexError, ValueError):
        raise FontError("GSUB 表已损坏 (corrupt GSUB table)") from None


def _single_substitutions(
    table: memoryview, feature: str, script: str, language: str, glyph_count: int
) -> dict[int, int]:
    script_list, feature_list, lookup_list = unpack_from(">3H", table, 4)
    if not (script_list and feature_list and lookup_list):
        return {}
    wanted = feature.encode("ascii")
    lookup_indices: set[int] = set()
    features = _records(table, feature_list + 2, unpack_from(">H", table, feature_list)[0])
    for index in _feature_indices(table, script_list, script, language):
        tag, offset = features[index]
        if tag == wanted:
            lookup_indices.update(_u16_array(table, feature_list + offset + 2))
    lookup_count = unpack_from(">H", table, lookup_list)[0]
    result: dict[int, int] = {}
    for index in sorted(lookup_indices):
        if index >= lookup_count:
            raise ValueError("lookup index out of range")
        lookup = lookup_list + unpack_from(">H", table, lookup_list + 2 + 2 * index)[0]
        mapping = _lookup_mapping(table, lookup)
        # Compose with what earlier lookups produced, then add glyphs they left alone.
        for source, target in list(result.items()):
            if target in mapping:
                result[source] = mapping[target]
        for source, target in mapping.items():
            result.setdefault(source, target)
    return {s: t for s, t in result.items() if s != t and s < glyph_count and t < glyph_count}


def _feature_indices(table: memoryview, script_list: int, script: str, language: str) -> list[int]:
    """Feature indices of the language system: the script (else DFLT, else latn), the language
    (else the script's default)."""
    scripts = dict(_records(table, script_list + 2, unpack_from(">H", table, script_list)[0]))
    tags = (script.ljust(4).encode("ascii"), b"DFLT", b"latn")
    offset = next((scripts[tag] for tag in tags if tag in scripts), 0)
    if not offset:
        return []
    script_table = script_list + offset
    default_lang_sys, lang_sys_count = unpack_from(">2H", table, script_table)
    wanted = language.ljust(4).encode("ascii")
    lang_sys = next(
        (at for tag, at in _records(table, script_table + 4, lang_sys_count) if tag == wanted),
        default_lang_sys,
    )
    if not lang_sys:
        return []
    required = unpack_from(">H", table, script_table + lang_sys + 2)[0]
    indices = _u16_array(table, script_table + lang_sys + 4)
    if required != NO_REQUIRED_FEATURE:
        indices.append(required)
    return indices


def _records(table: memoryview, at: int, count: int) -> list[tuple[bytes, int]]:
    """(tag, offset) of `count` 6-byte tag records starting at `at`."""
    return [
        (bytes(table[start : start + 4]), unpack_from(">H", table, start + 4)[0])
        for start in range(at, at + 6 * count, 6)
    ]


def _u16_array(table: memoryview, at: int) -> list[int]:
    """A u16 count at `at` followed by that many u16 values."""
    count = unpack_from(">H", table, at)[0]
    return list(unpack_from(f">{count}H", table, at + 2))


def _lookup_mapping(table: memoryview, lookup: int) -> dict[int, int]:
    """gid → gid of a single-substitution lookup; the first subtable that covers a glyph wins."""
    kind, _flags, count = unpack_from(">3H", table, lookup)
    mapping: dict[int, int] = {}
    for offset in unpack_from(f">{count}H", table, lookup + 6):
        subtable, subtable_kind = lookup + offset, kind
        if kind == EXTENSION:
            _format, subtable_kind, extension = unpack_from(">HHI", table, subtable)
            subtable += extension
        if subtable_kind != SINGLE:
            continue
        for source, target in _single_subtable(table, subtable):
            mapping.setdefault(source, target)
    return mapping


def _single_subtable(table: memoryview, at: int) -> list[tuple[int, int]]:
    subst_format, coverage = unpack_from(">2H", table, at)
    glyphs = _coverage(table, at + coverage)
    if subst_format == 1:
        delta = unpack_from(">h", table, at + 4)[0]
        return [(gid, (gid + delta) % 0x10000) for gid in glyphs]
    if subst_format == 2:
        return list(zip(glyphs, _u16_array(table, at + 4), strict=False))
    raise ValueError(f"single substitution format {subst_format}")


def _coverage(table: memoryview, at: int) -> list[int]:
    """Covered glyph ids in coverage-index order."""
    coverage_format = unpack_from(">H", table, at)[0]
    if coverage_format == 1:
        return _u16_array(table, at + 2)
    if coverage_format == 2:
        count = unpack_from(">H", table, at + 2)[0]
        ranges = unpack_from(f">{3 * count}H", table, at + 4)
        glyphs: list[int] = []
        for i in range(0, len(ranges), 3):  # startCoverageIndex is implied by the order
            glyphs.extend(range(ranges[i], ranges[i + 1] + 1))
        return glyphs
    raise ValueError(f"coverage format {coverage_format}")
