"""Did a re-writer damage the proof? Two hidden annotations Pasteup puts on every proof tell.

They also say where the page went: the hidden note's place tells a page a re-writer turned
or moved back onto the exported one (`undo_rewrite`).

Some programs a proof passes through drop what they do not know: Ghostscript's pdfwrite
drops every Caret and every /IRT link, so replace groups come back as bare strike-outs
(deletions) and replies as free-standing notes. Pasteup therefore writes, on each proof, a
hidden Caret and a hidden Text note replying to it (/IRT). On import: the note without its
caret means carets were dropped, the note without its link means reply links were. A proof
without the note (older proofs, or a viewer that deletes hidden annotations) says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pikepdf

from app.compose.textmap import TextMap
from app.proof.pdfread import PdfAnnotation

INTEGRITY_PREFIX = "pasteup-integrity-"
_CARET, _REPLY = INTEGRITY_PREFIX + "caret", INTEGRITY_PREFIX + "reply"
_HIDDEN = 2


@dataclass(frozen=True, slots=True)
class Damage:
    """What the file lost, in words (Chinese, then English); empty when nothing is known lost."""

    reason: str = ""

    def __bool__(self) -> bool:
        return bool(self.reason)


def find_damage(annotations: tuple[PdfAnnotation, ...]) -> Damage:
    caret = next((a for a in annotations if a.name == _CARET), None)
    reply = next((a for a in annotations if a.name == _REPLY), None)
    if reply is None:
        return Damage()
    lost = []
    if caret is None:
        lost.append("插入符被删 (carets were dropped)")
    if caret is None or reply.in_reply_to != caret.id:
        lost.append("回复链接被删 (reply links were dropped)")
    return Damage("、".join(lost))


def add_integrity_marks(pdf: pikepdf.Pdf, rect: list[float]) -> None:
    """Put the hidden caret and its reply on page 1 (at `rect`, in the bleed)."""
    page = pdf.pages[0].obj
    if "/Annots" not in page:
        page.Annots = pdf.make_indirect(pikepdf.Array())
    common = {"/Type": pikepdf.Name.Annot, "/Rect": pikepdf.Array(rect), "/F": _HIDDEN,
              "/T": pikepdf.String("Pasteup")}  # fmt: skip
    caret = pdf.make_indirect(pikepdf.Dictionary({
        **common, "/Subtype": pikepdf.Name.Caret, "/NM": pikepdf.String(_CARET)}))  # fmt: skip
    reply = pdf.make_indirect(pikepdf.Dictionary({
        **common, "/Subtype": pikepdf.Name.Text, "/NM": pikepdf.String(_REPLY), "/IRT": caret,
        "/Contents": pikepdf.String("Pasteup 校样完整性标记 (proof integrity mark)")}))  # fmt: skip
    page.Annots.extend([caret, reply])


# Where add_integrity_marks puts the reply, relative to the trim's top-left corner (pt).
_MARK_OFFSET = ((-4.0, 1.0), (-1.0, 4.0))  # (x0, y0), (x1, y1) from (left, top)

Point = tuple[float, float]


def integrity_rect(left: float, top: float) -> list[float]:
    (a, b), (c, d) = _MARK_OFFSET
    return [left + a, top + b, left + c, top + d]


def undo_rewrite(
    annotations: tuple[PdfAnnotation, ...], textmap: TextMap, trim: tuple[float, ...] | None
) -> tuple[tuple[PdfAnnotation, ...], str]:
    """Annotations moved back to where they were on the exported page, or "" and a reason.

    A re-writer may translate, scale or turn the page (Ghostscript bakes a /Rotate into the
    content, 90° or 180°, and moves every annotation with it). The hidden integrity note
    was put at a known place: of the four quarter turns of the trim box onto the exported
    one, the one that brings it back there is how the page was moved. Without the note,
    a page whose trim box changed size or turned cannot be trusted (the reason says so)."""
    if trim is None or textmap.trim_pt is None:
        return annotations, ""
    width, height = textmap.trim_pt
    left, top = textmap.placement.left_pt, textmap.placement.top_pt
    old = (left, top - height, left + width, top)
    reply = next((a for a in annotations if a.name == _REPLY), None)
    if reply is not None:
        expected = integrity_rect(left, top)
        goal = ((expected[0] + expected[2]) / 2, (expected[1] + expected[3]) / 2)
        now = ((reply.rect[0] + reply.rect[2]) / 2, (reply.rect[1] + reply.rect[3]) / 2)
        for turn in range(4):
            move = _quarter_turn(trim, old, turn)
            if move is not None and _near(move(now), goal):
                if turn == 0 and _near(move((trim[0], trim[3])), (left, top), 0.01):
                    return annotations, ""  # not moved at all
                return tuple(_moved(a, move) for a in annotations), ""
    now_w, now_h = trim[2] - trim[0], trim[3] - trim[1]
    if abs(now_w - width) <= 1 and abs(now_h - height) <= 1:
        return annotations, ""  # only translated: the trim shift undoes it
    if abs(now_w - height) <= 1 and abs(now_h - width) <= 1:
        return annotations, "校样页面已被改写程序转过，批注位置不可信 (a re-writer turned the page)"
    return annotations, "校样页面尺寸已变，批注位置不可信 (the page size changed since export)"


def _quarter_turn(new, old, turn: int):
    """The map from the re-written page to the exported one that turns trim `new` onto
    trim `old` by `turn` quarter turns, or None when their sizes cannot match that way."""
    nw, nh = new[2] - new[0], new[3] - new[1]
    ow, oh = old[2] - old[0], old[3] - old[1]
    if nw <= 0 or nh <= 0 or ow <= 0 or oh <= 0:
        return None
    swapped = turn % 2 == 1
    if abs((nh if swapped else nw) - ow) > 1 or abs((nw if swapped else nh) - oh) > 1:
        return None

    def move(point: Point) -> Point:
        u, v = (point[0] - new[0]) / nw, (point[1] - new[1]) / nh
        u, v = ((u, v), (v, 1 - u), (1 - u, 1 - v), (1 - v, u))[turn]
        return old[0] + u * ow, old[1] + v * oh

    return move


def _near(a: Point, b: Point, tolerance: float = 1.5) -> bool:
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def _moved(annot: PdfAnnotation, move) -> PdfAnnotation:
    def box(b):
        (x0, y0), (x1, y1) = move((b[0], b[1])), move((b[2], b[3]))
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    return replace(annot, rect=box(annot.rect), quads=tuple(box(q) for q in annot.quads),
                   points=tuple(move(p) for p in annot.points))  # fmt: skip
