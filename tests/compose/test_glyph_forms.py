"""Glyph forms (issue 14): a 破折号 —— prints as one unbroken stroke, ／'s ink stays inside its
½-em cell, in the bundled faces (the PDF read back by poppler for the dash)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from PIL import Image

from app.compose.composer import Composer
from app.compose.config import DEFAULT
from app.compose.fontmetrics import body_metrics
from app.compose.layout import to_pt
from app.compose.paragraph import compose_paragraph
from app.export.print_pdf import write_print_pdf
from app.fonts import default_registry
from app.model import read_document

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"
DPI = 600


def _ink_bounds(path: str, gid: int) -> tuple[int, int, int]:
    """(upm, left, right) of a glyph's outline in font units."""
    font = TTFont(path, lazy=True)
    glyph_set = font.getGlyphSet()
    pen = BoundsPen(glyph_set)
    glyph_set[font.getGlyphName(gid)].draw(pen)
    assert pen.bounds is not None
    return font["head"].unitsPerEm, pen.bounds[0], pen.bounds[2]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_two_em_dash_is_one_continuous_stroke_in_the_pdf(tmp_path):
    document = read_document(SAMPLE)
    layout = Composer().compose(document)
    [line] = [line for line in layout.lines if "——" in line.text]
    at = line.text.index("——")
    left, _ = line.char_x[at]
    _, right = line.char_x[at + 1]
    pdf = tmp_path / "page.pdf"
    write_print_pdf(layout, pdf)
    px = DPI / 72
    box = [round(to_pt(v + layout.bleed) * px) for v in (left, line.top, right, line.bottom)]
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", "-x", str(box[0]),
         "-y", str(box[1]), "-W", str(box[2] - box[0]), "-H", str(box[3] - box[1]),
         str(pdf), str(tmp_path / "dash")],
        check=True,
    )  # fmt: skip
    ink = 255 - np.asarray(Image.open(tmp_path / "dash.png").convert("L")).astype(int)
    row = ink[ink.sum(axis=1).argmax()] > 128
    longest = run = 0
    for on in row:
        run = run + 1 if on else 0
        longest = max(longest, run)
    # One stroke over most of the two ems (a Chinese dash keeps a little room at its ends);
    # two em dashes side by side leave a gap in the middle and neither is longer than an em.
    assert longest >= 0.75 * row.size, (longest, row.size)


def test_solidus_ink_stays_inside_its_cell():
    registry = default_registry()
    for family in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
        metrics = body_metrics(registry, [family], 64 * 10)
        text = "本报记者／张三李四"
        [line] = compose_paragraph(text, 20 * metrics.em, metrics, DEFAULT).lines
        at = text.index("／")
        cell_left, cell_right = line.char_x[at]
        [glyph] = [g for g in line.glyphs if g.start == at]
        face = next(f for f in registry.chain([family]) if f.key == glyph.font)
        upm, ink_left, ink_right = _ink_bounds(str(face.path), glyph.gid)
        scale = metrics.em / upm
        assert cell_right - cell_left == metrics.em // 2
        assert glyph.x + ink_left * scale >= cell_left
        assert glyph.x + ink_right * scale <= cell_right
