"""Single substitutions of one GSUB feature for one script/language system, as a gid → gid map.

The engine substitutes glyphs itself ('vert' for vertical punctuation, 'fwid' for full-width
quotes, 'locl' for zh-Hans forms) instead of shaping CJK text, so it needs the feature's effect
as a plain lookup table: lookups applied in LookupList order, each one to the previous result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

SINGLE = 1
EXTENSION = 7


def single_substitutions(font: TTFont, feature: str, script: str, language: str) -> dict[int, int]:
    """gid → gid for every glyph `feature` changes with single substitutions (other lookup types
    — ligatures, alternates, contextual — are not single-glyph mappings and are skipped)."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    if not table.ScriptList or not table.FeatureList or not table.LookupList:
        return {}
    lookup_indices = sorted(
        {
            index
            for feature_index in _feature_indices(table, script, language)
            if table.FeatureList.FeatureRecord[feature_index].FeatureTag == feature
            for index in table.FeatureList.FeatureRecord[feature_index].Feature.LookupListIndex
        }
    )
    ids = font.getReverseGlyphMap()
    result: dict[str, str] = {}
    for index in lookup_indices:
        mapping = _lookup_mapping(table.LookupList.Lookup[index])
        # Compose with what earlier lookups produced, then add glyphs they left alone.
        for source, target in list(result.items()):
            if target in mapping:
                result[source] = mapping[target]
        for source, target in mapping.items():
            result.setdefault(source, target)
    return {ids[s]: ids[t] for s, t in result.items() if s != t}


def _lookup_mapping(lookup) -> dict[str, str]:
    """Glyph name → glyph name of a single-substitution lookup; the first subtable wins."""
    mapping: dict[str, str] = {}
    for subtable in lookup.SubTable:
        kind = lookup.LookupType
        if kind == EXTENSION:
            kind, subtable = subtable.ExtensionLookupType, subtable.ExtSubTable
        if kind != SINGLE:
            continue
        for source, target in subtable.mapping.items():
            mapping.setdefault(source, target)
    return mapping


def _feature_indices(table, script: str, language: str) -> list[int]:
    """Feature indices of the language system: the script (else DFLT), the language (else its
    default)."""
    records = {record.ScriptTag: record.Script for record in table.ScriptList.ScriptRecord}
    script_table = records.get(script) or records.get("DFLT") or records.get("latn")
    if script_table is None:
        return []
    lang_sys = next(
        (r.LangSys for r in script_table.LangSysRecord if r.LangSysTag == language.ljust(4)),
        script_table.DefaultLangSys,
    )
    if lang_sys is None:
        return []
    indices = list(lang_sys.FeatureIndex)
    if lang_sys.ReqFeatureIndex != 0xFFFF:
        indices.append(lang_sys.ReqFeatureIndex)
    return indices
