"""The sample edition with a real PDF ad booked in its front-page slot, for the ad tests (here
and in tests/hostile), and the test ad's variants (`tools/make_ad_pdf.py`)."""

from __future__ import annotations

import io
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


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 495 319.5] /Resources 4 0 R /Contents 5 0 R >>"


def raw_pdf(*objects: bytes, catalog: bytes = b"<< /Type /Catalog /Pages 2 0 R >>") -> bytes:
    """A PDF of `objects` numbered from 3 after the catalog (1) and a one-page tree (2) whose
    page is object 3; offsets in the xref are right, so only the content is hostile."""
    bodies = [catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", *objects]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


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
