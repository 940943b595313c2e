"""The proof PDF: RGB, a header naming the version, the text map attached and exact."""

from __future__ import annotations

import pikepdf
import pytest
from pages import STORY, sample_layout
from readback import (
    colour_report,
    ghostscript_messages,
    pdffonts,
    pdftotext,
    placed_glyphs,
    qpdf_check,
    squeeze,
)

from app.compose.layout import GlyphRun
from app.compose.textmap import TEXTMAP_FILENAME, load_textmap
from app.export.proof_pdf import ProofOptions, write_proof_pdf

OPTIONS = ProofOptions(
    page="测试日报|2024-05-06|3|要闻",
    heading="测试日报 2024年5月6日 第3版 要闻",
    proof_round=2,
    document_hash="0123456789abcdef",
    stories={"s1": STORY},
    watermark="校样",
)


@pytest.fixture(scope="module")
def proof(tmp_path_factory, photo):
    layout = sample_layout(image=photo)
    path = tmp_path_factory.mktemp("proof") / "proof.pdf"
    write_proof_pdf(layout, path, OPTIONS)
    return layout, path


def test_readers_accept_it(proof):
    _, path = proof
    qpdf_check(path)
    assert ghostscript_messages(path) == ""
    fonts = pdffonts(path)
    assert fonts and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts)


def test_header_names_paper_round_and_version(proof):
    text = pdftotext(proof[1])
    first = text.splitlines()[0]
    assert "测试日报" in first and "第3版" in first and "二校" in first
    assert "0123456789abcdef" in first


def test_story_text_extracts_in_order(proof):
    layout, path = proof
    expected = "".join(squeeze(r.text) for r in layout.items if isinstance(r, GlyphRun))
    assert expected in squeeze(pdftotext(path))


def test_colours_are_rgb_only(proof):
    report = colour_report(proof[1])
    assert report["operators"] & {"rg"}
    assert not report["operators"] & {"k", "K"}
    assert report["images"] == {"/DeviceRGB"}


def test_text_map_is_attached_and_pins_characters_to_the_drawn_glyphs(proof):
    layout, path = proof
    with pikepdf.open(path) as pdf:
        attachments = pdf.attachments
        assert list(attachments) == [TEXTMAP_FILENAME]
        data = attachments[TEXTMAP_FILENAME].get_file().read_bytes()
    textmap = load_textmap(data, str(path))
    assert textmap.proof_round == 2 and textmap.document_hash == "0123456789abcdef"
    assert textmap.page == OPTIONS.page and textmap.stories == {"s1": STORY}
    assert textmap.lines == layout.lines
    # the first glyph of every story run, found in the PDF, maps to its character's box
    shows = placed_glyphs(path)[1:]  # the header comes first
    runs = [item for item in layout.items if isinstance(item, GlyphRun)]
    for run, glyphs in zip(runs, shows, strict=False):
        x, baseline = textmap.pdf_to_layout(glyphs[0].x, glyphs[0].y)
        assert (x, baseline) == (run.page_xs[0], run.y)
        line = next(
            line for line in textmap.lines if line.baseline == run.y and line.block == run.block
        )
        assert line.char_x[0][0] == x
