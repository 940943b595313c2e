"""The PDF the printing plant receives: PDF/X, DeviceCMYK only, every font embedded.

The same page and options give the same bytes (`pdfx.document_time`, `pdfx.seal`).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from app.compose.layout import GlyphRun, PageLayout
from app.export.colors import ProcessColors
from app.export.draw import draw_items
from app.export.fonts import FontPlan
from app.export.labels import label_font
from app.export.marks import MARGIN, Slug, draw_marks, slug_run
from app.export.output import write_atomically
from app.export.pdfx import (
    PDF_VERSION,
    PdfxLevel,
    document_time,
    identify,
    output_intent,
    seal,
    set_document_time,
)
from app.export.pictures import DEFAULT_INK_LIMIT
from app.export.placeholders import placeholder_marks, refuse_placeholders
from app.export.surface import Surface, open_canvas


class PrintOptions(NamedTuple):
    """How the print PDF is made.

    `pdfx`: "4" (PDF/X-4, PDF 1.6) or "1a" (PDF/X-1a:2001, PDF 1.3).
    `profile`: the printer's CMYK ICC profile; None uses the bundled newsprint one.
    `marks`: crop and registration marks plus the slug line, outside the bleed
    (they grow the MediaBox; ads are delivered without them).
    `slug`: what the slug line names (paper, date, 版次, the content version).
    `title`: the document title (PDF/X requires one); it also names the document in the
    trailer `/ID` and XMP DocumentID.
    `created`: the document's date (Info and XMP); None: `pdfx.document_time()`.
    `ink_limit`: photos are converted within this total ink (and the profile's own).
    `mark_placeholders`: draw placeholder (FPO) pictures with a cross and label instead of
    refusing them; for previews made from the print PDF (the e-paper), never for the plate.

    A named tuple: defined on every print export, a frozen dataclass costs ~10x more to define.
    """

    pdfx: PdfxLevel = "4"
    profile: Path | None = None
    marks: bool = False
    slug: Slug = Slug()
    title: str = "Pasteup page"
    created: datetime | None = None
    ink_limit: float = DEFAULT_INK_LIMIT
    mark_placeholders: bool = False


DEFAULT_OPTIONS = PrintOptions()


def export_print_pdf(layout: PageLayout, options: PrintOptions = DEFAULT_OPTIONS) -> bytes:
    if not options.mark_placeholders:
        refuse_placeholders(layout)
    intent = output_intent(options.profile)
    created = options.created or document_time()
    margin = layout.bleed + MARGIN if options.marks else layout.bleed
    media = (layout.width + 2 * margin, layout.height + 2 * margin)
    buffer = io.BytesIO()
    canvas = open_canvas(
        buffer,
        media,
        (margin, margin, layout.width, layout.height),
        layout.bleed,
        PDF_VERSION[options.pdfx],
    )
    set_document_time(canvas, created)
    canvas.setTitle(options.title)
    canvas.setCreator("Pasteup")
    canvas.setAuthor(options.slug.paper or "Pasteup")
    canvas.setSubject(
        " ".join(p for p in (options.slug.date, options.slug.edition) if p) or "print"
    )
    items = [*layout.items, *placeholder_marks(layout)]
    extra: list[GlyphRun] = []
    if options.marks:
        text = options.slug.line()
        extra.append(slug_run(label_font(layout.fonts, text), text, layout.height, layout.bleed))
    plan = FontPlan(layout.fonts)
    for run in (*items, *extra):
        if isinstance(run, GlyphRun):
            plan.collect(run)
    plan.embed(canvas._doc)
    surface = Surface(
        canvas,
        plan,
        ProcessColors(),
        left=margin,
        top=margin + layout.height,
        overprint=True,
        ink_limit=options.ink_limit,
        pdfx="" if options.mark_placeholders else options.pdfx,  # a preview keeps no promise
    )
    draw_items(surface, items, "cmyk", intent.profile)
    if options.marks:
        draw_marks(surface, layout.width, layout.height, layout.bleed)
        draw_items(surface, extra, "cmyk", intent.profile)
    canvas.showPage()
    identify(canvas, options.pdfx, intent, options.title)
    return seal(canvas.getpdfdata())


def write_print_pdf(
    layout: PageLayout, path: Path, options: PrintOptions = DEFAULT_OPTIONS
) -> None:
    write_atomically(path, export_print_pdf(layout, options))
