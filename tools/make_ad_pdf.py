"""Draw a test ad as agencies deliver one: a one-page CMYK PDF, PDF/X-1a-like, trim box sized
to a booked slot, 3 mm of bleed around it, its font embedded.

It is made with ReportLab, deterministically (same arguments, same bytes), and written to
`tests/data/ad-4x24.pdf`, sized to the sample edition's 4-column × 24-line slot on the
broadsheet grid (495 × 319.5 pt). What the tests look for, in the ad's own coordinates
from the trim box's top-left corner (pt, y down):

* a magenta-and-yellow (red) patch, 0/100/100/0, at (20, 20)–(140, 90);
* the words `PASTEUP ADVERT` (and 广告) in black, baseline at y = 160, starting at x = 20;
* a 20 % cyan tint over the whole MediaBox, bleed included (the slot must clip it).

Variants for tests (`ad_pdf(...)` keywords): `rgb` draws the patch in DeviceRGB, `embedded`
False sets the words in Helvetica (not embedded), `transparency` draws the patch at 50 %
opacity, `pages` adds pages. Run: `.venv/bin/python tools/make_ad_pdf.py`.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab import rl_config  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from app.export.pdfx import NO_INITIAL_FONT  # noqa: E402  (registers the no-initial-font font)

TARGET = ROOT / "tests" / "data" / "ad-4x24.pdf"
SLOT_PT = (495.0, 319.5)  # the sample edition's ad-front slot: 4 columns × 24 lines
BLEED_PT = 3 * 72 / 25.4
FONT = "PasteupAdWenKai"
PATCH = (20.0, 20.0, 120.0, 70.0)  # x, y from the trim's top-left (y down), width, height
WORDS = "PASTEUP ADVERT"
WORDS_AT = (20.0, 160.0)  # baseline start, from the trim's top-left (y down)


def ad_pdf(
    width: float = SLOT_PT[0],
    height: float = SLOT_PT[1],
    *,
    rgb: bool = False,
    embedded: bool = True,
    transparency: bool = False,
    pages: int = 1,
) -> bytes:
    """The ad's bytes: trim `width` × `height` pt, bleed around it."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "PasteupWenKai-Regular.ttf")))
    bleed = BLEED_PT
    rl_config.useA85 = 0  # binary streams, as Pasteup's own writer sets it process-wide
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(width + 2 * bleed, height + 2 * bleed),
        trimBox=(bleed, bleed, bleed + width, bleed + height),
        bleedBox=(0, 0, width + 2 * bleed, height + 2 * bleed),
        invariant=1,
        initialFontName=NO_INITIAL_FONT,
        pdfVersion=(1, 4) if transparency else (1, 3),
    )
    canvas.setTitle("Pasteup test ad")
    canvas.setCreator("tools/make_ad_pdf.py")
    for _ in range(pages):
        _draw(canvas, width, height, bleed, rgb, embedded, transparency)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw(canvas, width, height, bleed, rgb, embedded, transparency) -> None:
    top = bleed + height  # the trim's top edge, y up
    canvas.setFillColorCMYK(0.2, 0, 0, 0)
    canvas.rect(0, 0, width + 2 * bleed, height + 2 * bleed, stroke=0, fill=1)
    if rgb:
        canvas.setFillColorRGB(1, 0, 0)
    else:
        canvas.setFillColorCMYK(0, 1, 1, 0)
    if transparency:
        canvas.setFillAlpha(0.5)
    x, y, w, h = PATCH
    canvas.rect(bleed + x, top - y - h, w, h, stroke=0, fill=1)
    if transparency:
        canvas.setFillAlpha(1)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.setFont(FONT if embedded else "Helvetica", 24)
    canvas.drawString(bleed + WORDS_AT[0], top - WORDS_AT[1], WORDS)
    if embedded:
        canvas.drawString(bleed + WORDS_AT[0], top - WORDS_AT[1] - 40, "广告 ADVERTISEMENT")
    canvas.setStrokeColorCMYK(0, 0, 0, 1)
    canvas.setLineWidth(1)
    canvas.rect(bleed + 0.5, bleed + 0.5, width - 1, height - 1, stroke=1, fill=0)


if __name__ == "__main__":
    TARGET.write_bytes(ad_pdf())
    print(TARGET)
