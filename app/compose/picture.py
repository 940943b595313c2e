"""A photo block: its picture item (crop in pixels, size for the ppi check) and credit line.

The picture is scaled by one factor on both axes (`fit_picture`), unless the block asks for
"stretch": a photo is never distorted by accident.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.compose.draw import draw_lines
from app.compose.flow import PlacedLine
from app.compose.layout import (
    BlockFrame,
    Box,
    Color,
    Finding,
    Image,
    Item,
    Rect,
    Rule,
    TextLine,
    from_pt,
)
from app.compose.paragraph import compose_paragraph
from app.compose.pixelsize import pixel_size as read_pixel_size
from app.compose.typesetter import BlockResult, TypeSetter, lu_rect
from app.model.blocks import (
    PhotoBlock,
)
from app.model.geometry import frame_rect
from app.model.grid import PageGrid
from app.model.story import Paragraph as StoryParagraph
from app.model.story import Story
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
    return fit_picture((left * w, top * h, right * w, bottom * h), area, block.fit)


def compose_photo(block: PhotoBlock, ts: TypeSetter, base_dir: Path) -> BlockResult:
    rect = lu_rect(frame_rect(block.frame, ts.grid))
    path = (base_dir / block.image).resolve()
    findings: list[Finding] = []
    items: list[Item] = []
    image_rect = picture_area(block, ts.grid, ts.styles)
    lines: tuple[TextLine, ...] = ()
    fonts: frozenset[str] = frozenset()
    if block.credit:  # a credit line under the picture, right-aligned, inside the frame
        style = ts.styles[CREDIT_ROLE]
        size = credit_size(ts.styles)
        credit = StoryParagraph(CREDIT_ROLE, block.credit)
        small = dataclasses.replace(style, size=size / 64, indent=0)
        composed = compose_paragraph(
            credit.text,
            rect.w,
            ts.metrics(small),
            dataclasses.replace(
                ts.settings(small), align="right", last_line_align="right", first_line_indent=0
            ),
        )
        top = rect.bottom - size
        placed = [
            PlacedLine(0, composed.lines[0], 0, rect.x, top + ts.ascent(small), top, rect.bottom)
        ]
        story = Story(block.id, (credit,))
        drawn, lines, fonts = draw_lines(
            placed,
            [credit],
            [0],
            block.id,
            story,
            ts._replace(styles={**ts.styles, CREDIT_ROLE: small}),
            findings,
        )
        items.extend(drawn)
    try:
        pixel_size = read_pixel_size(path)
    except OSError as error:
        findings.append(
            Finding(
                "missing-image" if not path.exists() else "bad-image",
                "error",
                block.id,
                "",
                (("path", str(path)), ("reason", str(error))),
            )
        )
        items[:0] = [
            Box(image_rect, None, Color(k=1.0), from_pt(0.5), block.id),
            Rule(
                image_rect.x,
                image_rect.y,
                image_rect.right,
                image_rect.bottom,
                from_pt(0.5),
                Color(k=1.0),
                (),
                block.id,
            ),
        ]
    else:
        left, top, right, bottom = block.crop
        w, h = pixel_size
        crop, placed = fit_picture(
            (left * w, top * h, right * w, bottom * h), image_rect, block.fit
        )
        items.insert(0, Image(str(path), placed, crop, pixel_size, block.id, block.placeholder))
    return BlockResult(
        tuple(items),
        lines,
        BlockFrame(block.id, block.kind, rect, (image_rect,)),
        tuple(findings),
        fonts,
    )


def fit_picture(crop: Crop, frame: Rect, fit: str) -> tuple[Crop, Rect]:
    """The part of the picture shown and where it lands, so that source pixels per layout
    unit are equal on both axes: "fill" trims the crop's long side evenly to the frame's
    proportions, "fit" shrinks the frame's long side evenly to the crop's (rounded to whole
    layout units, then the crop trimmed to match exactly); "stretch" keeps both as given."""
    if fit == "stretch" or frame.w <= 0 or frame.h <= 0:
        return crop, frame
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
