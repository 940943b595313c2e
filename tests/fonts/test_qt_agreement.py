"""Qt loads the bundled faces from their files and agrees with Face on glyph ids and advances.

The editor draws the engine's glyph ids with QRawFont + QGlyphRun; this is the contract that
lets it (feasibility §4: Qt's own advances differ by up to 1/64 px, never accumulate them).
"""

import os

import pytest

from app.fonts import Face
from app.fonts.registry import BUNDLED_DIR

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
QtGui = pytest.importorskip("PySide6.QtGui")

TEXT = "新华社北京电，国务院（记者）“今天”表示：2026年GDP增长5%……《人民日报》AVfi"
PIXELS = 13.194  # 9.5 pt at 100 dpi


@pytest.mark.qt
@pytest.mark.parametrize(
    "name",
    ["NotoSerifCJKsc-Regular.otf", "NotoSansCJKsc-Black.otf", "PasteupWenKai-Regular.ttf"],
)
def test_qrawfont_has_the_same_glyph_ids_and_advances(qapp, name):
    path = BUNDLED_DIR / name
    face = Face(path)
    raw = QtGui.QRawFont(str(path), PIXELS, QtGui.QFont.HintingPreference.PreferNoHinting)
    assert raw.isValid()
    assert raw.familyName() == face.family
    assert raw.unitsPerEm() == face.upm
    gids = list(raw.glyphIndexesForString(TEXT))
    assert gids == [face.glyph_id(ch) for ch in TEXT]
    # A glyph only GSUB reaches (vertical comma) is addressable by id and has the font's advance.
    vertical = face.substitute(face.glyph_id("，"), "vert")
    if vertical != face.glyph_id("，"):
        gids.append(vertical)
    advances = raw.advancesForGlyphIndexes(gids, QtGui.QRawFont.LayoutFlag.UseDesignMetrics)
    for gid, advance in zip(gids, advances, strict=True):
        assert advance.x() == pytest.approx(face.advance(gid) * PIXELS / face.upm, abs=1 / 32)
    assert not raw.pathForGlyph(face.glyph_id("中")).isEmpty()
