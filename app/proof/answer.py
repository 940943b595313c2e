"""Answering back (核红): the previous round's corrections, with their states, on the new proof.

After the proof exporter has written round N, `answer_back` adds one annotation per
correction of round N−1 where its text now stands on the new page — a highlight over
changed or kept text, a caret where text was deleted — authored by the proofreader who
asked for it, and a review-state reply (Accepted / Rejected, with the reason) by whoever
decided, exactly as Acrobat records a review. The proofreader checks each change in
their own viewer. Pasteup recognises these annotations on import (their /NM) so they
never come back as new corrections; a proofreader's reply to one does.
"""

from __future__ import annotations

import io

import pikepdf

from app.compose.layout import TextLine
from app.compose.textmap import TextMap, load_textmap
from app.errors import PasteupError
from app.model import PageDocument
from app.model.proofing import Correction
from app.proof.corrections import current_range, proposal
from app.proof.damage import add_integrity_marks, integrity_rect
from app.proof.marks import ANSWER_PREFIX, STATE_PREFIX
from app.proof.pdfread import read_proof_pdf
from app.proof.rounds import now_iso, round_name

_COLORS = {"applied": (0.1, 0.65, 0.2), "rejected": (0.9, 0.1, 0.1), "open": (1.0, 0.6, 0.0)}
_REVIEW_STATE = {"applied": "Accepted", "rejected": "Rejected"}
_HIDDEN_PRINT = 2 | 4 | 8 | 16  # Hidden, Print, NoZoom, NoRotate: how viewers store state replies


def answer_back(
    pdf: bytes, document: PageDocument, name: str = "proof.pdf", at: str = "", answers: bool = True
) -> bytes:
    """The proof with round N−1's corrections marked on it (N from its own text map, none
    when `answers` is off) and the hidden marks that tell a damaged copy (`damage`)."""
    found = read_proof_pdf(pdf, name).textmap
    if found is None:
        raise PasteupError(f"{name}: 没有文本映射，无法核红标注 (no text map to place answers)")
    textmap = load_textmap(found, name)
    previous = textmap.proof_round - 1
    chosen = [c for c in document.proof.corrections if c.round == previous] if answers else []
    stamp = _pdf_date(at or now_iso())
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        add_integrity_marks(
            doc, integrity_rect(textmap.placement.left_pt, textmap.placement.top_pt)
        )
        page = doc.pages[0].obj
        if "/Annots" not in page:
            page.Annots = doc.make_indirect(pikepdf.Array())
        for number, correction in enumerate(chosen):
            main = _main_annotation(doc, textmap, document, correction, number, stamp)
            page.Annots.append(main)
            if correction.state in _REVIEW_STATE:
                page.Annots.append(_state_reply(doc, main, correction, stamp))
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)  # the same page gives the same proof bytes
        return out.getvalue()


def _main_annotation(doc: pikepdf.Pdf, textmap: TextMap, document: PageDocument,
                     c: Correction, number: int, stamp: str) -> pikepdf.Dictionary:  # fmt: skip
    state = {"applied": "已改", "rejected": "未改", "open": "待处理"}[c.state]
    contents = f"{round_name(c.round)} {c.author}：{proposal(c)}"
    if c.contents and c.action != "comment":
        contents += f"\n{c.contents}"
    contents += f"\n【{state}】" + (f" {c.why}" if c.why else "")
    common = {
        "/Type": pikepdf.Name.Annot,
        "/T": pikepdf.String(c.author),
        "/Contents": pikepdf.String(contents),
        "/Subj": pikepdf.String("核红"),
        "/NM": pikepdf.String(ANSWER_PREFIX + c.id),
        "/M": pikepdf.String(stamp),
        "/C": pikepdf.Array(_COLORS[c.state]),
        "/F": 4,
    }
    found = current_range(document, c)
    boxes = _boxes(textmap, c.story, *found) if found else []
    caret = _caret_rect(textmap, c.story, found[0]) if found and found[0] == found[1] else None
    if caret is not None:
        appearance = _caret_appearance(doc, caret, _COLORS[c.state])
        shape = {"/Subtype": pikepdf.Name.Caret, "/Rect": pikepdf.Array(caret)}
    elif boxes:
        rect = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes)]  # fmt: skip
        quads = [v for x0, y0, x1, y1 in boxes for v in (x0, y1, x1, y1, x0, y0, x1, y0)]
        appearance = _highlight_appearance(doc, rect, boxes, _COLORS[c.state])
        shape = {"/Subtype": pikepdf.Name.Highlight, "/Rect": pikepdf.Array(rect),
                 "/QuadPoints": pikepdf.Array(quads)}  # fmt: skip
    else:  # no longer on the page, or never pinned: a note in the band above the page
        left, top = textmap.placement.left_pt + 18 * number % 400, textmap.placement.top_pt + 4
        appearance = None
        shape = {"/Subtype": pikepdf.Name.Text, "/Name": pikepdf.Name.Comment,
                 "/Rect": pikepdf.Array([left, top, left + 16, top + 16])}  # fmt: skip
    if appearance is not None:
        shape["/AP"] = pikepdf.Dictionary({"/N": appearance})
    return doc.make_indirect(pikepdf.Dictionary({**common, **shape}))


def _state_reply(doc: pikepdf.Pdf, main: pikepdf.Dictionary, c: Correction, stamp: str):
    return doc.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=main.Rect, F=_HIDDEN_PRINT,
        IRT=main, State=pikepdf.String(_REVIEW_STATE[c.state]),
        StateModel=pikepdf.String("Review"), T=pikepdf.String(c.decided_by or "Pasteup"),
        Contents=pikepdf.String(c.why or _REVIEW_STATE[c.state]), M=pikepdf.String(stamp),
        NM=pikepdf.String(STATE_PREFIX + c.id)))  # fmt: skip


def _lines_of(textmap: TextMap, story: str) -> list[TextLine]:
    return [line for line in textmap.lines if line.story == story and line.char_x]


def _boxes(textmap: TextMap, story: str, start: int, end: int) -> list[tuple[float, ...]]:
    """Per line, the PDF box over characters [start, end) of the story."""
    boxes = []
    for line in _lines_of(textmap, story):
        first, last = max(start, line.start), min(end, line.end)
        if first >= last:
            continue
        x0, x1 = line.char_x[first - line.start][0], line.char_x[last - 1 - line.start][1]
        boxes.append(_pdf_box(textmap, x0, line.top, x1, line.bottom))
    return boxes


def _caret_rect(textmap: TextMap, story: str, at: int) -> list[float] | None:
    for line in _lines_of(textmap, story):
        if line.start <= at <= line.end:
            x = line.char_x[at - line.start][0] if at < line.end else line.char_x[-1][1]
            x0, y0, _, y1 = _pdf_box(textmap, x, line.top, x, line.bottom)
            return [x0 - 3, y0 - 2, x0 + 3, (y0 + y1) / 2]
    return None


def _pdf_box(textmap: TextMap, x0: int, top: int, x1: int, bottom: int) -> tuple[float, ...]:
    left, page_top = textmap.placement.left_pt, textmap.placement.top_pt
    return (left + x0 / 64, page_top - bottom / 64, left + x1 / 64, page_top - top / 64)


def _highlight_appearance(doc, rect, boxes, color) -> pikepdf.Stream:
    """Multiply-blended fill over each line box, as viewers draw highlights."""
    r, g, b = color
    ops = [f"/GS0 gs {r:.3f} {g:.3f} {b:.3f} rg"]
    ops += [f"{x0:.2f} {y0:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re f" for x0, y0, x1, y1 in boxes]
    return _form(doc, rect, "\n".join(ops), pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(
        GS0=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, BM=pikepdf.Name.Multiply,
                               ca=0.45))))  # fmt: skip


def _caret_appearance(doc, rect, color) -> pikepdf.Stream:
    x0, y0, x1, y1 = rect
    mid = (x0 + x1) / 2
    r, g, b = color
    ops = (
        f"{r:.3f} {g:.3f} {b:.3f} rg {x0:.2f} {y0:.2f} m {mid:.2f} {y1:.2f} l {x1:.2f} {y0:.2f} l f"
    )
    return _form(doc, rect, ops, pikepdf.Dictionary())


def _form(doc, rect, ops: str, resources: pikepdf.Dictionary) -> pikepdf.Stream:
    return pikepdf.Stream(doc, ops.encode(), Type=pikepdf.Name.XObject,
                          Subtype=pikepdf.Name.Form, BBox=pikepdf.Array(rect),
                          Resources=resources)  # fmt: skip


def _pdf_date(iso: str) -> str:
    """ISO 8601 → PDF date (D:YYYYMMDDHHmmSS+HH'mm')."""
    digits = iso.replace("-", "").replace(":", "").replace("T", "")
    stamp, zone = digits[:14], iso[19:]
    if zone in ("", "Z"):
        return f"D:{stamp}Z"
    return f"D:{stamp}{zone[0]}{zone[1:3]}'{zone[4:6]}'"
