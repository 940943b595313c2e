"""Test proof PDFs and viewer-style annotations, made without Pasteup's own PDF writer.

`build_proof` sets stories of a real page document in columns with ReportLab (a TrueType
CJK font, one glyph per character at known positions) and attaches a text map made with
`dump_textmap`, as the proof exporter does. Annotations are then added the way viewers
write them: raw dictionaries with pikepdf (Acrobat's replace groups, review states) and
PyMuPDF's own annotation API. Where a viewer would put a quad comes from MuPDF's text
search on the rendered PDF, not from the text map. PyMuPDF is AGPL: it is used by the
tests only and never shipped.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pikepdf
import pymupdf
from fontTools.ttLib import TTFont as TTFontFile
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from app.compose.layout import BLACK, BlockFrame, FontSource, GlyphRun, PageLayout, Rect, TextLine
from app.compose.textmap import TEXTMAP_FILENAME, Placement, dump_textmap
from app.model import PageDocument, content_hash
from app.model.story import PARAGRAPH_SEPARATOR
from app.proof.rounds import page_key

FONT_PATH = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
FONT = "LXGWWenKai"
SIZE = 9.0
LEADING = 13.0
BLEED = 9.0  # pt around the trim
TRIM = (420.0, 640.0)  # trim width, height in pt


@dataclass(frozen=True)
class Column:
    story: str
    block: str
    x: float  # pt from the trim's left
    y: float  # pt from the trim's top to the first line's top
    width: float


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_PATH))
    return FONT


def set_columns(document: PageDocument, columns: list[Column]) -> PageLayout:
    """A minimal layout: greedy lines, one per paragraph start, in integer layout units."""
    font = _font()
    lines = []
    for column in columns:
        stream = document.stories[column.story].stream
        baseline = column.y + SIZE * 0.88
        offset = 0
        for paragraph, text in enumerate(stream.split(PARAGRAPH_SEPARATOR)):
            start = 0
            while start < len(text) or (start == 0 and not text):
                x, end, edges = column.x, start, []
                while end < len(text):
                    advance = pdfmetrics.stringWidth(text[end], font, SIZE)
                    if x + advance > column.x + column.width + 0.01 and end > start:
                        break
                    edges.append((round(x * 64), round((x + advance) * 64)))
                    x += advance
                    end += 1
                lines.append(
                    TextLine(
                        block=column.block, story=column.story, frame=0, paragraph=paragraph,
                        start=offset + start, end=offset + end, text=text[start:end],
                        x=round(column.x * 64), baseline=round(baseline * 64),
                        width=round(column.width * 64), top=round((baseline - SIZE * 0.88) * 64),
                        bottom=round((baseline + SIZE * 0.12) * 64), char_lefts=tuple(a for a, _ in edges), char_rights=tuple(b for _, b in edges),
                    )
                )  # fmt: skip
                baseline += LEADING
                start = end
                if not text:
                    break
            offset += len(text) + 1
    blocks = tuple(
        BlockFrame(
            block=c.block,
            kind="article",
            rect=Rect(round(c.x * 64), round(c.y * 64), round(c.width * 64), 64 * 500),
        )
        for c in columns
    )
    return PageLayout(
        width=round(TRIM[0] * 64), height=round(TRIM[1] * 64), bleed=round(BLEED * 64),
        items=(), lines=tuple(lines), blocks=blocks, fonts=(),
    )  # fmt: skip


def build_proof(
    document: PageDocument,
    layout: PageLayout,
    *,
    proof_round: int = 1,
    origin: tuple[float, float] = (0.0, 0.0),
    document_hash: str | None = None,
    page: str | None = None,
) -> bytes:
    """Draw the layout's lines and attach the text map. `origin` is the MediaBox's lower-left
    corner (some writers do not start user space at 0, 0)."""
    font = _font()
    ox, oy = origin
    media_w, media_h = TRIM[0] + 2 * BLEED, TRIM[1] + 2 * BLEED
    left, top = ox + BLEED, oy + BLEED + TRIM[1]
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(media_w, media_h), pageCompression=1)
    pdf.setFont(font, SIZE)
    for line in layout.lines:
        for ch, (a, _) in zip(line.text, line.char_x, strict=True):
            pdf.drawString(BLEED + a / 64, BLEED + TRIM[1] - line.baseline / 64, ch)
    pdf.showPage()
    pdf.save()
    with pikepdf.open(io.BytesIO(out.getvalue())) as doc:
        page_obj = doc.pages[0].obj
        page_obj.MediaBox = pikepdf.Array([ox, oy, ox + media_w, oy + media_h])
        page_obj.TrimBox = pikepdf.Array([left, top - TRIM[1], left + TRIM[0], top])
        doc.pages[0].contents_add(doc.make_stream(f"1 0 0 1 {ox} {oy} cm".encode()), prepend=True)
        textmap = dump_textmap(
            layout,
            document_hash=document_hash or content_hash(document),
            proof_round=proof_round,
            page=page if page is not None else page_key(document),
            placement=Placement(left, top),
            stories={s.id: s.stream for s in document.stories.values()},
        )
        doc.attachments[TEXTMAP_FILENAME] = pikepdf.AttachedFileSpec(
            doc, textmap, mime_type="application/json"
        )
        saved = io.BytesIO()
        doc.save(saved)
        return saved.getvalue()


# -- finding text like a viewer ----------------------------------------------------------------
Quad = tuple[float, ...]  # 8 numbers, PDF user space


def char_boxes(pdf: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every character MuPDF finds on page 1 with its box in PDF user space (x0, y0, x1, y1)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        page = doc[0]
        to_pdf = ~page.transformation_matrix
        found = []
        for block in page.get_text("rawdict", sort=False)["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    for char in span["chars"]:
                        box = pymupdf.Rect(char["bbox"]) * to_pdf
                        found.append((char["c"], (box.x0, box.y0, box.x1, box.y1)))
        return found


def find_quads(pdf: bytes, needle: str, occurrence: int = 0) -> list[Quad]:
    """Quads over the `occurrence`-th hit of `needle`, one per line as a viewer's text
    selection makes them, in PDF user space in Acrobat's corner order: UL, UR, LL, LR."""
    chars = char_boxes(pdf)
    text = "".join(c for c, _ in chars)
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    lines: list[list[tuple[float, float, float, float]]] = []
    for _, box in chars[at : at + len(needle)]:
        if lines and abs(lines[-1][-1][1] - box[1]) < 0.5:
            lines[-1].append(box)
        else:
            lines.append([box])
    quads = []
    for boxes in lines:
        x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
        y0, y1 = min(b[1] for b in boxes), max(b[3] for b in boxes)
        quads.append((x0, y1, x1, y1, x0, y0, x1, y0))
    return quads


def caret_rect_at(pdf: bytes, needle: str, after: int, occurrence: int = 0) -> list[float]:
    """A caret before character `after` of `needle`, as Acrobat draws one: a small box
    centred on the insertion point, from below the text's bottom to mid-height."""
    chars = char_boxes(pdf)
    text = "".join(c for c, _ in chars)
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    box = chars[at + after][1] if after < len(needle) else chars[at + after - 1][1]
    x = box[0] if after < len(needle) else box[2]
    return [x - 3.0, box[1] - 2.0, x + 3.0, (box[1] + box[3]) / 2]


def rect_of(quads: list[Quad], pad: float = 1.0) -> list[float]:
    xs = [q[i] for q in quads for i in range(0, 8, 2)]
    ys = [q[i] for q in quads for i in range(1, 8, 2)]
    return [min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad]


def spec_order(quad: Quad) -> Quad:
    """The same quad in the spec's counter-clockwise order (LL, LR, UR, UL)."""
    ulx, uly, urx, ury, llx, lly, lrx, lry = quad
    return (llx, lly, lrx, lry, urx, ury, ulx, uly)


# -- writing annotations like viewers do -------------------------------------------------------
def annotation(pdf: pikepdf.Pdf, subtype: str, rect: list[float], **fields) -> pikepdf.Dictionary:
    """Add a raw annotation dictionary to page 1, as Acrobat/Foxit would write it."""
    values = {
        "/Type": pikepdf.Name.Annot,
        "/Subtype": pikepdf.Name("/" + subtype),
        "/Rect": pikepdf.Array(rect),
        "/F": 4,
    }
    for key, value in fields.items():
        values["/" + key] = _pdf_value(value)
    annot = pdf.make_indirect(pikepdf.Dictionary(values))
    page = pdf.pages[0].obj
    if "/Annots" not in page:
        page.Annots = pdf.make_indirect(pikepdf.Array())
    page.Annots.append(annot)
    return annot


def _pdf_value(value):
    if isinstance(value, str) and value.startswith("/"):
        return pikepdf.Name(value)
    if isinstance(value, str):
        return pikepdf.String(value)
    if isinstance(value, list | tuple):
        return pikepdf.Array([_pdf_value(v) for v in value])
    return value


def with_glyph_runs(layout: PageLayout) -> PageLayout:
    """The layout's lines as glyph runs in the fixture font, so Pasteup's own proof writer
    (app.export) can draw them: one run per line, glyph ids from the font's cmap."""
    font = TTFontFile(FONT_PATH)
    cmap, order = font.getBestCmap(), font.getGlyphOrder()
    ids = {name: number for number, name in enumerate(order)}
    runs = tuple(
        GlyphRun(
            font="fixture", size=round(SIZE * 64), color=BLACK, y=line.baseline,
            glyphs=tuple(ids[cmap[ord(ch)]] for ch in line.text),
            xs=tuple(a for a, _ in line.char_x), advances=tuple(b - a for a, b in line.char_x),
            text=line.text, clusters=tuple((i, i + 1) for i in range(len(line.text))),
            block=line.block, story=line.story, char_start=line.start,
        )
        for line in layout.lines
        if line.text
    )  # fmt: skip
    with open(FONT_PATH, "rb") as data:
        digest = hashlib.sha256(data.read()).hexdigest()
    return layout._replace(items=runs, fonts=(FontSource("fixture", FONT_PATH, 0, digest),))
