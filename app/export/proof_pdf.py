"""The proof PDF proofreaders annotate: RGB, a header naming the version, the text map inside.

The page sits below a header band; the text map (`app.compose.textmap`) travels as
an attached file with the trim box's position on the PDF page, so an annotation made
in any viewer can be pinned back to the exact story characters.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from app.compose.layout import Color, GlyphRun, PageLayout, from_pt, to_pt
from app.compose.textmap import TEXTMAP_FILENAME, Placement, dump_textmap
from app.export.colors import BUNDLED_PROFILE, ProofColors
from app.export.draw import draw_items
from app.export.fonts import FontPlan, format_number
from app.export.labels import label_font, label_run, label_width
from app.export.output import write_atomically
from app.export.placeholders import placeholder_marks
from app.export.surface import Surface, open_canvas
from app.model.proofing import round_name

MM = 72 / 25.4
MARGIN = from_pt(10 * MM)
HEADER = from_pt(12 * MM)  # band above the page for the header line
HEADER_SIZE = from_pt(9)
WATERMARK_SIZE = from_pt(96)
HEADER_COLOR = Color(k=0.85)
WATERMARK_COLOR = Color(m=0.6, k=0.1)
WATERMARK_ALPHA = 0.18
FRAME_COLOR = Color(k=0.35)


@dataclass(frozen=True, slots=True)
class ProofOptions:
    """What the proof says about itself.

    `page`: the page key the text map records (paper|date|edition|page name).
    `heading`: paper, date, page as the header shows them.
    `proof_round`: 1 = 一校 …; `document_hash`: the version being proofed.
    `stories`: story id → character stream at export (recorded in the text map).
    `watermark`: large diagonal text behind the page ("" for none).
    `profile`: the CMYK profile colours are soft-proofed through.
    """

    page: str
    heading: str
    proof_round: int
    document_hash: str
    stories: dict[str, str] = field(default_factory=dict)
    watermark: str = ""
    profile: Path = BUNDLED_PROFILE
    title: str = "Pasteup proof"


def export_proof_pdf(layout: PageLayout, options: ProofOptions) -> bytes:
    media = (layout.width + 2 * MARGIN, layout.height + 2 * MARGIN + HEADER)
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, media, (MARGIN, MARGIN, layout.width, layout.height), 0, (1, 6))
    canvas.setTitle(options.title)
    canvas.setCreator("Pasteup")
    canvas.setSubject(f"{options.heading} {round_name(options.proof_round)}")
    header_text = (
        f"{options.heading}  {round_name(options.proof_round)}（第{options.proof_round}轮校样）"
        f"  版本 {options.document_hash}"
    )
    header = _fitted_label(layout, header_text, HEADER_SIZE, layout.width, HEADER_COLOR)
    header = _moved(header, 0, -HEADER // 2 + header.size // 3)
    watermark = None
    if options.watermark:
        diagonal = math.isqrt(layout.width**2 + layout.height**2)
        watermark = _fitted_label(
            layout, options.watermark, WATERMARK_SIZE, diagonal * 7 // 10, WATERMARK_COLOR
        )
    items = [*layout.items, *placeholder_marks(layout)]
    plan = FontPlan(layout.fonts)
    for run in (*items, header, *([watermark] if watermark else [])):
        if isinstance(run, GlyphRun):
            plan.collect(run)
    plan.embed(canvas._doc)
    colors = ProofColors(options.profile)
    top = MARGIN + layout.height
    surface = Surface(canvas, plan, colors, left=MARGIN, top=top, overprint=False)
    _draw_artifact(surface, lambda: draw_items(surface, [header], "rgb", options.profile))
    _draw_page_edge(surface, layout)
    draw_items(surface, items, "rgb", options.profile)
    if watermark is not None:
        _draw_watermark(surface, watermark, layout)
    canvas.showPage()
    textmap = dump_textmap(
        layout,
        document_hash=options.document_hash,
        proof_round=options.proof_round,
        page=options.page,
        placement=Placement(to_pt(MARGIN), to_pt(top)),
        stories=options.stories,
    )
    _attach(canvas._doc, TEXTMAP_FILENAME, textmap, "Pasteup text map (校样文本映射)")
    return canvas.getpdfdata()


def write_proof_pdf(layout: PageLayout, path: Path, options: ProofOptions) -> None:
    write_atomically(path, export_proof_pdf(layout, options))


def _fitted_label(layout: PageLayout, text: str, size: int, width: int, color: Color) -> GlyphRun:
    """A label at `size`, or smaller so that it is no wider than `width`."""
    font = label_font(layout.fonts, text)
    run = label_run(font, text, size, 0, 0, color)
    natural = label_width(run)
    if natural <= width:
        return run
    return label_run(font, text, size * width // natural, 0, 0, color)


def _moved(run: GlyphRun, dx: int, baseline: int) -> GlyphRun:
    return run._replace(x=run.x + dx, y=baseline)


def _draw_artifact(surface: Surface, draw) -> None:
    """Header and watermark are pagination artefacts, not content, for tagged-PDF readers."""
    surface.emit("/Artifact <</Type /Pagination>> BDC")
    draw()
    surface.emit("EMC")


def _draw_watermark(surface: Surface, run: GlyphRun, layout: PageLayout) -> None:
    """Centred on the page, along its diagonal, translucent over everything."""
    angle = math.atan2(layout.height, layout.width)
    cos, sin = math.cos(angle), math.sin(angle)
    centre_x = surface.x(layout.width // 2)
    centre_y = surface.y(layout.height // 2)
    width = label_width(run)
    centred = _moved(run, -width // 2, run.size * 7 // 20)
    local = Surface(surface.canvas, surface.fonts, surface.colors, 0, 0, overprint=False)
    surface.canvas.saveState()
    surface.canvas.setFillAlpha(WATERMARK_ALPHA)
    surface.emit(
        f"1 0 0 1 {centre_x} {centre_y} cm "
        f"{format_number(cos)} {format_number(sin)} {format_number(-sin)} {format_number(cos)} 0 0 cm"
    )
    _draw_artifact(local, lambda: draw_items(local, [centred], "rgb", BUNDLED_PROFILE))
    surface.canvas.restoreState()


def _draw_page_edge(surface: Surface, layout: PageLayout) -> None:
    """A hairline at the trim so the page's extent shows on screen."""
    surface.begin(stroke=FRAME_COLOR)
    surface.emit(
        f"0.25 w {surface.x(0)} {surface.y(layout.height)} "
        f"{surface.length(layout.width)} {surface.length(layout.height)} re S"
    )
    surface.end()


def _attach(doc, name: str, data: bytes, description: str) -> None:
    """Add `data` as an embedded file in the catalog's EmbeddedFiles name tree."""
    embedded = PDFStream(
        PDFDictionary(
            {
                "Type": PDFName("EmbeddedFile"),
                "Subtype": "/application#2Fjson",
                "Params": PDFDictionary({"Size": len(data)}),
            }
        ),
        data,
    )
    spec = PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(name),
            "UF": PDFString(name),
            "Desc": PDFString(description),
            "EF": PDFDictionary({"F": doc.Reference(embedded)}),
        }
    )
    doc.Catalog.Names = PDFDictionary(
        {
            "EmbeddedFiles": PDFDictionary(
                {"Names": PDFArray([PDFString(name), doc.Reference(spec)])}
            )
        }
    )
