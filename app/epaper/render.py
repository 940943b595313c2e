"""Page images rendered from the print PDF itself, so the e-paper shows what was printed.

The renderer is poppler's `pdftoppm` (Debian poppler-utils): a separate, well-kept program,
run on the PDF the plant receives, cropped to the trim box. Thumbnails and photo crops are
cut from that rendering with Pillow; nothing is redrawn.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from PIL import Image as PILImage

from app.compose.layout import PageLayout, Rect
from app.errors import PasteupError

JPEG_QUALITY = 85
RENDER_TIMEOUT_S = 120


class Rendering(NamedTuple):
    path: Path
    width: int  # pixels
    height: int
    scale: float  # pixels per layout unit


def start_render(pdf: bytes, layout: PageLayout, dpi: int, target: Path) -> tuple:
    """Start `pdftoppm` on the page's trim box at `dpi`, writing `target` (JPEG); finish it
    with `finish_render`. Pages of an edition render side by side this way."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise PasteupError("pdftoppm: 未安装 poppler-utils (poppler-utils is not installed)")
    scale = dpi / 72 / 64  # pixels per layout unit
    width, height = round(layout.width * scale), round(layout.height * scale)
    bleed = round(layout.bleed * scale)
    folder = tempfile.TemporaryDirectory(prefix="pasteup-epaper-")
    source = Path(folder.name) / "page.pdf"
    source.write_bytes(pdf)
    stem = Path(folder.name) / "page"
    command = [
        program, "-r", str(dpi), "-jpeg", "-jpegopt", f"quality={JPEG_QUALITY}",
        "-x", str(bleed), "-y", str(bleed), "-W", str(width), "-H", str(height),
        "-singlefile", str(source), str(stem),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, folder, stem.with_suffix(".jpg"), Rendering(target, width, height, scale)


def finish_render(started: tuple) -> Rendering:
    process, folder, output, rendering = started
    with folder:
        try:
            _, errors = process.communicate(timeout=RENDER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise PasteupError(f"{rendering.path}: pdftoppm 超时 (pdftoppm timed out)") from None
        if process.returncode != 0 or not output.is_file():
            message = errors.decode("utf-8", "replace").strip().splitlines()
            raise PasteupError(
                f"{rendering.path}: pdftoppm 渲染失败 (rendering failed): "
                f"{message[-1] if message else process.returncode}"
            )
        shutil.move(output, rendering.path)
    return rendering


def thumbnail(rendering: Rendering, target: Path, width: int) -> tuple[int, int]:
    """A smaller copy of the page image, `width` pixels wide; its size."""
    with PILImage.open(rendering.path) as image:
        height = max(1, round(image.height * width / image.width))
        image.draft("RGB", (width, height))  # decode the JPEG at 1/2–1/8 scale, then resample
        small = image.resize((width, height), PILImage.Resampling.LANCZOS)
    small.save(target, "JPEG", quality=JPEG_QUALITY)
    return width, height


def crop(rendering: Rendering, rect: Rect, target: Path) -> tuple[int, int]:
    """The part of the page image under `rect` (a photo as printed); its size."""
    s = rendering.scale
    box = (
        max(0, round(rect.x * s)),
        max(0, round(rect.y * s)),
        min(rendering.width, round(rect.right * s)),
        min(rendering.height, round(rect.bottom * s)),
    )
    with PILImage.open(rendering.path) as image:
        part = image.crop(box)
    part.save(target, "JPEG", quality=JPEG_QUALITY)
    return part.size
