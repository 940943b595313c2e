"""The sample edition with a real PDF ad booked in its front-page slot, for the ad tests (here
and in tests/hostile), and the test ad's variants (`tools/make_ad_pdf.py`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image as PILImage

ROOT = Path(__file__).resolve().parents[2]
EDITION = ROOT / "assets" / "samples" / "edition"
AD_FIXTURE = ROOT / "tests" / "data" / "ad-4x24.pdf"
sys.path.insert(0, str(ROOT / "tools"))
import make_ad_pdf  # noqa: E402  (tools/make_ad_pdf.py: what the test ad holds, and where)

ad_pdf = make_ad_pdf.ad_pdf
PATCH = make_ad_pdf.PATCH
WORDS_AT = make_ad_pdf.WORDS_AT
SLOT_PT = make_ad_pdf.SLOT_PT


def edition_with_ad(folder: Path, ad: bytes | None = None, name: str = "front.pdf") -> Path:
    """The sample edition copied to `folder`, its stand-ins declared real, the front page's
    slot booked with `ad` (default: the committed test ad) at ads/`name`."""
    shutil.copytree(EDITION, folder)
    for path in (folder / "edition.json", *folder.glob("p*.json")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"placeholder": true', '"placeholder": false'), "utf-8")
    plan = json.loads((folder / "edition.json").read_text("utf-8"))
    front = next(ad for ad in plan["ads"] if ad["id"] == "ad-front")
    front["file"] = f"ads/{name}"
    (folder / "edition.json").write_text(json.dumps(plan, ensure_ascii=False, indent=1), "utf-8")
    target = folder / "ads" / name
    if ad is None:
        shutil.copyfile(AD_FIXTURE, target)
    else:
        target.write_bytes(ad)
    return folder


def slot_pt(folder: Path) -> tuple[float, float, float, float]:
    """The front ad's slot on its page: x, y from the trim's top-left (y down), w, h in pt."""
    from app.model.editionfile import read_edition
    from app.model.geometry import frame_rect

    edition = read_edition(folder)
    ad = next(a for a in edition.ads if a.id == "ad-front")
    rect = frame_rect(ad.frame, edition.page(ad.page).document.layout.grid)
    return rect.x, rect.y, rect.w, rect.h


def words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word pdftotext finds: text, xMin, yMin, xMax, yMax (pt from the MediaBox's
    top-left)."""
    result = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (text, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, text in re.findall(pattern, result.stdout)
    ]


def trim_offset(pdf: Path) -> tuple[float, float]:
    """Where the page's trim box starts from the MediaBox's top-left (pt, y down)."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        page = doc.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
    return trim[0] - media[0], media[3] - trim[3]


def render(pdf: Path, folder: Path, dpi: int = 36) -> PILImage.Image:
    """Page 1 rendered by poppler (pdftoppm), RGB."""
    stem = folder / f"render-{pdf.stem}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(stem)], check=True
    )
    with PILImage.open(stem.with_suffix(".png")) as image:
        return image.convert("RGB")


def is_red(pixel: tuple[int, int, int]) -> bool:
    """The ad's 0/100/100/0 patch as a renderer shows it."""
    r, g, b = pixel
    return r > 180 and g < 90 and b < 90


def is_paper(pixel: tuple[int, int, int]) -> bool:
    return min(pixel) > 240
