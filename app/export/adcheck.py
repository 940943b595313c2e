"""Preflight of a PDF ad: the file the agency sent against the slot booked for it and the
plate's rules (`app.model.adpdf` reads the file; `preflight.MESSAGES` words the findings).

An ad's trim box must be the slot's size within `SIZE_TOLERANCE_MM` on both axes; its colour
CMYK (or grey, spot) — RGB cannot be converted inside someone else's artwork, so it is an
error where a photo's RGB is only a note; its fonts embedded; nothing PDF/X forbids. Features
only PDF/X-4 allows (transparency, ICC colour) are a warning: a PDF/X-1a export refuses them.
"""

from __future__ import annotations

from typing import Any, Literal

from app.compose.layout import Finding, Image, Rect, to_pt
from app.errors import PasteupError
from app.model.adpdf import AdPdf, read_ad_pdf
from app.model.units import MM_PER_PT

SIZE_TOLERANCE_MM = 0.5
# What keeps an ad off the plate whatever --force says: the file would break PDF/X.
UNPRINTABLE = frozenset({"ad-rgb", "ad-font-not-embedded", "ad-forbidden"})
PDFX4_ONLY = frozenset({"ad-pdfx4-only"})  # and what keeps it out of a PDF/X-1a file


def ad_findings(image: Image, slot: Rect) -> list[Finding]:
    """What is wrong with the PDF ad `image` placed in `slot` (layout units)."""
    try:
        ad = read_ad_pdf(image.path)
    except PasteupError as error:
        reason = (("path", image.path), ("reason", str(error)))
        return [Finding("ad-unreadable", "error", image.block, args=reason)]
    found = []
    slot_mm = (to_pt(slot.w) * MM_PER_PT, to_pt(slot.h) * MM_PER_PT)
    ad_mm = (ad.width * MM_PER_PT, ad.height * MM_PER_PT)
    if any(abs(a - s) > SIZE_TOLERANCE_MM for a, s in zip(ad_mm, slot_mm, strict=True)):
        args: tuple[tuple[str, Any], ...] = (
            ("ad", image.block),
            ("path", image.path),
            ("ad_size", _mm(ad_mm)),
            ("slot_size", _mm(slot_mm)),
            ("tolerance", SIZE_TOLERANCE_MM),
        )
        found.append(Finding("ad-size", "error", image.block, args=args))
    for code, severity, what in _rules(ad):
        if what:
            args = (("ad", image.block), ("path", image.path), ("what", ", ".join(what)))
            found.append(Finding(code, severity, image.block, args=args))
    return found


def print_problem(ad: AdPdf, pdfx: str) -> str:
    """Why the ad cannot go into a PDF/X-`pdfx` file ("" when it can): the writer's last check,
    so that a refused ad never prints, or prints blank."""
    for code, _, what in _rules(ad):
        if what and (code in UNPRINTABLE or (code in PDFX4_ONLY and pdfx == "1a")):
            return f"{code}: {', '.join(what)}"
    return ""


Severity = Literal["error", "warning"]


def _rules(ad: AdPdf) -> tuple[tuple[str, Severity, tuple[str, ...]], ...]:
    return (
        ("ad-rgb", "error", ad.rgb),
        ("ad-font-not-embedded", "error", ad.fonts),
        ("ad-forbidden", "error", ad.forbidden),
        ("ad-pdfx4-only", "warning", ad.x4_only),
    )


def _mm(size: tuple[float, float]) -> str:
    return f"{size[0]:.1f} × {size[1]:.1f} mm"
