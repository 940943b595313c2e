"""A corpus of marked proofs: random marks over a real proof, written by independent writers.

Ground truth comes from the proof itself: MuPDF reads every glyph box off the page, each is
matched to the story character the text map says sits in that cell, and a mark is made over
chosen glyph boxes exactly as a viewer's selection would make it. So what a mark *should*
pin to is known before Pasteup reads it. Writers: PyMuPDF's annotation API, pypdf, raw
pikepdf dictionaries shaped like Acrobat's and Foxit's (replace groups both ways, replies,
review states, /RD), and poppler's GLib API as Evince writes (a subprocess under Debian's
python3, which has gi). The marks are random with a fixed seed and never overlap.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

import pikepdf
import pymupdf
import pypdf
from proofpdf import char_boxes
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from app.compose.textmap import TextMap, load_textmap
from app.proof.pdfread import read_proof_pdf
from app.proof.pinning import CLOSING, OPENING

PdfBox = tuple[float, float, float, float]  # x0, y0, x1, y1, PDF user space
SYSTEM_PYTHON = "/usr/bin/python3"
POPPLER_WRITER = Path(__file__).with_name("poppler_writer.py")


@dataclass(frozen=True)
class Glyph:
    char: str
    box: PdfBox
    story: str
    offset: int  # in the story's character stream
    compressed: bool  # punctuation set in less than an em
    space: bool = False  # a space: no glyph drawn, its box is its cell


@dataclass
class MarkSpec:
    """One mark to write and what Pasteup must make of it."""

    kind: str  # strike | highlight | caret | note | note_insert | strike_note | replace_group
    author: str  # unique per mark: how the test finds the correction again
    boxes: list[PdfBox] = field(default_factory=list)  # per line, the selected glyphs' union
    point: tuple[float, float] = (0.0, 0.0)  # caret tip / note anchor
    text: str = ""  # inserted text, or the note
    story: str = ""
    start: int = 0
    end: int = 0
    action: str = ""
    replacement: str = ""


def glyph_lines(pdf: bytes) -> tuple[TextMap, list[list[Glyph]]]:
    """The proof's glyphs, line by line, each tied to its story character. A line whose
    glyphs cannot all be matched one to one is left out (it gets no marks: a line ending in a
    space, whose cell is empty, or one with a glyph drawing two characters), and so is text
    that is no story's (the running head)."""
    textmap = load_textmap(read_proof_pdf(pdf).textmap, "corpus")
    left, top = textmap.placement.left_pt, textmap.placement.top_pt
    found = char_boxes(pdf)
    lines = []
    for line in textmap.lines:
        if not line.text:
            continue
        y0, y1 = top - line.bottom / 64, top - line.top / 64
        em = (line.bottom - line.top) / 64
        near = [(c, b) for c, b in found if y0 - 1 <= (b[1] + b[3]) / 2 <= y1 + 1]
        glyphs, used = [], set()
        for i, (ch, (a, b)) in enumerate(zip(line.text, line.char_x, strict=True)):
            cell = (left + a / 64, left + b / 64)
            if ch.isspace():  # no glyph is drawn: a selection spans its cell
                glyphs.append(Glyph(ch, (cell[0], y0, cell[1], y1), line.story, line.start + i,
                                    False, space=True))  # fmt: skip
                continue
            options = [(abs((box[0] + box[2]) / 2 - sum(cell) / 2), k, box)
                       for k, (c, box) in enumerate(near)
                       if c == ch and k not in used and box[0] < cell[1] + 0.1
                       and box[2] > cell[0] - 0.1]  # fmt: skip
            if not options:
                break
            _, k, box = min(options)
            used.add(k)
            glyphs.append(Glyph(ch, box, line.story, line.start + i,
                                (b - a) / 64 < 0.75 * em and ch in OPENING | CLOSING))  # fmt: skip
        drawn = [g for g in glyphs if not g.space]
        if drawn:  # a space's box as tall as the line's glyphs
            low, high = min(g.box[1] for g in drawn), max(g.box[3] for g in drawn)
            glyphs = [replace(g, box=(g.box[0], low, g.box[2], high)) if g.space else g
                      for g in glyphs]  # fmt: skip
        if (
            len(glyphs) == len(line.text)
            and line.story in textmap.stories
            and all(g.box[2] > g.box[0] for g in glyphs)  # a line-end space has no cell
            and all(a.box[2] <= (b.box[0] + b.box[2]) / 2 for a, b in pairwise(drawn))
        ):  # (and one glyph drawing two characters, as ⸺ draws ——, is not one to one)
            lines.append(glyphs)
    return textmap, lines


def _union(glyphs: list[Glyph]) -> PdfBox:
    return (min(g.box[0] for g in glyphs), min(g.box[1] for g in glyphs),
            max(g.box[2] for g in glyphs), max(g.box[3] for g in glyphs))  # fmt: skip


_NEW = "甲乙丙丁戊己庚辛壬癸天地玄黄宇宙洪荒"


def random_marks(lines: list[list[Glyph]], kinds: list[str], count: int, seed: int,
                 prefix: str) -> list[MarkSpec]:  # fmt: skip
    """`count` marks of the given kinds at random places that do not overlap: over single
    compressed punctuation, line starts and ends, column tops and bottoms, anywhere."""
    rng = random.Random(seed)
    taken: dict[str, set[int]] = {}
    compressed = [(li, gi) for li, line in enumerate(lines) for gi, g in enumerate(line)
                  if g.compressed]  # fmt: skip
    by_story: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        by_story.setdefault(line[0].story, []).append(index)
    marks: list[MarkSpec] = []
    attempts = 0
    while len(marks) < count and attempts < count * 50:
        attempts += 1
        kind = kinds[len(marks) % len(kinds)]
        if kind == "strike" and compressed and len(marks) % 9 == 0:
            commas = [(li, gi) for li, gi in compressed if lines[li][gi].char == "，"]
            li, gi = rng.choice(commas if len(marks) % 18 == 0 and commas else compressed)
            first = last = gi
        else:
            story = rng.choice(sorted(by_story))
            indices = by_story[story]
            li = rng.choice([indices[0], indices[-1]] if rng.random() < 0.25 else indices)
            size = len(lines[li])
            spot = rng.random()
            first = 0 if spot < 0.2 else size - 1 if spot < 0.4 else rng.randrange(size)
            last = min(size - 1, first + rng.randrange(4))
        line = lines[li]
        if kind not in ("caret", "note_insert") and (line[first].space or line[last].space):
            continue
        span = line[first : last + 1]
        story, start, end = line[0].story, span[0].offset, span[-1].offset + 1
        point_kind = kind in ("caret", "note_insert")
        if point_kind and rng.random() < 0.3:  # after the line's last character
            first, span = len(line), []
            start = end = line[-1].offset + 1
        elif point_kind:
            end = start
        used = taken.setdefault(story, set())
        zone = set(range(start - 1, end + 2))
        if used & zone:
            continue
        used |= zone
        author = f"{prefix}{len(marks):03d}"
        mark = MarkSpec(kind, author, story=story, start=start, end=end)
        y0, y1 = line[0].box[1], line[0].box[3]
        new = "".join(rng.choice(_NEW) for _ in range(rng.randrange(1, 4)))
        if point_kind:
            x = line[first].box[0] if first < len(line) else line[-1].box[2]
            mark.point = (x, (y0 + y1) / 2)
            mark.action, mark.replacement = "insert", new
            mark.text = new if kind == "caret" else f"此处加「{new}」"
        elif kind == "note":
            g = span[0]
            mark.point = (g.box[0] + 0.5, (g.box[1] + g.box[3]) / 2)
            mark.action, mark.text = "comment", "此处存疑"
            whole = next(t for t in lines if t is line)
            mark.start, mark.end = whole[0].offset, whole[-1].offset + 1
        else:
            mark.boxes = [_union(span)]
            mark.action = {"strike": "delete", "highlight": "comment"}.get(kind, "replace")
            if kind in ("strike_note", "replace_group"):
                mark.replacement = new
                mark.text = f"改为「{new}」" if kind == "strike_note" else new
        marks.append(mark)
    return marks


# -- writers -----------------------------------------------------------------------------------
def _quad(box: PdfBox) -> list[float]:
    x0, y0, x1, y1 = box
    return [x0, y1, x1, y1, x0, y0, x1, y0]


def _pad(box: PdfBox, by: float = 1.0) -> list[float]:
    return [box[0] - by, box[1] - by, box[2] + by, box[3] + by]


def _caret_rect(point: tuple[float, float]) -> list[float]:
    """Acrobat's caret box: tip at the top centre, on the insertion point."""
    x, y = point
    return [x - 3.0, y - 6.0, x + 3.0, y]


def write_pymupdf(pdf: bytes, marks: list[MarkSpec]) -> bytes:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        page = doc[0]
        to_page = page.transformation_matrix
        for m in marks:
            rects = [pymupdf.Rect(b) * to_page for b in m.boxes]
            if m.kind in ("strike", "strike_note"):
                annot = page.add_strikeout_annot(quads=[r.quad for r in rects])
            elif m.kind == "highlight":
                annot = page.add_highlight_annot(quads=[r.quad for r in rects])
            elif m.kind == "caret":
                x, y = pymupdf.Point(m.point) * to_page
                annot = page.add_caret_annot((x, y))
                annot.set_rect(pymupdf.Rect(x - 10, y, x + 10, y + 14))  # tip on the point
            else:  # a sticky note: the icon's top-left corner is where one clicked
                annot = page.add_text_annot(pymupdf.Point(m.point) * to_page, m.text)
            annot.set_info(title=m.author, content=m.text if m.kind != "highlight" else "")
            annot.update()
        return doc.tobytes()


def write_pypdf(pdf: bytes, marks: list[MarkSpec]) -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf))
    for m in marks:
        fields = {"/Type": NameObject("/Annot"), "/T": TextStringObject(m.author),
                  "/F": NumberObject(4)}  # fmt: skip
        if m.kind in ("caret", "note", "note_insert"):
            rect = _caret_rect(m.point) if m.kind == "caret" else [
                m.point[0], m.point[1] - 16, m.point[0] + 16, m.point[1]]  # fmt: skip
            fields["/Subtype"] = NameObject("/Caret" if m.kind == "caret" else "/Text")
        else:
            rect = _pad(_union_boxes(m.boxes))
            fields["/Subtype"] = NameObject("/Highlight" if m.kind == "highlight" else "/StrikeOut")
            fields["/QuadPoints"] = ArrayObject(FloatObject(v) for b in m.boxes for v in _quad(b))
        fields["/Rect"] = ArrayObject(FloatObject(v) for v in rect)
        if m.text and m.kind != "highlight":
            fields["/Contents"] = TextStringObject(m.text)
        annot = DictionaryObject({NameObject(k): v for k, v in fields.items()})
        writer.add_annotation(0, annot)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _union_boxes(boxes: list[PdfBox]) -> PdfBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip


def write_acrobat(pdf: bytes, marks: list[MarkSpec]) -> bytes:
    """Acrobat and Foxit structures with raw pikepdf dictionaries: replace groups (the caret
    the parent, or the strike-out), replies and review states on marks, /RD insets."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0].obj
        if "/Annots" not in page:
            page.Annots = doc.make_indirect(pikepdf.Array())

        def add(subtype: str, rect: list[float], **fields) -> pikepdf.Dictionary:
            values = {"/Type": pikepdf.Name.Annot, "/Subtype": pikepdf.Name("/" + subtype),
                      "/Rect": pikepdf.Array(rect), "/F": 4,
                      "/CreationDate": pikepdf.String("D:20260109103000+08'00'")}  # fmt: skip
            values.update({"/" + k: v for k, v in fields.items()})
            annot = doc.make_indirect(pikepdf.Dictionary(values))
            page.Annots.append(annot)
            return annot

        for n, m in enumerate(marks):
            who = {"T": pikepdf.String(m.author), "NM": pikepdf.String(f"acro-{n % 7}")}
            if m.kind == "caret":  # Acrobat: /RD insets the drawn caret from /Rect
                rect = _caret_rect(m.point)
                outer = [rect[0] - 1, rect[1] - 1, rect[2] + 1, rect[3] + 1]
                main = add("Caret", outer, Contents=pikepdf.String(m.text),
                           RD=pikepdf.Array([1, 1, 1, 1]), **who)  # fmt: skip
            elif m.kind in ("note", "note_insert"):
                x, y = m.point
                main = add("Text", [x, y - 20, x + 20, y], Contents=pikepdf.String(m.text),
                           Name=pikepdf.Name.Comment, **who)  # fmt: skip
            elif m.kind == "replace_group":
                quads = pikepdf.Array([v for b in m.boxes for v in _quad(b)])
                box = _union_boxes(m.boxes)
                caret = _caret_rect((box[2], (box[1] + box[3]) / 2))
                if n % 2:  # Acrobat: the caret is the parent
                    main = add("Caret", caret, IT=pikepdf.Name.Replace,
                               Contents=pikepdf.String(m.text), **who)  # fmt: skip
                    add("StrikeOut", _pad(box), QuadPoints=quads, IRT=main, RT=pikepdf.Name.Group,
                        IT=pikepdf.Name.StrikeOutTextEdit, T=who["T"])  # fmt: skip
                else:  # Foxit: the strike-out is
                    main = add("StrikeOut", _pad(box), QuadPoints=quads,
                               IT=pikepdf.Name.StrikeOutTextEdit, **who)  # fmt: skip
                    add("Caret", caret, IT=pikepdf.Name.Replace, Contents=pikepdf.String(m.text),
                        IRT=main, RT=pikepdf.Name.Group, T=who["T"])  # fmt: skip
            else:
                subtype = "Highlight" if m.kind == "highlight" else "StrikeOut"
                quads = pikepdf.Array([v for b in m.boxes for v in _quad(b)])
                extra = {"Contents": pikepdf.String(m.text)} if m.kind == "strike_note" else {}
                main = add(subtype, _pad(_union_boxes(m.boxes)), QuadPoints=quads,
                           Subj=pikepdf.String("Cross-Out" if subtype == "StrikeOut" else "Highlight"),
                           **extra, **who)  # fmt: skip
            if n % 3 == 0:  # a reply and a review state, as Acrobat threads them
                add("Text", list(main.Rect), IRT=main, T=pikepdf.String("编辑"),
                    Contents=pikepdf.String("同意"), F=28)  # fmt: skip
                add("Text", list(main.Rect), IRT=main, T=pikepdf.String("编辑"),
                    State=pikepdf.String("Accepted"), StateModel=pikepdf.String("Review"), F=28)  # fmt: skip
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def write_poppler(pdf: bytes, marks: list[MarkSpec]) -> bytes:
    """Evince's way, through poppler-glib under Debian's python3 (which has gi)."""
    kinds = {"strike": "strikeout", "strike_note": "strikeout", "highlight": "highlight",
             "note": "text", "note_insert": "text"}  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder, "in.pdf"), Path(folder, "out.pdf")
        source.write_bytes(pdf)
        job = {"input": str(source), "output": str(target), "marks": []}
        for m in marks:
            if m.kind in ("note", "note_insert"):
                x, y = m.point
                boxes = [[x, y - 24, x + 24, y]]  # Evince: a 24 pt icon from the click point
            else:
                boxes = [list(b) for b in m.boxes]
            job["marks"].append({"kind": kinds[m.kind], "boxes": boxes, "author": m.author,
                                 "contents": m.text if m.kind != "highlight" else ""})  # fmt: skip
        subprocess.run([SYSTEM_PYTHON, str(POPPLER_WRITER)], input=json.dumps(job).encode(),
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        return target.read_bytes()


# What each writer can write (poppler/Evince has no caret tool, nor pypdf's users a group).
WRITERS = {
    "pymupdf": (write_pymupdf, ["strike", "highlight", "caret", "note", "note_insert",
                                "strike_note"]),
    "pypdf": (write_pypdf, ["strike", "highlight", "caret", "note", "note_insert",
                            "strike_note"]),
    "acrobat": (write_acrobat, ["strike", "replace_group", "caret", "highlight", "note",
                                "strike_note"]),
    "poppler": (write_poppler, ["strike", "highlight", "note", "note_insert", "strike_note"]),
}  # fmt: skip


# -- re-savers ---------------------------------------------------------------------------------
def resave_qpdf(pdf: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder, "in.pdf"), Path(folder, "out.pdf")
        source.write_bytes(pdf)
        subprocess.run(["qpdf", "--object-streams=generate", str(source), str(target)],
                       capture_output=True, check=True)  # fmt: skip
        return target.read_bytes()


def resave_pikepdf(pdf: bytes, rotate: int = 0) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if rotate:
            doc.pages[0].obj.Rotate = rotate
        out = io.BytesIO()
        doc.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def ghostscript(pdf: bytes, rotate: int = 0) -> bytes:
    """Ghostscript's pdfwrite, which drops carets and /IRT and bakes a /Rotate into the page."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder, "in.pdf"), Path(folder, "out.pdf")
        source.write_bytes(resave_pikepdf(pdf, rotate) if rotate else pdf)
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite",
                        f"-sOutputFile={target}", str(source)], check=True, capture_output=True)  # fmt: skip
        return target.read_bytes()


RESAVES = {
    "as written": lambda pdf: pdf,
    "qpdf": resave_qpdf,
    "pikepdf": resave_pikepdf,
    "rotate 90": lambda pdf: resave_pikepdf(pdf, rotate=90),
}
