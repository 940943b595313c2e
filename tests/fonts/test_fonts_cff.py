"""CFF charsets read from the raw table agree with fontTools' glyph names (cidNNNNN)."""

from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables.C_F_F_ import table_C_F_F_

from app.fonts import Face, FontError
from app.fonts.cff import charset_cids
from app.fonts.registry import BUNDLED_DIR
from app.fonts.subset import subset_for_embedding

SYSTEM_NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
CFF_FONTS = [
    *((path, 0) for path in sorted(BUNDLED_DIR.glob("*.otf"))),
    *((SYSTEM_NOTO, index) for index in (0, 3) if SYSTEM_NOTO.exists()),
]


def fonttools_cids(cff: bytes) -> tuple[list[int], int]:
    """CIDs by glyph id from fontTools' charset names, and the charset's format byte."""
    table = table_C_F_F_()
    table.decompile(cff, TTFont())
    top = table.cff.topDictIndex[0]
    assert hasattr(top, "ROS")
    cids = [0 if name == ".notdef" else int(name.removeprefix("cid")) for name in top.charset]
    return cids, cff[top.rawDict["charset"]]


@pytest.mark.parametrize(("path", "index"), CFF_FONTS, ids=[f"{p.name}#{i}" for p, i in CFF_FONTS])
def test_face_cids_agree_with_fonttools(path, index):
    raw = TTFont(path, fontNumber=index, lazy=True).reader["CFF "]
    expected, _ = fonttools_cids(raw)
    assert charset_cids(raw) == expected
    face = Face(path, index)
    assert [face.cid(gid) for gid in range(0, face.glyph_count, 97)] == expected[::97]


def test_subset_charsets_in_range_and_list_formats_agree_with_fonttools():
    face = Face(BUNDLED_DIR / "NotoSerifCJKsc-Regular.otf")
    formats = set()
    for gids in (range(100, 400), range(1, face.glyph_count, 211), [5, 6, 7, 9000, 9001, 12000]):
        subset = subset_for_embedding(face, gids)
        expected, charset_format = fonttools_cids(subset.cff_table)
        formats.add(charset_format)
        assert charset_cids(subset.cff_table) == expected
        assert [subset.cid_for_gid[g] for g in sorted(set(gids) | {0})] == [
            face.cid(g) for g in sorted(set(gids) | {0})
        ]
    assert formats == {0, 1}  # a list and a range charset (the bundled faces use format 2)


def test_a_name_keyed_cff_has_no_cids(tmp_path):
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    pen = T2CharStringPen(500, None)
    builder.setupCFF("Plain", {"FullName": "Plain"}, {".notdef": pen.getCharString(), "a": pen.getCharString()}, {})  # fmt: skip
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    builder.setupHorizontalHeader()
    builder.setupOS2()
    builder.setupPost()
    builder.setupNameTable({"familyName": "Plain", "styleName": "Regular"})
    builder.setupMaxp()
    path = tmp_path / "plain.otf"
    builder.save(path)
    assert charset_cids(TTFont(path).reader["CFF "]) is None
    face = Face(path)
    assert face.cid(1) == 1


@pytest.mark.parametrize("cut", [3, 10, 100, 2000])
def test_a_truncated_table_is_a_font_error(cut):
    raw = TTFont(BUNDLED_DIR / "NotoSansCJKsc-Regular.otf", lazy=True).reader["CFF "]
    with pytest.raises(FontError, match="CFF"):
        charset_cids(raw[:cut])
