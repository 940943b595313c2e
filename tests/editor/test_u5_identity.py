"""U5 (docs/cjk-composition): 500 paragraphs of mixed text, set by the engine; the glyph
positions recovered from the print PDF and those the Qt painter is given equal the engine's
to the layout unit."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from app.compose.composer import Composer
from app.compose.layout import GlyphRun, to_pt
from app.editor.canvas.painter import glyph_run
from app.editor.canvas.resources import PaintResources
from app.model import PageDocument, PageMeta, Paragraph, Story, TextBlock
from app.model.blocks import GridFrame
from app.model.fields import Where
from app.model.layouts import layout_from_data, load_layout
from app.publish import export_print

sys.path.insert(0, str(Path(__file__).parents[1] / "export"))
from readback import placed_glyphs

pytestmark = pytest.mark.qt
SEED = Path(__file__).parents[1] / "data" / "news-page.txt"
WORDS = ("Python", "GDP", "5G", "2026年", "3.5%", "“十五五”", "（记者）", "——", "……", "New York",
         "1,234.56亿元", "《建议》", "·", "？！", "、", "；", "：")  # fmt: skip


def mixed_paragraphs(count: int) -> list[str]:
    han = [ch for ch in SEED.read_text(encoding="utf-8") if "\u4e00" <= ch <= "\u9fff"]
    rng = random.Random(5)
    paragraphs = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(3, 9)):
            parts.append("".join(rng.choice(han) for _ in range(rng.randint(1, 6))))
            parts.append(rng.choice(WORDS) if rng.random() < 0.6 else "，")
        paragraphs.append("".join(parts) + "。")
    return paragraphs


@pytest.fixture(scope="module")
def tall_page():
    """One text block through eight columns of a page tall enough for all 500 paragraphs."""
    base = load_layout("broadsheet-8col")
    data = {
        "page": {"trim": ["390mm", "2600mm"], "margins": {"top": "20mm", "bottom": "20mm"}},
        "grid": {"columns": 8, "column_chars": 13, "body_size": "小五", "line_pitch": "13.5pt"},
        "fonts": {role: list(families) for role, families in base.fonts.items()},
        "styles": {"正文": {"font": "song", "size": "小五", "indent": 2}},
    }
    layout = layout_from_data(data, Where("tall.toml"), "tall")
    story = Story("mixed", tuple(Paragraph("正文", t) for t in mixed_paragraphs(500)))
    frame = GridFrame(col=0, span=8, line=0, depth=layout.grid.lines)
    document = PageDocument(PageMeta(paper="U5"), layout, {}, {"mixed": story},
                            [TextBlock("mixed", "mixed", (frame,))])  # fmt: skip
    return document, Composer().compose(document)


def test_the_qt_painter_is_given_the_engines_positions(qtbot, tall_page):
    _, layout = tall_page
    assert not [f for f in layout.findings if f.code == "overset"]
    assert len({line.paragraph for line in layout.lines}) == 500
    resources = PaintResources()
    runs = [item for item in layout.items if isinstance(item, GlyphRun)]
    for run in runs:
        qt_run = glyph_run(layout, run, resources)
        assert list(qt_run.glyphIndexes()) == list(run.glyphs)
        positions = qt_run.positions()
        assert [round(p.x() * 64, 6) for p in positions] == list(run.page_xs)  # exact in binary
        assert {round(p.y() * 64, 6) for p in positions} == {run.y}
        assert qt_run.rawFont().pixelSize() == to_pt(run.size)


def test_the_pdf_places_glyphs_at_the_engines_positions(tall_page, tmp_path):
    import pikepdf

    document, layout = tall_page
    path = tmp_path / "u5.pdf"
    export_print(document, layout, path)
    runs = [item for item in layout.items if isinstance(item, GlyphRun) and item.glyphs]
    shows = placed_glyphs(path)[: len(runs)]
    with pikepdf.open(path) as pdf:
        left, _, _, top = (float(v) for v in pdf.pages[0].TrimBox)
    assert len(shows) == len(runs)
    for run, glyphs in zip(runs, shows, strict=True):
        assert len(glyphs) == len(run.page_xs)
        for glyph, x in zip(glyphs, run.page_xs, strict=True):
            assert abs((glyph.x - left) * 64 - x) < 0.05
            assert abs((top - glyph.y) * 64 - run.y) < 0.05
