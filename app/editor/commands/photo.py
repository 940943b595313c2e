"""A photo's picture in its frame: fill, fit, zoom and pan, all as the block's `crop`.

`crop` is the visible part of the picture as fractions (left, top, right, bottom); the
picture is drawn into the frame from that part. 填满 (fill) shows the largest centred part
with the frame's proportions; 适合 (fit) shows the whole picture and makes the frame as
deep as its proportions need (to whole body lines on the grid); zoom keeps the centre;
panning (dragging the picture inside its frame) moves the part without resizing it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.compose.pixelsize import pixel_size
from app.model.blocks import GridFrame, PhotoBlock
from app.model.geometry import frame_rect
from app.model.grid import PageGrid

Crop = tuple[float, float, float, float]
FULL: Crop = (0.0, 0.0, 1.0, 1.0)


def picture_size(block: PhotoBlock, base_dir: Path) -> tuple[int, int] | None:
    try:
        return pixel_size((base_dir / block.image).resolve())
    except (OSError, ValueError):
        return None


def fill_crop(pixels: tuple[int, int], frame_w: float, frame_h: float, zoom: float = 1.0,
              centre: tuple[float, float] = (0.5, 0.5)) -> Crop:  # fmt: skip
    """The centred part of the picture with the frame's proportions, `zoom` times closer."""
    width, height = pixels
    frame_ratio = frame_w / frame_h if frame_h else 1.0
    picture_ratio = width / height if height else 1.0
    if picture_ratio > frame_ratio:  # wider than the frame: cut the sides
        w, h = frame_ratio / picture_ratio, 1.0
    else:
        w, h = 1.0, picture_ratio / frame_ratio
    w, h = w / max(zoom, 1.0), h / max(zoom, 1.0)
    return _placed(centre[0] - w / 2, centre[1] - h / 2, w, h)


def pan_crop(crop: Crop, dx: float, dy: float) -> Crop:
    """Move the visible part by (dx, dy) fractions of the picture, staying inside it."""
    left, top, right, bottom = crop
    return _placed(left + dx, top + dy, right - left, bottom - top)


def zoom_of(crop: Crop, pixels: tuple[int, int], frame_w: float, frame_h: float) -> float:
    """How much closer than 填满 the crop is (1.0 = the whole width or height in view)."""
    full = fill_crop(pixels, frame_w, frame_h)
    return (full[2] - full[0]) / max(1e-6, crop[2] - crop[0])


def filled(
    block: PhotoBlock, grid: PageGrid, pixels: tuple[int, int], zoom: float = 1.0
) -> PhotoBlock:
    rect = frame_rect(block.frame, grid)
    left, top, right, bottom = block.crop
    centre = ((left + right) / 2, (top + bottom) / 2) if zoom > 1.0 else (0.5, 0.5)
    return replace(block, crop=fill_crop(pixels, rect.w, rect.h, zoom, centre))


def fitted(block: PhotoBlock, grid: PageGrid, pixels: tuple[int, int]) -> PhotoBlock:
    """The whole picture, the frame made as deep as its proportions need."""
    rect = frame_rect(block.frame, grid)
    width, height = pixels
    depth_pt = rect.w * height / width if width else rect.h
    frame = block.frame
    if isinstance(frame, GridFrame):
        lines = max(1, round((depth_pt + grid.line_pitch - grid.body_size) / grid.line_pitch))
        frame = replace(frame, depth=min(lines, grid.lines - frame.line))
    else:
        frame = replace(frame, h=depth_pt)
    return replace(block, frame=frame, crop=FULL)


def _placed(left: float, top: float, w: float, h: float) -> Crop:
    w, h = min(1.0, max(0.01, w)), min(1.0, max(0.01, h))
    left = min(max(0.0, left), 1.0 - w)
    top = min(max(0.0, top), 1.0 - h)
    return (round(left, 5), round(top, 5), round(left + w, 5), round(top + h, 5))
