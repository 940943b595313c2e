"""Annotate a PDF with poppler's GLib API, as Evince and Papers do (run by Debian's python3).

Reads a JSON job on stdin: {"input", "output", "marks": [{"kind": "strikeout" | "highlight" |
"underline" | "squiggly" | "text", "boxes": [[x0, y0, x1, y1], …] (PDF user space, y up),
"contents", "author"}]} and saves the annotated copy the way Evince's "Save a copy" does.
Kept free of Pasteup imports: it runs under /usr/bin/python3 with gi, not the project venv.
"""

import json
import sys

import gi

gi.require_version("Poppler", "0.18")
from gi.repository import Poppler  # noqa: E402


def _rectangle(x0, y0, x1, y1):
    rect = Poppler.Rectangle()
    rect.x1, rect.y1, rect.x2, rect.y2 = x0, y0, x1, y1
    return rect


def _quad(x0, y0, x1, y1):
    """Evince's corner order: top-left, top-right, bottom-left, bottom-right."""
    quad = Poppler.Quadrilateral()
    corners = ((x0, y1), (x1, y1), (x0, y0), (x1, y0))
    for name, (x, y) in zip(("p1", "p2", "p3", "p4"), corners, strict=True):
        point = Poppler.Point()
        point.x, point.y = x, y
        setattr(quad, name, point)
    return quad


MAKERS = {
    "strikeout": Poppler.AnnotTextMarkup.new_strikeout,
    "highlight": Poppler.AnnotTextMarkup.new_highlight,
    "underline": Poppler.AnnotTextMarkup.new_underline,
    "squiggly": Poppler.AnnotTextMarkup.new_squiggly,
}


def main():
    job = json.load(sys.stdin)
    document = Poppler.Document.new_from_file("file://" + job["input"], None)
    page = document.get_page(0)
    for mark in job["marks"]:
        boxes = mark["boxes"]
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[2] for b in boxes)
        y1 = max(b[3] for b in boxes)
        if mark["kind"] == "text":
            annot = Poppler.AnnotText.new(document, _rectangle(x0, y0, x1, y1))
            annot.set_icon(Poppler.ANNOT_TEXT_ICON_NOTE)
        else:
            quads = [_quad(*b) for b in boxes]  # poppler 22 stores them as given: PDF space
            annot = MAKERS[mark["kind"]](document, _rectangle(x0, y0, x1, y1), quads)
        if mark.get("contents"):
            annot.set_contents(mark["contents"])
        if mark.get("author"):
            annot.set_label(mark["author"])
        page.add_annot(annot)
    document.save("file://" + job["output"])


if __name__ == "__main__":
    main()
