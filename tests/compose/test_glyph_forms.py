"""Glyph forms (issue 14): a 破折号 —— prints as one unbroken stroke, ／'s ink stays inside its
½-em cell, a hyphenated word prints its hyphen and reads back whole (PDFs read back by poppler)."""

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
from app.compose.layout import GlyphRun, to_pt
from app.compose.paragraph import compose_paragraph
from app.export.print_pdf import write_print_pdf
from app.fonts import default_registry
from app.model import read_document

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"


def printable_sample():
    """The sample page with its stand-in photo declared real: a placeholder never prints."""
    document = read_document(SAMPLE)
    document.update_block("photo", placeholder=False)
    return document


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
    document = printable_sample()
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


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_hyphenated_word_prints_its_hyphen_and_reads_back_whole(tmp_path):
    document = printable_sample()
    story = document.stories["lead"]
    starts = story.paragraph_starts()
    index = next(i for i, p in enumerate(story.paragraphs) if p.role == "正文")
    start = starts[index]
    text = "从这里您可看到 aptitude 搜索模式系统的威力，即时选取 libs 与 perl 区块的所有软件包。"
    document.replace_text("lead", start, start + len(story.paragraphs[index].text), text)
    layout = Composer().compose(document)
    [line] = [line for line in layout.lines if line.text.endswith("apti")]
    run = max(
        (r for r in layout.items if isinstance(r, GlyphRun) and r.y == line.baseline
         and line.x <= r.page_xs[0] <= line.x + line.width),
        key=lambda r: r.page_xs[-1],
    )  # fmt: skip
    assert run.clusters[-1][0] == run.clusters[-1][1]  # the hyphen draws no character
    assert run.page_xs[-1] >= line.x + line.width  # after the word's last letter
    pdf = tmp_path / "page.pdf"
    write_print_pdf(layout, pdf)
    extracted = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    flat = "".join(extracted.split())
    assert "aptitude搜索模式" in flat and "apti-" not in flat
    # The hyphen is ink in the PDF, where the layout put it.
    px = DPI / 72
    left = to_pt(run.page_xs[-1] + layout.bleed) * px
    width = to_pt(run.advances[-1]) * px
    top = to_pt(line.top + layout.bleed) * px
    height = to_pt(line.bottom - line.top) * px
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", "-x", str(round(left)),
         "-y", str(round(top)), "-W", str(round(width)), "-H", str(round(height)), str(pdf),
         str(tmp_path / "hyphen")],
        check=True,
    )  # fmt: skip
    ink = 255 - np.asarray(Image.open(tmp_path / "hyphen.png").convert("L")).astype(int)
    assert ink.max() > 128
