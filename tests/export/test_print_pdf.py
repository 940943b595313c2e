"""The print PDF, read back with qpdf, poppler, Ghostscript and pikepdf."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pages import sample_layout, serif, set_line
from PIL import Image as PILImage
from readback import (
    colour_report,
    ghostscript_messages,
    pdffonts,
    pdftotext,
    placed_glyphs,
    qpdf_check,
    squeeze,
)

from app.compose.layout import GlyphRun, PageLayout, from_pt, to_pt
from app.export.colors import BUNDLED_PROFILE
from app.export.marks import MARGIN, Slug
from app.export.print_pdf import PrintOptions, write_print_pdf


def export(tmp_path: Path, layout: PageLayout, **options) -> Path:
    path = tmp_path / "print.pdf"
    write_print_pdf(layout, path, PrintOptions(**options))
    return path


@pytest.fixture(scope="module")
def page_pdf(tmp_path_factory, photo) -> tuple[PageLayout, Path]:
    layout = sample_layout(image=photo, bleed=from_pt(72 / 25.4 * 3))
    return layout, export(tmp_path_factory.mktemp("print"), layout)


def test_qpdf_finds_no_errors(page_pdf):
    qpdf_check(page_pdf[1])


def test_every_font_is_an_embedded_cid_subset(page_pdf):
    fonts = pdffonts(page_pdf[1])
    assert {f["type"] for f in fonts} == {"CID Type 0C", "CID TrueType"}
    assert all(f["emb"] == f["sub"] == f["uni"] == "yes" for f in fonts)
    assert all(f["encoding"] == "Identity-H" for f in fonts)
    assert len(fonts) == 2  # one font object per face, no Helvetica


def test_text_extracts_as_the_stories_characters_in_order(page_pdf):
    layout, path = page_pdf
    text = squeeze(pdftotext(path))
    runs = [item for item in layout.items if isinstance(item, GlyphRun)]
    expected = "".join(squeeze(run.text) for run in runs)
    assert text == expected  # includes the fi ligature, compressed and vertical-form punctuation


def test_glyph_positions_equal_the_engines_to_a_64th_of_a_point(page_pdf):
    layout, path = page_pdf
    runs = [item for item in layout.items if isinstance(item, GlyphRun)]
    shows = placed_glyphs(path)
    assert len(shows) == len(runs)  # one TJ per run
    trim_left = trim_top = None
    with pikepdf.open(path) as pdf:
        trim = [float(v) for v in pdf.pages[0].TrimBox]
        trim_left, trim_top = trim[0], trim[3]
    truetype_outlines = embedded_truetype_outlines(path)
    for run, glyphs in zip(runs, shows, strict=True):
        if run.font == "serif":  # CID-keyed CFF: the code is the CID, which is the glyph id
            assert [g.code for g in glyphs] == list(run.glyphs)
        else:  # TrueType subset: the code picks the subset glyph with the face glyph's outline
            original = original_outlines(run.font, layout)
            assert [truetype_outlines[g.font][g.code] for g in glyphs] == [
                original[gid] for gid in run.glyphs
            ]
        assert glyphs[0].size == to_pt(run.size)
        for glyph, x in zip(glyphs, run.page_xs, strict=True):
            assert abs((glyph.x - trim_left) * 64 - x) < 0.05
            assert abs((trim_top - glyph.y) * 64 - run.y) < 0.05


def _outline(glyf, name) -> tuple:
    glyph = glyf[name]
    coordinates, _, _ = glyph.getCoordinates(glyf)
    return tuple(coordinates)


def embedded_truetype_outlines(path: Path) -> dict[str, dict[int, tuple]]:
    """Font resource name → subset glyph index → outline points, from each FontFile2."""
    result = {}
    with pikepdf.open(path) as pdf:
        for name, font in pdf.pages[0].Resources.Font.items():
            descriptor = font.DescendantFonts[0].FontDescriptor
            if "/FontFile2" not in descriptor:
                continue
            face = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
            order = face.getGlyphOrder()
            result[name] = {i: _outline(face["glyf"], n) for i, n in enumerate(order)}
    return result


def original_outlines(key: str, layout: PageLayout) -> dict[int, tuple]:
    source = layout.font(key)
    face = TTFont(source.path, fontNumber=source.index, lazy=True)
    order = face.getGlyphOrder()
    wanted = {
        gid
        for item in layout.items
        if isinstance(item, GlyphRun) and item.font == key
        for gid in item.glyphs
    }
    return {gid: _outline(face["glyf"], order[gid]) for gid in wanted}


def test_page_boxes_as_set(page_pdf):
    layout, path = page_pdf
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
        media = [float(v) for v in page.MediaBox]
    b = to_pt(layout.bleed)
    assert trim == [b, b, b + to_pt(layout.width), b + to_pt(layout.height)]
    assert bleed == [0, 0, to_pt(layout.width) + 2 * b, to_pt(layout.height) + 2 * b]
    assert media == bleed


def test_no_rgb_anywhere_in_print(page_pdf):
    report = colour_report(page_pdf[1])
    assert not report["operators"] & {"rg", "RG", "g", "G", "sc", "scn", "SC", "SCN"}
    assert report["operators"] >= {"k"}
    assert report["images"] == {"/DeviceCMYK"}
    assert not report["spaces"]


def test_ghostscript_renders_without_a_message(page_pdf):
    assert ghostscript_messages(page_pdf[1]) == ""


@pytest.mark.parametrize(
    ("level", "header", "gts"), [("4", b"%PDF-1.6", "PDF/X-4"), ("1a", b"%PDF-1.3", "PDF/X-1:2001")]
)
def test_pdfx_identification(tmp_path, level, header, gts):
    path = export(tmp_path, sample_layout(), pdfx=level, title="测试报 第1版 <A&B>")
    assert path.read_bytes().startswith(header)
    with pikepdf.open(path) as pdf:
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == gts
        assert str(info.Trapped) == "/False"
        assert str(info.Title) == "测试报 第1版 <A&B>"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        assert intents[0].S == "/GTS_PDFX"
        assert str(intents[0].OutputConditionIdentifier) == "CGATS TR 002"
        assert int(intents[0].DestOutputProfile.N) == 4
        assert intents[0].DestOutputProfile.read_bytes() == BUNDLED_PROFILE.read_bytes()
        assert len(pdf.trailer.ID) == 2
        if level == "4":
            with pdf.open_metadata() as xmp:
                assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
                assert xmp["pdf:Producer"] == str(info.Producer)
                assert xmp["dc:title"] == "测试报 第1版 <A&B>"  # escaped in the XML, read back
                document_id = xmp["xmpMM:DocumentID"]
                assert document_id.startswith("uuid:")
                assert str(uuid.UUID(document_id[5:])) == document_id[5:]
        else:
            assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
            assert "/Metadata" not in pdf.Root
    qpdf_check(path)
    assert ghostscript_messages(path) == ""


def test_black_text_overprints_and_tints_do_not(tmp_path):
    path = export(tmp_path, sample_layout())
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        states = {str(k): v for k, v in page.Resources.ExtGState.items()}
        active = {}
        overprinted_text = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "q":
                active = dict(active)
            if op == "gs":
                active.update({str(k): v for k, v in states[str(operands[0])].items()})
            if op == "Q":
                active = {}
            if op == "TJ":
                overprinted_text.append(bool(active.get("/op")) and int(active.get("/OPM", 0)) == 1)
            if op == "f":
                assert not active.get("/op")
    assert overprinted_text and all(overprinted_text)


def test_marks_and_slug_lie_outside_the_bleed(tmp_path):
    layout = sample_layout(bleed=from_pt(72 / 25.4 * 3))
    slug = Slug(paper="测试日报", date="2024年5月6日", edition="第3版", version="0123abcd")
    path = export(tmp_path, layout, marks=True, slug=slug)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        bleed = [float(v) for v in page.BleedBox]
    margin = to_pt(MARGIN)
    assert bleed[0] == pytest.approx(margin) and media[0] == 0
    assert media[2] == pytest.approx(to_pt(layout.width + 2 * layout.bleed) + 2 * margin)
    text = pdftotext(path)
    assert "测试日报" in text and "第3版" in text and "版本 0123abcd" in text
    # every stroke of a mark starts beyond the bleed box
    qpdf_check(path)
    assert ghostscript_messages(path) == ""
    assert {f["emb"] for f in pdffonts(path)} == {"yes"}


def test_cmyk_photo_is_converted_with_the_profile_and_cropped(page_pdf):
    layout, path = page_pdf
    with pikepdf.open(path) as pdf:
        images = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
        assert len(images) == 1
        image = images[0]
        assert image.Filter == pikepdf.Name.DCTDecode  # the JPEG passed through as is
        assert image.ColorSpace == "/DeviceCMYK"
        # crop (10, 5.5)–(310, 205.5) kept as whole pixels 10..310 x 5..206
        assert (int(image.Width), int(image.Height)) == (300, 201)
        # the pure black patch prints within the profile's 240 % ink limit
        pixels = pikepdf.PdfImage(image).as_pil_image()
        black_patch = pixels.getpixel((120, 40))  # ink values (pikepdf applies /Decode)
        assert black_patch[3] > 200 and sum(black_patch) <= 240 * 255 / 100 + 3
        placement = [
            [float(v) for v in operands]
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if str(operator) == "cm"
        ]
    # the crop's top-left pixel (10, 5.5) lands on the frame's top-left corner:
    # 120 pt for 300 px, so pixel 5 starts half a pixel (0.2 pt) above the frame
    a, _, _, d, e, f = placement[-1]
    frame = next(item for item in layout.items if getattr(item, "block", "") == "photo")
    left = to_pt(layout.bleed + frame.rect.x)
    top = to_pt(layout.bleed + layout.height - frame.rect.y)
    assert a == pytest.approx(120.0) and d == pytest.approx(201 * 0.4)
    assert e == pytest.approx(left) and f + d == pytest.approx(top + 0.5 * 0.4)


def test_extraction_survives_glyphs_that_do_not_map_one_to_one(tmp_path):
    """A glyph reused for other text, and one character drawn with two glyphs."""
    base = set_line(serif(), "中文", 12, from_pt(20), from_pt(40))
    reused = GlyphRun(
        font="serif",
        size=base.size,
        color=base.color,
        y=from_pt(60),
        glyphs=(base.glyphs[0], base.glyphs[1]),
        xs=(from_pt(20), from_pt(32)),
        advances=(from_pt(12), from_pt(12)),
        text="甲乙",
        clusters=((0, 1), (1, 2)),
    )
    split = GlyphRun(
        font="serif",
        size=base.size,
        color=base.color,
        y=from_pt(80),
        glyphs=(base.glyphs[0], base.glyphs[1], base.glyphs[0]),
        xs=(from_pt(20), from_pt(26), from_pt(32)),
        advances=(from_pt(6), from_pt(6), from_pt(12)),
        text="丙丁",
        clusters=((0, 1), (0, 1), (1, 2)),
    )
    layout = PageLayout(from_pt(200), from_pt(120), 0, (base, reused, split), (), (), (serif(),))
    path = export(tmp_path, layout)
    assert squeeze(pdftotext(path)) == "中文甲乙丙丁"
    qpdf_check(path)


def test_greyscale_photo_prints_on_the_black_plate_only(tmp_path):
    grey = tmp_path / "grey.png"
    PILImage.new("L", (320, 240), 64).save(grey)
    path = export(tmp_path, sample_layout(image=grey))
    with pikepdf.open(path) as pdf:
        image = next(x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image")
        assert image.ColorSpace == "/DeviceCMYK"
        c, m, y, k = pikepdf.PdfImage(image).as_pil_image().getpixel((50, 50))
    assert (c, m, y) == (0, 0, 0) and abs(k - (255 - 64)) <= 2
    assert ghostscript_messages(path) == ""
