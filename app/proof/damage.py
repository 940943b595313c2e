"""Did a re-writer damage the proof? Two hidden annotations Pasteup puts on every proof tell.

Some programs a proof passes through drop what they do not know: Ghostscript's pdfwrite
drops every Caret and every /IRT link, so replace groups come back as bare strike-outs
(deletions) and replies as free-standing notes. Pasteup therefore writes, on each proof, a
hidden Caret and a hidden Text note replying to it (/IRT). On import: the note without its
caret means carets were dropped, the note without its link means reply links were. A proof
without the note (older proofs, or a viewer that deletes hidden annotations) says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

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
