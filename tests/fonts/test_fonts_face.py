"""Face: metrics, cmap, ink, substitutions and shaping against fontTools and HarfBuzz read directly."""

from pathlib import Path

import pytest
import uharfbuzz as hb
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from app.errors import PasteupError
from app.fonts import Face, FontError, check_gb_punctuation
from app.fonts.punctuation import side_of
from app.fonts.registry import BUNDLED_DIR

BODY = BUNDLED_DIR / "NotoSerifCJKsc-Regular.otf"
KAI = BUNDLED_DIR / "PasteupWenKai-Regular.ttf"
NOTO_TTC = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.fixture(scope="module", params=[BODY, KAI], ids=["cff", "glyf"])
def pair(request):
    return Face(request.param), TTFont(request.param)


def test_header_metrics_match_fonttools(pair):
    face, font = pair
    os2, head = font["OS/2"], font["head"]
    assert face.upm == head.unitsPerEm
    assert face.bbox == (head.xMin, head.yMin, head.xMax, head.yMax)
    assert (face.ascender, face.descender) == (os2.sTypoAscender, os2.sTypoDescender)
    assert (face.cap_height, face.x_height) == (os2.sCapHeight, os2.sxHeight)
    assert face.weight == os2.usWeightClass
    assert face.postscript_name == face.key == font["name"].getDebugName(6)
    assert face.outline == ("cff" if "CFF " in font else "glyf")
    assert face.glyph_count == font["maxp"].numGlyphs


def test_every_advance_equals_hmtx(pair):
    face, font = pair
    order, hmtx = font.getGlyphOrder(), font["hmtx"]
    assert [face.advance(gid) for gid in range(len(order))] == [hmtx[n][0] for n in order]
    assert face.advances([0, 1, 2]) == [hmtx[order[g]][0] for g in (0, 1, 2)]
    with pytest.raises(FontError):
        face.advance(len(order))


def test_every_cmap_entry_matches(pair):
    face, font = pair
    cmap = font.getBestCmap()
    ids = font.getReverseGlyphMap()
    assert face.coverage == frozenset(cmap)
    assert all(face.glyph_id(chr(cp)) == ids[name] for cp, name in cmap.items())
    assert face.glyph_id("\U0010fffd") is None and not face.has_char("\U0010fffd")


def test_variation_sequences():
    face = Face(BODY)
    # Standardized variant: 、 + VS2 is the centred form, a different glyph; VS1 is the default.
    assert face.glyph_id("、\ufe01") not in (None, face.glyph_id("、"))
    assert face.glyph_id("、\ufe00") == face.glyph_id("、")
    # A sequence the font does not map falls back to the base character's glyph.
    assert face.glyph_id("中\U000e0100") == face.glyph_id("中")
    with pytest.raises(ValueError):
        face.glyph_id("中国")


def test_ink_bounds_are_tight_and_inside_harfbuzz_extents(pair):
    face, font = pair
    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(str(face.path))))
    for ch in "中，。（A":
        gid = face.glyph_id(ch)
        pen = BoundsPen(glyph_set)
        glyph_set[order[gid]].draw(pen)
        assert face.ink_bounds(gid) == tuple(round(v) for v in pen.bounds)
        ext = hb_font.get_glyph_extents(gid)  # control box: contains the tight box
        x0, y0, x1, y1 = face.ink_bounds(gid)
        assert ext.x_bearing <= x0 and x1 <= ext.x_bearing + ext.width
        assert ext.y_bearing + ext.height <= y0 and y1 <= ext.y_bearing
    assert face.ink_bounds(face.glyph_id(" ")) is None


def test_vert_substitution_gives_vertical_forms():
    face = Face(BODY)
    for ch in "，。（":
        gid = face.glyph_id(ch)
        vertical = face.substitute(gid, "vert")
        assert vertical != gid, ch
    # Vertical ， sits in the upper right of the em; horizontal ， in the lower left.
    comma = face.glyph_id("，")
    x0, y0, _, _ = face.ink_bounds(face.substitute(comma, "vert"))
    _, _, x1, y1 = face.ink_bounds(comma)
    assert x0 > 500 and y0 > 400 and x1 < 500 and y1 < 400
    assert face.substitute(face.glyph_id("中"), "vert") == face.glyph_id("中")
    assert face.substitute(comma, "zzzz") == comma


def test_shaping_applies_kerning_and_ligatures():
    face = Face(BODY)
    a, v = face.glyph_id("A"), face.glyph_id("V")
    kerned = face.shape("AV")
    assert [g.gid for g in kerned] == [a, v]
    assert kerned[0].advance < face.advance(a)  # the AV kern pair
    assert face.shape("AV", {"kern": False})[0].advance == face.advance(a)
    ligated = face.shape("fi")
    assert len(ligated) == 1 and ligated[0].gid not in (face.glyph_id("f"), face.glyph_id("i"))
    assert ligated[0].cluster == 0
    plain = face.shape("fi", {"liga": False})
    assert [g.gid for g in plain] == [face.glyph_id("f"), face.glyph_id("i")]
    assert [g.cluster for g in face.shape("2026年")] == [0, 1, 2, 3, 4]


def test_punctuation_sides_follow_the_gb_table_in_noto():
    face = Face(BODY)
    assert {ch: face.punctuation_side(ch) for ch in "，。、：；？！）”》"} == dict.fromkeys(
        "，。、：；？！）”》", "left"
    )
    assert {ch: face.punctuation_side(ch) for ch in "（“《"} == dict.fromkeys("（“《", "right")
    assert check_gb_punctuation([face]) == ()
    with pytest.raises(FontError):
        face.punctuation_side("\U0010fffd")


def test_punctuation_check_reports_a_proportional_quote():
    kai = Face(KAI)
    mismatches = check_gb_punctuation([kai])
    found = {(m.char, m.expected, m.found) for m in mismatches}
    assert found == {("“", "right", "full"), ("”", "left", "full")}
    first = mismatches[0]
    assert first.face == kai.key and first.advance == kai.advance(first.gid) < kai.upm
    assert first.ink == kai.ink_bounds(first.gid)
    assert "GB expects" in first.message()


def test_side_classification():
    assert side_of(1000, (76, -196, 229, 118)) == "left"
    assert side_of(1000, (651, -88, 937, 848)) == "right"
    assert side_of(1000, (400, 0, 600, 100)) == "center"
    assert side_of(350, (57, 617, 308, 814)) == "full"
    assert side_of(1000, None) == "center"


def test_errors_name_the_file(tmp_path):
    text = tmp_path / "notes.ttf"
    text.write_text("这不是字体 — not a font", encoding="utf-8")
    empty = tmp_path / "empty.otf"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.otf"
    truncated.write_bytes(BODY.read_bytes()[:200])
    for path in (text, empty, truncated, tmp_path / "missing.otf", tmp_path):
        with pytest.raises(FontError) as info:
            Face(path)
        message = str(info.value)
        assert message.startswith(f"{path}: ") and "\n" not in message
        assert isinstance(info.value, PasteupError)
    with pytest.raises(FontError, match="no face 7"):
        Face(BODY, 7)


@pytest.mark.skipif(not NOTO_TTC.is_file(), reason="needs Debian's fonts-noto-cjk")
def test_ttc_faces_differ_only_in_cmap():
    jp, sc = Face(NOTO_TTC, 0), Face(NOTO_TTC, 2)
    assert (jp.family, sc.family) == ("Noto Serif CJK JP", "Noto Serif CJK SC")
    assert (jp.glyph_id("骨"), sc.glyph_id("骨")) == (45041, 45042)
    assert jp.sha256 == sc.sha256 and jp.key != sc.key
