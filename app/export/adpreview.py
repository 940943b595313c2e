"""A PDF ad as a picture for the screen: its trim box rendered once by poppler's `pdftoppm`
(the renderer the e-paper uses) and kept in the cache folder under the file's digest, so the
editor draws an ad the way it draws a photo and an unchanged ad is never rendered twice.

The page is rendered through the same form the print PDF places (`adpdf.open_ad_form`):
a one-page PDF the size of the trim, the form drawn at its origin, so rotation and boxes
are handled once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from app.compose.layout import LU_PER_PT
from app.errors import PasteupError
from app.export.fonts import format_number
from app.fonts.filehash import cache_dir
from app.model.adpdf import open_ad_form, shown_box
from app.model.limits import shown

MAX_DPI = 300
RENDER_TIMEOUT_S = 60


def ad_preview(path: str, longest: int = 2400) -> tuple[Path, float]:
    """A PNG of the ad's trim box, at most `longest` pixels on its long side, and its pixels
    per layout unit; PasteupError when the ad cannot be read or rendered."""
    import pikepdf

    with open_ad_form(path) as opened:
        ad = opened.ad
        dpi = max(1, min(MAX_DPI, int(longest * 72 / max(ad.width, ad.height))))
        folder = cache_dir() / "ads"
        target = folder / f"{ad.digest}-{dpi}.png"
        if target.is_file():
            return target, dpi / 72 / LU_PER_PT
        program = shutil.which("pdftoppm")
        if program is None:
            raise PasteupError("pdftoppm: 未安装 poppler-utils (poppler-utils is not installed)")
        with tempfile.TemporaryDirectory(prefix="pasteup-ad-") as work:
            source = Path(work) / "ad.pdf"
            with pikepdf.new() as pdf:
                page = pdf.add_blank_page(page_size=(ad.width, ad.height))
                x, y = shown_box(opened.form)[:2]
                page.Resources = pikepdf.Dictionary(
                    XObject=pikepdf.Dictionary(Ad=pdf.copy_foreign(opened.form))
                )
                move = f"q 1 0 0 1 {format_number(-x)} {format_number(-y)} cm /Ad Do Q"
                page.Contents = pdf.make_stream(move.encode())
                pdf.save(source)
            stem = Path(work) / "ad"
            _run([program, "-r", str(dpi), "-png", "-singlefile", str(source), str(stem)], path)
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{target.name}.{os.getpid()}"
            shutil.move(stem.with_suffix(".png"), partial)
            os.replace(partial, target)  # whole or not at all, whoever else renders it
    return target, dpi / 72 / LU_PER_PT


def _run(command: list[str], path: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, timeout=RENDER_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise PasteupError(f"{shown(path, 200)}: pdftoppm 超时 (pdftoppm timed out)") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PasteupError(
            f"{shown(path, 200)}: pdftoppm 渲染失败 (rendering failed): "
            f"{lines[-1] if lines else done.returncode}"
        )
