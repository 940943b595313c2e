"""The codes `cid_for_gid` gives select the right glyphs in a real PDF renderer (Ghostscript).

A minimal Type0/Identity-H PDF is written with pikepdf from an EmbeddedSubset, one glyph per page
at 100 pt; Ghostscript renders it and the ink box on the page must be the face's ink box of the
glyph asked for. Distinct marks (， lower left, （ right half, vertical ， upper right) make a wrong
code show as a wrong box.
"""

import shutil
import subprocess

import pikepdf
import pytest
from PIL import Image

from app.fonts import Face
from app.fonts.registry import BUNDLED_DIR
from app.fonts.subset import EmbeddedSubset, subset_for_embedding

SIZE, X, BASELINE, PAGE = 100, 50, 100, 200  # points; rendered at 72 dpi, so 1 px = 1 pt

pytestmark = pytest.mark.skipif(
    not (shutil.which("gs") and shutil.which("pdffonts")), reason="needs ghostscript and poppler"
)


def type0_font(pdf: pikepdf.Pdf, sub: EmbeddedSubset) -> pikepdf.Dictionary:
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name("/" + sub.base_font),
        Flags=sub.flags,
        FontBBox=pikepdf.Array(sub.bbox),
        ItalicAngle=0,
        Ascent=sub.ascent,
        Descent=sub.descent,
        CapHeight=sub.cap_height,
        StemV=80,
    )
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        BaseFont=pikepdf.Name("/" + sub.base_font),
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        DW=1000,
        W=pikepdf.Array(
            [x for code in sorted(sub.widths) for x in (code, pikepdf.Array([sub.widths[code]]))]
        ),
    )
    if sub.outline == "cff":
        program = pikepdf.Stream(pdf, sub.cff_table)
        program.Subtype = pikepdf.Name.CIDFontType0C
        descriptor.FontFile3 = program
        cid_font.Subtype = pikepdf.Name.CIDFontType0
    else:
        descriptor.FontFile2 = pikepdf.Stream(pdf, sub.data)
        cid_font.Subtype = pikepdf.Name.CIDFontType2
        cid_font.CIDToGIDMap = pikepdf.Name.Identity
    cid_font.FontDescriptor = descriptor
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        BaseFont=pikepdf.Name("/" + sub.base_font),
        Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=pikepdf.Array([cid_font]),
    )


def ink_box(path) -> tuple[int, int, int, int]:
    image = Image.open(path).convert("L").point(lambda v: 255 if v < 128 else 0)
    return image.getbbox()


@pytest.mark.parametrize("name", ["NotoSerifCJKsc-Regular.otf", "PasteupWenKai-Regular.ttf"])
def test_embedded_codes_draw_the_intended_glyphs(tmp_path, name):
    face = Face(BUNDLED_DIR / name)
    comma = face.glyph_id("，")
    gids = [comma, face.glyph_id("（"), face.glyph_id("中")]
    if face.substitute(comma, "vert") != comma:
        gids.append(face.substitute(comma, "vert"))
    sub = subset_for_embedding(face, gids)
    pdf = pikepdf.new()
    font = pdf.make_indirect(type0_font(pdf, sub))
    for gid in gids:
        code = sub.cid_for_gid[gid]
        page = pdf.add_blank_page(page_size=(PAGE, PAGE))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        text = f"BT /F1 {SIZE} Tf 1 0 0 1 {X} {BASELINE} Tm <{code:04X}> Tj ET"
        page.Contents = pdf.make_stream(text.encode())
    pdf_path = tmp_path / "glyphs.pdf"
    pdf.save(pdf_path)
    fonts = subprocess.run(["pdffonts", pdf_path], capture_output=True, text=True, check=True)
    kind = "CID Type 0C" if sub.outline == "cff" else "CID TrueType"
    assert kind in fonts.stdout and sub.base_font in fonts.stdout
    gs = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR", "-sDEVICE=pnggray"]
    options = ["-r72", "-dGraphicsAlphaBits=1", "-dTextAlphaBits=1", f"-o{tmp_path}/p%d.png"]
    subprocess.run([*gs, *options, pdf_path], check=True, capture_output=True)
    scale = SIZE / face.upm
    for page_number, gid in enumerate(gids, start=1):
        x0, y0, x1, y1 = face.ink_bounds(gid)
        expected = (
            X + x0 * scale,
            PAGE - BASELINE - y1 * scale,
            X + x1 * scale,
            PAGE - BASELINE - y0 * scale,
        )
        found = ink_box(tmp_path / f"p{page_number}.png")
        assert all(abs(a - b) <= 2 for a, b in zip(found, expected, strict=True)), (
            gid,
            found,
            expected,
        )
