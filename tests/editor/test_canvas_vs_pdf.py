"""The canvas and the exported print PDF put every glyph in the same place.

The page is painted by the canvas painter (QRawFont/QGlyphRun at the layout's
positions) and, independently, the print PDF from `app.export` is rendered by
poppler's `pdftoppm`, both at 150 dpi. Each glyph's em box in the canvas image is
registered against the PDF image (normalised cross-correlation over ±3 px with a
sub-pixel peak fit), which measures position and ignores the two rasterisers'
different stroke darkness.
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image as PILImage
from PySide6.QtGui import QImage

from app.compose.layout import GlyphRun, to_pt
from app.export.print_pdf import write_print_pdf

pytestmark = pytest.mark.qt
DPI = 150
SEARCH = 3  # px either way


def render_both(window, folder) -> tuple[np.ndarray, np.ndarray]:
    """Ink (0–255, 255 = black) of the canvas painter's page and of pdftoppm's PDF render."""
    image = window.canvas.render_page(DPI).convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(bytes(image.constBits()), dtype=np.uint8)
    canvas = rows.reshape(image.height(), image.bytesPerLine())[:, : image.width()]
    pdf = folder / "page.pdf"
    write_print_pdf(window.session.layout, pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(pdf), str(folder / "p")],
        check=True,
    )
    poppler = np.asarray(PILImage.open(folder / "p.png").convert("L"))
    return 255.0 - canvas.astype(float), 255.0 - poppler.astype(float)


def has_ink(image: np.ndarray, box) -> bool:
    x0, y0, x1, y1 = box
    patch = image[y0:y1, x0:x1]
    return ((patch - patch.mean()) ** 2).sum() >= 1e3


def offset(ours: np.ndarray, theirs: np.ndarray, box) -> tuple[float, float]:
    """How far the glyph in `box` of `ours` sits from the same glyph in `theirs`, in px."""
    x0, y0, x1, y1 = box
    patch = ours[y0:y1, x0:x1] - ours[y0:y1, x0:x1].mean()
    scores = np.full((2 * SEARCH + 1, 2 * SEARCH + 1), -1.0)
    for dy in range(-SEARCH, SEARCH + 1):
        for dx in range(-SEARCH, SEARCH + 1):
            other = theirs[y0 + dy : y1 + dy, x0 + dx : x1 + dx]
            other = other - other.mean()
            norm = np.sqrt((patch**2).sum() * (other**2).sum()) + 1e-9
            scores[dy + SEARCH, dx + SEARCH] = (patch * other).sum() / norm
    iy, ix = np.unravel_index(scores.argmax(), scores.shape)

    def refine(left: float, centre: float, right: float) -> float:
        curvature = left - 2 * centre + right
        return 0.0 if curvature >= 0 else 0.5 * (left - right) / curvature

    fx = ix - SEARCH
    fy = iy - SEARCH
    if 0 < ix < 2 * SEARCH:
        fx += refine(scores[iy, ix - 1], scores[iy, ix], scores[iy, ix + 1])
    if 0 < iy < 2 * SEARCH:
        fy += refine(scores[iy - 1, ix], scores[iy, ix], scores[iy + 1, ix])
    return -fx, -fy  # the PDF glyph is at +f, so ours is at −f relative to it


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("tracking", [0.0, 0.15])
def test_canvas_and_pdf_agree_on_glyph_positions(make_editor, tmp_path, tracking):
    """Untracked, and with the body letter-spaced through the styles panel (字距)."""
    window = make_editor()
    if tracking:
        window.styles.role.setCurrentText("正文")
        window.styles.numbers["tracking"].setValue(tracking)
        assert window.session.document.styles["正文"].tracking == tracking
    layout = window.session.layout
    ours, theirs = render_both(window, tmp_path)
    assert abs(ours.shape[0] - theirs.shape[0]) <= 1 and abs(ours.shape[1] - theirs.shape[1]) <= 1
    scale, bleed = DPI / 72, to_pt(layout.bleed)
    offsets = []
    missing = []  # glyphs one side drew and the other did not
    for run in (i for i in layout.items if isinstance(i, GlyphRun)):
        size = to_pt(run.size)
        for (start, end), x, advance in zip(run.clusters, run.page_xs, run.advances, strict=True):
            if not run.text[start:end].strip():
                continue  # a space has no ink of its own to find
            left = (to_pt(x) + bleed) * scale
            top = (to_pt(run.y) - 0.88 * size + bleed) * scale  # the em box's top
            box = (
                int(left) - 1,
                int(top) - 1,
                int(left + to_pt(advance) * scale) + 2,
                int(top + size * scale) + 2,
            )
            drawn = has_ink(ours, box), has_ink(theirs, box)
            if drawn == (True, True):
                offsets.append(offset(ours, theirs, box))
            elif True in drawn:
                missing.append((run.text[start:end], to_pt(run.size), drawn))
    assert not missing, missing[:5]
    assert len(offsets) > 2000
    measured = np.array(offsets)
    mean = measured.mean(axis=0)
    worst = np.abs(measured).max(axis=0)
    p99 = np.percentile(np.abs(measured), 99, axis=0)
    print(f"glyphs {len(measured)}, mean {mean}, p99 {p99}, max {worst}")
    # A common sub-pixel shift is the rasterisers' pixel-centre conventions, not an error.
    assert np.all(np.abs(mean) <= 0.5), mean
    assert np.all(p99 <= 1.0), p99
    # Every glyph within one pixel, once that common shift is taken out (the raw worst case,
    # about 1.05 px, is the shift plus Qt's quantised horizontal sub-pixel origins).
    assert np.all(np.abs(measured - mean).max(axis=0) <= 1.0), worst
