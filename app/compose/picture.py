"""A photo block: its picture item (crop in pixels, size for the ppi check) and credit line.

The picture is scaled by one factor on both axes (`photofit.fit_picture`), unless the block
asks for "stretch": a photo is never distorted by accident. An ad delivered as PDF is placed
at 100 %, its trim box centred on the slot (`app.model.adpdf` reads it; preflight compares).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
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
    lu_rect,
)
from app.compose.paragraph import compose_paragraph
from app.compose.photofit import CREDIT_ROLE, credit_size, picture_area, placed_picture
from app.compose.pixelsize import pixel_size as read_pixel_size
from app.compose.typesetter import BlockResult, TypeSetter
from app.errors import PasteupError
from app.model.adpdf import is_pdf
from app.model.blocks import (
    PhotoBlock,
)
from app.model.files import resolve
from app.model.geometry import frame_rect
from app.model.story import Paragraph as StoryParagraph
from app.model.story import Story


def compose_photo(block: PhotoBlock, ts: TypeSetter, base_dir: Path) -> BlockResult:
    rect = lu_rect(frame_rect(block.frame, ts.grid))
    path = resolve(base_dir / block.image)
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
                ts.settings(small),
                align="right",
                last_line_align="right",
                first_line_indent=Fraction(0),
            ),
        )
        top = rect.bottom - size
        credit_line = [
            PlacedLine(0, composed.lines[0], 0, rect.x, top + ts.ascent(small), top, rect.bottom)
        ]
        story = Story(block.id, (credit,))
        drawn, lines, fonts = draw_lines(
            credit_line,
            [credit],
            [0],
            block.id,
            story,
            ts._replace(styles={**ts.styles, CREDIT_ROLE: small}),
            findings,
        )
        items.extend(drawn)
    if block.outside_folder:  # the user's choice, reported: the plant's copy needs the file
        findings.append(Finding("outside-folder", "warning", block.id, "", (("path", str(path)),)))
    try:
        if block.kind == "ad" and is_pdf(path):
            picture = _pdf_ad(path, image_rect, block)
        else:
            pixel_size = read_pixel_size(path)
            crop, placed = placed_picture(block, image_rect, pixel_size)
            picture = Image(str(path), placed, crop, pixel_size, block.id, block.placeholder)
    except (OSError, PasteupError) as error:
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
        items.insert(0, picture)
    return BlockResult(
        tuple(items),
        lines,
        BlockFrame(block.id, block.kind, rect, (image_rect,)),
        tuple(findings),
        fonts,
    )


def _pdf_ad(path: Path, slot: Rect, block: PhotoBlock) -> Image:
    """A PDF ad at 100 %, its trim box centred on the slot, the slot showing what falls in it
    (preflight reports a trim that differs from the slot)."""
    from app.model.adpdf import read_ad_pdf  # pikepdf: only for a page with a PDF ad

    ad = read_ad_pdf(path)
    size = (from_pt(ad.width), from_pt(ad.height))
    left, top = (size[0] - slot.w) // 2, (size[1] - slot.h) // 2  # slot's corner on the trim
    shown_left, shown_top = max(0, left), max(0, top)
    shown_right, shown_bottom = min(size[0], left + slot.w), min(size[1], top + slot.h)
    rect = Rect(
        slot.x + shown_left - left,
        slot.y + shown_top - top,
        shown_right - shown_left,
        shown_bottom - shown_top,
    )
    crop = (float(shown_left), float(shown_top), float(shown_right), float(shown_bottom))
    return Image(str(path), rect, crop, size, block.id, block.placeholder, pdf=True)
