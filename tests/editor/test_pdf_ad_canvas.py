"""A PDF ad on the canvas: its page rendered once (poppler, cached by the file's digest) and
painted in its slot like a photo, where the print PDF puts it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.compose.layout import to_pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))
from adkit import PATCH, edition_with_ad, is_paper, is_red, slot_pt

pytestmark = pytest.mark.qt
DPI = 36


def test_the_canvas_paints_the_pdf_ad_in_its_slot(make_editor, tmp_path):
    folder = edition_with_ad(tmp_path / "edition")
    window = make_editor(page=folder)
    assert window.session.document.page_id == "p1"
    image = window.canvas.render_page(DPI)
    bleed = to_pt(window.session.layout.bleed)
    x, y, w, h = slot_pt(folder)
    scale = DPI / 72

    def pixel(px: float, py: float) -> tuple[int, int, int]:
        colour = image.pixelColor(round((px + bleed) * scale), round((py + bleed) * scale))
        return colour.red(), colour.green(), colour.blue()

    px, py, pw, ph = PATCH
    assert is_red(pixel(x + px + pw / 2, y + py + ph / 2))
    assert not is_paper(pixel(x + w / 2, y + h - 20))  # the ad's tint fills the slot
    assert is_paper(pixel(x - 4, y + h / 2))  # and stops at its edge
    cached = list((Path(os.environ["PASTEUP_CACHE_DIR"]) / "ads").glob("*.png"))
    assert cached  # rendered once, kept under the ad's digest
