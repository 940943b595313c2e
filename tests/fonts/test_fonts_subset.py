"""subset_for_embedding: the subset re-read with fontTools draws the same glyphs at the codes given."""

import io
import random
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from app.fonts import Face, FontError
from app.fonts.registry import BUNDLED_DIR
from app.fonts.subset import subset_for_embedding

BODY = BUNDLED_DIR / "NotoSerifCJKsc-Regular.otf"
KAI = BUNDLED_DIR / "PasteupWenKai-Regular.ttf"
NOTO_TTC = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def outline(glyph_set, name):
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.value


def chosen_gids(face: Face, count: int) -> list[int]:
    """Characters of a news text, their vertical forms, and random glyphs."""
    text = "新华社北京电，国务院总理（记者）“今天”表示：2026年GDP增长5%……《人民日报》"
    gids = {face.glyph_id(ch) for ch in text if face.has_char(ch)}
    gids |= {face.substitute(face.glyph_id(ch), "vert") for ch in "，。（“"}
    gids |= set(random.Random(7).sample(range(1, face.glyph_count), count - len(gids)))
    return sorted(gids)


@pytest.mark.parametrize("path", [BODY, KAI], ids=["cff", "glyf"])
def test_subset_round_trip(path):
    face = Face(path)
    gids = chosen_gids(face, 2000)
    embedded = subset_for_embedding(face, gids)
    subset = TTFont(io.BytesIO(embedded.data))
    original = TTFont(path)
    # Composite TrueType glyphs bring their components along; CFF glyphs are self-contained.
    assert subset["maxp"].numGlyphs >= len(set(gids) | {0})
    assert set(embedded.cid_for_gid) == set(gids) | {0}
    assert "GSUB" not in subset and "GPOS" not in subset
    order, glyph_set = subset.getGlyphOrder(), subset.getGlyphSet()
    original_order, original_set = original.getGlyphOrder(), original.getGlyphSet()
    if embedded.outline == "cff":
        top = subset["CFF "].cff.topDictIndex[0]
        assert top.ROS == ("Adobe", "Identity", 0)  # still CID-keyed
        assert embedded.cff_table == subset.reader["CFF "]
        # The PDF reader finds the glyph for a code through the charset: CID → glyph.
        by_code = {0 if n == ".notdef" else int(n[3:]): n for n in top.charset}
        assert subset["maxp"].numGlyphs == len(set(gids) | {0})
        hinting = [fd.Private.BlueValues for fd in top.FDArray]  # hint zones kept
        assert hinting and all(hinting)
    else:
        assert embedded.cff_table is None and "glyf" in subset
        by_code = dict(enumerate(order))  # /CIDToGIDMap /Identity: code = glyph index
        for table in ("fpgm", "prep", "cvt ", "gasp"):  # TrueType hinting kept
            assert (table in subset) == (table in original), table
    scale = 1000 / face.upm
    for gid in gids:
        code = embedded.cid_for_gid[gid]
        name = by_code[code]
        assert outline(glyph_set, name) == outline(original_set, original_order[gid]), gid
        assert subset["hmtx"][name][0] == face.advance(gid)
        assert embedded.widths[code] == round(face.advance(gid) * scale)
    if embedded.outline == "cff":
        assert all(embedded.cid_for_gid[g] == face.cid(g) for g in gids)


def test_descriptor_values_and_tag():
    face = Face(BODY)
    embedded = subset_for_embedding(face, [face.glyph_id("中")])
    assert (embedded.ascent, embedded.descent, embedded.cap_height) == (880, -120, 729)
    assert embedded.bbox == face.bbox and embedded.flags & 4
    assert len(embedded.tag) == 6 and embedded.tag.isupper() and embedded.tag.isalpha()
    assert embedded.base_font == f"{embedded.tag}+NotoSerifCJKsc-Regular"
    again = subset_for_embedding(face, [face.glyph_id("中")])
    other = subset_for_embedding(face, [face.glyph_id("国")])
    assert again.tag == embedded.tag and again.data == embedded.data  # deterministic
    assert other.tag != embedded.tag


def test_bad_glyph_ids():
    face = Face(BODY)
    with pytest.raises(FontError, match="out of range"):
        subset_for_embedding(face, [face.glyph_count])


@pytest.mark.skipif(not NOTO_TTC.is_file(), reason="needs Debian's fonts-noto-cjk")
def test_system_ttc_face_codes_are_its_glyph_ids():
    """Noto CJK TTC faces are CID-keyed with CID == GID, so the code is the face's glyph id."""
    face = Face(NOTO_TTC, 2)
    gids = [face.glyph_id(ch) for ch in "骨直，。中"]
    embedded = subset_for_embedding(face, gids)
    assert all(embedded.cid_for_gid[g] == g for g in gids)
    assert TTFont(io.BytesIO(embedded.data))["maxp"].numGlyphs == len(gids) + 1
