"""Where a photo block's picture lands: the frame less the credit band, and the crop fitted to
it with one scale on both axes (`fit_picture`). Light on purpose — the print export's photo
prefetch (`publish.prefetch_pictures`) computes the same crop before the composer is imported.
"""

from __future__ import annotations

from app.compose.layout import Rect, from_pt, lu_rect
from app.model.blocks import PhotoBlock
from app.model.geometry import frame_rect
from app.model.grid import PageGrid
from app.model.styles import ParagraphStyle

CREDIT_ROLE = "作者"  # the credit line is set like a byline
Crop = tuple[float, float, float, float]


def credit_size(styles: dict[str, ParagraphStyle]) -> int:
    """The credit line's size (lu): the byline style's, at most 6.5 pt."""
    return from_pt(min(styles[CREDIT_ROLE].size, 6.5))


def picture_area(block: PhotoBlock, grid: PageGrid, styles: dict[str, ParagraphStyle]) -> Rect:
    """The frame the picture fills: the block's frame less the credit line's band."""
    rect = lu_rect(frame_rect(block.frame, grid))
    if not block.credit:
        return rect
    return Rect(rect.x, rect.y, rect.w, rect.h - credit_size(styles) - from_pt(2))


def placed_picture(block: PhotoBlock, area: Rect, pixel_size: tuple[int, int]) -> tuple[Crop, Rect]:
    """The source pixels shown and where they land (`fit_picture` of the block's crop)."""
    left, top, right, bottom = block.crop
    w, h = pixel_size
    return fit_picture((left * w, top * h, right * w, bottom * h), area, block.fit, pixel_size)


def fit_picture(
    crop: Crop, frame: Rect, fit: str, pixel_size: tuple[int, int] | None = None
) -> tuple[Crop, Rect]:
    """The part of the picture shown and where it lands, so that source pixels per layout
    unit are equal on both axes: "fill" trims the crop's long side evenly to the frame's
    proportions; "crop" shows all of the crop and fills the frame by widening it with the
    picture around it (centred, kept inside the picture's `pixel_size`; trimmed only where
    the picture ends); "fit" shrinks the frame's long side evenly to the crop's (rounded to
    whole layout units, then the crop trimmed to match exactly); "stretch" keeps both."""
    if fit == "stretch" or frame.w <= 0 or frame.h <= 0:
        return crop, frame
    if fit == "crop" and pixel_size is not None:
        crop = _widened(crop, frame, pixel_size)
    left, top, right, bottom = crop
    width, height = right - left, bottom - top
    if fit == "fit":
        if width * frame.h > height * frame.w:  # wider than the frame: less tall
            h = max(1, round(frame.w * height / width))
            frame = Rect(frame.x, frame.y + (frame.h - h) // 2, frame.w, h)
        else:
            w = max(1, round(frame.h * width / height))
            frame = Rect(frame.x + (frame.w - w) // 2, frame.y, w, frame.h)
    if width * frame.h > height * frame.w:  # trim the sides
        keep = height * frame.w / frame.h
        left += (width - keep) / 2
        return (left, top, left + keep, bottom), frame
    keep = width * frame.h / frame.w  # trim top and bottom
    top += (height - keep) / 2
    return (left, top, right, top + keep), frame


def _widened(crop: Crop, frame: Rect, pixel_size: tuple[int, int]) -> Crop:
    """The crop grown on its short side to the frame's proportions, centred on it and shifted
    to stay inside the picture (at most the whole picture on that side)."""
    left, top, right, bottom = crop
    width, height = right - left, bottom - top
    if width * frame.h < height * frame.w:  # too narrow: widen
        wanted = min(height * frame.w / frame.h, pixel_size[0])
        left, right = _spread(left, right, wanted, pixel_size[0])
    else:  # too flat: heighten
        wanted = min(width * frame.h / frame.w, pixel_size[1])
        top, bottom = _spread(top, bottom, wanted, pixel_size[1])
    return (left, top, right, bottom)


def _spread(low: float, high: float, wanted: float, limit: float) -> tuple[float, float]:
    """[low, high] grown evenly to `wanted` long, then moved back inside [0, limit]."""
    grow = max(0.0, wanted - (high - low)) / 2
    low, high = low - grow, high + grow
    if low < 0:
        low, high = 0.0, high - low
    if high > limit:
        low, high = max(0.0, low - (high - limit)), float(limit)
    return low, high
