"""Pictures on the page: a converted picture (`pictures.py`) as an image XObject, clipped to
the layout's rect and scaled so its crop lands exactly where the layout says.
ReportLab passes JPEG data through unchanged (DCTDecode), so what we encode is what
the plant receives.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream

from app.compose.layout import Image, to_pt
from app.export.fonts import format_number
from app.export.pictures import PreparedImage, Target, prepare_image
from app.export.surface import Surface


def draw_image(surface: Surface, image: Image, target: Target, profile: Path) -> None:
    prepared = prepare_image(image.path, image.crop, target, profile, surface.ink_limit)
    left, top, right, bottom = image.crop
    rect = image.rect
    scale_x = rect.w / (right - left)  # lu per source pixel
    scale_y = rect.h / (bottom - top)
    box_left, box_top, box_right, box_bottom = prepared.box
    x = rect.x - (left - box_left) * scale_x
    y_top = rect.y - (top - box_top) * scale_y
    width = (box_right - box_left) * scale_x
    height = (box_bottom - box_top) * scale_y
    matrix = " ".join(
        format_number(v)
        for v in (to_pt(width), 0, 0, to_pt(height), to_pt(surface.left + x),
                  to_pt(surface.top - y_top - height))
    )  # fmt: skip
    surface.emit(
        f"q {surface.x(rect.x)} {surface.y(rect.bottom)} "
        f"{surface.length(rect.w)} {surface.length(rect.h)} re W n "
        f"{matrix} cm /{_xobject(surface.canvas, prepared)} Do Q"
    )


_COLOUR_SPACES = {"CMYK": "DeviceCMYK", "RGB": "DeviceRGB", "L": "DeviceGray"}


def _xobject(canvas, image: PreparedImage) -> str:
    """Register the JPEG as an image XObject once per document; its resource name."""
    doc = canvas._doc
    name = doc.getXObjectName(image.name)
    if name not in doc.idToObject:
        entries = {
            "Type": PDFName("XObject"),
            "Subtype": PDFName("Image"),
            "Width": image.box[2] - image.box[0],
            "Height": image.box[3] - image.box[1],
            "ColorSpace": PDFName(_COLOUR_SPACES[image.mode]),
            "BitsPerComponent": 8,
            "Filter": PDFName("DCTDecode"),
        }
        if image.mode == "CMYK":  # Pillow writes Adobe (inverted) CMYK JPEGs
            entries["Decode"] = PDFArray([1, 0, 1, 0, 1, 0, 1, 0])
        doc.Reference(PDFStream(PDFDictionary(entries), image.jpeg), name)
    if image.name not in canvas._formsinuse:
        canvas._formsinuse.append(image.name)
    canvas._currentPageHasImages = 1
    return name
