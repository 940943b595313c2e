"""GSUB single substitutions read from the raw table agree with fontTools' decompiled GSUB."""

from pathlib import Path

import pytest
from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.fontBuilder import FontBuilder
from fontTools.ttLib import TTFont

from app.fonts import Face, FontError
from app.fonts.gsub import single_substitutions
from app.fonts.registry import BUNDLED_DIR

SYSTEM_NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONTS = [
    *((path, 0) for path in sorted(BUNDLED_DIR.glob("*.[ot]tf"))),
    *((SYSTEM_NOTO, index) for index in (0, 2, 4) if SYSTEM_NOTO.exists()),
]
FEATURES = ("locl", "vert", "vrt2", "fwid", "hwid", "pwid", "smpl", "trad", "zzzz")
SYSTEMS = (
    ("hani", "ZHS "),
    ("hani", "ZHT "),
    ("hani", "ZHH "),
    ("hani", "JAN "),
    ("hani", "KOR "),
    ("hani", "dflt"),
    ("kana", "JAN "),
    ("DFLT", "dflt"),
    ("latn", "dflt"),
    ("cyrl", "dflt"),
    ("arab", "URD "),  # absent: falls back to DFLT
)


def fonttools_substitutions(font: TTFont, feature: str, script: str, language: str):
    """The reference: fontTools' decompiled GSUB, by glyph name, composed in LookupList order."""
    table = font["GSUB"].table
    records = {r.ScriptTag: r.Script for r in table.ScriptList.ScriptRecord}
    script_table = records.get(script) or records.get("DFLT") or records.get("latn")
    if script_table is None:
        return {}
    lang_sys = next(
        (r.LangSys for r in script_table.LangSysRecord if r.LangSysTag == language),
        script_table.DefaultLangSys,
    )
    if lang_sys is None:
        return {}
    indices = list(lang_sys.FeatureIndex)
    if lang_sys.ReqFeatureIndex != 0xFFFF:
        indices.append(lang_sys.ReqFeatureIndex)
    features = table.FeatureList.FeatureRecord
    lookups = sorted(
        {n for i in indices if features[i].FeatureTag == feature for n in features[i].Feature.LookupListIndex}
    )  # fmt: skip
    result: dict[str, str] = {}
    for index in lookups:
        lookup = table.LookupList.Lookup[index]
        mapping: dict[str, str] = {}
        for subtable in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, subtable = subtable.ExtensionLookupType, subtable.ExtSubTable
            if kind == 1:
                for source, target in subtable.mapping.items():
                    mapping.setdefault(source, target)
        for source, target in list(result.items()):
            if target in mapping:
                result[source] = mapping[target]
        for source, target in mapping.items():
            result.setdefault(source, target)
    ids = font.getReverseGlyphMap()
    return {ids[s]: ids[t] for s, t in result.items() if s != t}


@pytest.mark.parametrize(
    ("path", "index"), FONTS, ids=[f"{p.name}#{i}" for p, i in FONTS]
)  # fmt: skip
def test_every_feature_and_language_system_agrees_with_fonttools(path, index):
    font = TTFont(path, fontNumber=index, lazy=True)
    raw = font.reader["GSUB"]
    glyph_count = font["maxp"].numGlyphs
    face = Face(path, index)
    compared = 0
    for feature in FEATURES:
        for script, language in SYSTEMS:
            expected = fonttools_substitutions(font, feature, script, language)
            got = single_substitutions(raw, feature, script, language, glyph_count)
            assert got == expected, (feature, script, language)
            compared += len(expected)
    assert compared > 100  # these faces do carry locl/vert/fwid substitutions
    for source, target in fonttools_substitutions(font, "vert", "hani", "ZHS ").items():
        assert face.substitute(source, "vert") == target


def _built_font(features: str) -> TTFont:
    glyphs = [".notdef", "a", "b", "c", "d", "e"]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({ord(g): g for g in glyphs[1:]})
    builder.setupGlyf({g: _empty_glyph() for g in glyphs})
    builder.setupHorizontalMetrics({g: (500, 0) for g in glyphs})
    builder.setupHorizontalHeader()
    builder.setupMaxp()
    addOpenTypeFeaturesFromString(builder.font, features)
    return builder.font


def _empty_glyph():
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    return TTGlyphPen(None).glyph()


def test_lookups_compose_in_lookup_order_and_first_subtable_wins(tmp_path):
    font = _built_font(
        """
        languagesystem DFLT dflt;
        languagesystem hani dflt;
        languagesystem hani ZHS;
        lookup ONE useExtension { sub a by b; sub c by d; } ONE;
        lookup TWO { sub b by c; sub e by a; } TWO;
        feature locl { script hani; language ZHS exclude_dflt; lookup ONE; lookup TWO; } locl;
        feature fwid { sub [a b] by [c c]; } fwid;
        """
    )
    path = tmp_path / "built.ttf"
    font.save(path)
    face = Face(path)
    a, b, c, d, e = (face.glyph_id(ch) for ch in "abcde")
    # a → b (ONE) → c (TWO); c → d; b → c; e → a; d untouched
    assert {g: face.substitute(g, "locl") for g in (a, b, c, d, e)} == {
        a: c,
        b: c,
        c: d,
        d: d,
        e: a,
    }
    # a language system without locl, and a script the font lacks (DFLT then applies)
    assert face.substitute(a, "locl", language="JAN ") == a
    assert face.substitute(a, "fwid", script="cyrl", language="dflt") == c
    reloaded = TTFont(path)
    for language in ("ZHS ", "dflt"):
        for feature in ("locl", "fwid"):
            expected = fonttools_substitutions(reloaded, feature, "hani", language)
            assert face._single_substitutions(feature, "hani", language) == expected


def test_a_face_without_gsub_substitutes_nothing(tmp_path):
    path = tmp_path / "plain.ttf"
    _built_font("").save(path)
    face = Face(path)
    assert face.substitute(face.glyph_id("a"), "locl") == face.glyph_id("a")


@pytest.mark.parametrize("cut", [12, 40, 200, 2000, 40000])
def test_a_truncated_table_is_a_font_error(cut):
    font = TTFont(BUNDLED_DIR / "NotoSerifCJKsc-Regular.otf", lazy=True)
    raw = font.reader["GSUB"]  # its fwid lookup lies in the last 10 kB
    with pytest.raises(FontError, match="GSUB"):
        single_substitutions(raw[:cut], "fwid", "hani", "ZHS ", font["maxp"].numGlyphs)


def test_a_face_with_a_corrupt_gsub_names_its_file(tmp_path):
    data = bytearray((BUNDLED_DIR / "PasteupWenKai-Regular.ttf").read_bytes())
    font = TTFont(BUNDLED_DIR / "PasteupWenKai-Regular.ttf", lazy=True)
    offset = font.reader.tables["GSUB"].offset
    data[offset + 8 : offset + 10] = b"\xff\xf0"  # LookupList offset far past the table
    path = tmp_path / "broken.ttf"
    path.write_bytes(bytes(data))
    face = Face(path)
    with pytest.raises(FontError, match=f"{path}.*GSUB"):
        face.substitute(face.glyph_id("，"), "vert")
