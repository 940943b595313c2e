"""A PDF ad on the page: its page as a Form XObject, clipped to the slot, trim box aligned.

ReportLab cannot import PDF pages, so the ad's page is turned into a form by pikepdf
(`app.model.adpdf.open_ad_form`) and its objects are written by ReportLab as they are:
each object the form reaches becomes one object of our file, its dictionaries and arrays
re-serialised with our object numbers, its streams' data copied byte for byte (fonts,
images and ICC profiles stay as the agency made them). The writer stays the only one that
writes the file, so `pdfx.seal` and determinism hold: the objects are named by the ad's
digest and written in the walk's fixed order. A form is written once per document.
"""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFObject, PDFObjectReference

from app.compose.layout import Image
from app.errors import PasteupError
from app.export.adcheck import print_problem
from app.export.fonts import format_number
from app.export.surface import Surface
from app.model.adpdf import AdForm, damage_errors, damaged, open_ad_form, shown_box
from app.model.limits import shown

_SKIPPED = frozenset({"/Length", "/DL"})  # a stream's length is its copied data's


def draw_pdf_ad(surface: Surface, image: Image) -> None:
    """The ad's trim box at the place the layout gives (`image.crop` is the part shown,
    in layout units from the trim's top-left corner), clipped to `image.rect`."""
    name, (origin_x, origin_y) = _form(surface, image)
    rect = image.rect
    left, top, _, _ = image.crop
    trim_h = image.pixel_size[1]
    trim_left = rect.x - round(left)  # layout units, on the page
    trim_bottom = rect.y - round(top) + trim_h
    x = float(surface.x(trim_left)) - origin_x
    y = float(surface.y(trim_bottom)) - origin_y
    surface.emit(
        f"q {surface.x(rect.x)} {surface.y(rect.bottom)} "
        f"{surface.length(rect.w)} {surface.length(rect.h)} re W n "
        f"1 0 0 1 {format_number(x)} {format_number(y)} cm /{name} Do Q"
    )


def _form(surface: Surface, image: Image) -> tuple[str, tuple[float, float]]:
    """The form's resource name, written into the document the first time, and the
    lower-left corner of its trim box as it draws (pt)."""
    canvas = surface.canvas
    doc = canvas._doc
    with open_ad_form(image.path) as opened:
        ad = opened.ad
        problem = print_problem(ad, surface.pdfx) if surface.pdfx else ""
        if problem:
            raise PasteupError(
                f"[{image.block}] {shown(image.path, 200)}: 广告不能付印 (the ad cannot print "
                f"in PDF/X-{surface.pdfx}): {problem}"
            )
        key = f"Ad{ad.digest[:24]}"
        name = doc.getXObjectName(key)
        if name not in doc.idToObject:
            try:
                _write_form(doc, name, opened)
            except damage_errors() as error:
                raise damaged(shown(image.path, 200), error) from None
        origin = shown_box(opened.form)[:2]
    if key not in canvas._formsinuse:
        canvas._formsinuse.append(key)
    return name, origin


def _write_form(doc, name: str, opened: AdForm) -> None:
    names = {obj.objgen: f"{name}.{index}" for index, obj in enumerate(opened.objects, 1)}
    doc.Reference(_Foreign(opened.form, names, compress=True), name)
    for obj in opened.objects:
        doc.Reference(_Foreign(obj, names), names[obj.objgen])


class _Foreign(PDFObject):
    """One of the ad's objects as bytes, its references to the ad's other objects pointing
    at their names in our document (numbers are given when the file is formatted)."""

    def __init__(self, obj, names: dict[tuple[int, int], str], compress: bool = False) -> None:
        import pikepdf

        self.parts: list[bytes | PDFObjectReference] = []
        self.data: bytes | None = None
        if isinstance(obj, pikepdf.Stream):
            data = obj.read_raw_bytes()
            entries: dict[str, Any] = {k: obj.get(k) for k in _keys(obj) if k not in _SKIPPED}
            if compress and "/Filter" not in obj:  # the form's content, as pikepdf combined it
                data = zlib.compress(data, 6)
                entries["/Filter"] = pikepdf.Name.FlateDecode
            entries["/Length"] = len(data)
            self._dictionary(entries, names, top=True)
            self.data = data
        else:
            self._value(obj, names, top=True)

    def _value(self, value: Any, names: dict, top: bool = False) -> None:
        import pikepdf

        containers = (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)
        if isinstance(value, containers) and value.is_indirect and not top:
            if value.objgen not in names:  # the walk gave every object the form reaches
                raise PasteupError(f"广告 PDF 的对象 {value.objgen} 不在其页面内 (not the page's)")
            self.parts.append(PDFObjectReference(names[value.objgen]))
        elif isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
            self._dictionary({k: value.get(k) for k in _keys(value)}, names)
        elif isinstance(value, pikepdf.Array):
            self.parts.append(b"[")
            for item in value:
                self._value(item, names)
                self.parts.append(b" ")
            self.parts.append(b"]")
        else:
            self.parts.append(_scalar(value))

    def _dictionary(self, entries: dict[str, Any], names: dict, top: bool = False) -> None:
        import pikepdf

        self.parts.append(b"<<")
        for key in sorted(entries):
            self.parts.append(pikepdf.Name(key).unparse() + b" ")
            self._value(entries[key], names)
            self.parts.append(b" ")
        self.parts.append(b">>")

    def format(self, document) -> bytes:
        body = b"".join(p if isinstance(p, bytes) else p.format(document) for p in self.parts)
        if self.data is None:
            return body
        return body + b"\nstream\n" + self.data + b"\nendstream"


def _keys(obj) -> list[str]:
    return sorted(str(key) for key in obj.keys())  # noqa: SIM118 (a pikepdf object, not a dict)


def _scalar(value: Any) -> bytes:
    """A direct value as PDF syntax: pikepdf keeps names and strings as objects, and gives
    numbers, booleans and null as Python values."""
    import pikepdf

    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, Decimal):
        return format(value, "f").encode()
    if isinstance(value, float):
        return format_number(value).encode()
    if isinstance(value, pikepdf.Object):
        return value.unparse(resolved=True)
    raise PasteupError(f"广告 PDF 含无法写出的值 (a value that cannot be written): {value!r}")
