"""Malformed annotations are reported and skipped while the rest import; a PDF that is not a
proof of this page is refused with one clear message; an older proof is re-anchored."""

from __future__ import annotations

import io

import pikepdf
import pytest
from proofpdf import annotation, build_proof, find_quads, rect_of
from test_pinning import annotated, flat, strikeout

from app.compose.textmap import TEXTMAP_FILENAME
from app.errors import PasteupError
from app.proof.importer import import_proof
from app.proof.rounds import start_round

NEEDLE = "组织部部长"


def test_malformed_annotations_are_reported_and_skipped(document, proof_pdf):
    def broken(doc, pdf):
        quads = flat(find_quads(pdf, "晋剧名家"))
        rect = rect_of(find_quads(pdf, "晋剧名家"))
        page = doc.pages[0].obj
        no_rect = annotation(doc, "StrikeOut", rect, QuadPoints=quads, NM="no-rect")
        del no_rect["/Rect"]
        annotation(doc, "StrikeOut", rect, QuadPoints=quads[:7], NM="seven")
        annotation(doc, "Highlight", rect, QuadPoints=[*quads[:7], "/Oops"], NM="name-in-quads")
        annotation(doc, "Highlight", rect, QuadPoints=quads[:4] * 2, NM="flat-quad")
        annotation(doc, "Text", rect, Contents=42, NM="number-contents")
        annotation(doc, "Text", rect, Contents="x", T=["array"], NM="array-author")
        annotation(doc, "Text", rect, Contents="x", IRT=7, NM="irt-number")
        annotation(doc, "Square", ["/a", 1, 2, 3], NM="rect-names")
        annotation(doc, "Ink", rect, InkList=5, NM="ink-number")
        annotation(doc, "Line", rect, L=[1, 2, 3], NM="short-line")
        no_subtype = annotation(doc, "Text", rect, NM="no-subtype")
        del no_subtype["/Subtype"]
        page.Annots.append(17)  # not even a dictionary

    pdf = annotated(proof_pdf, strikeout(NEEDLE), broken, strikeout("晋剧名家"))
    report = import_proof(document, pdf, "broken.pdf")
    assert sorted(c.text for c in report.corrections) == sorted([NEEDLE, "晋剧名家"])
    assert len(report.problems) == 12
    messages = " | ".join(f"{p.where}: {p.message}" for p in report.problems)
    for expected in ("missing /Rect", "not a multiple of 8", "non-number", "no area",
                     "should be a text string", "should refer to an annotation",
                     "should be an array", "needs 4 numbers", "not a dictionary",
                     "missing or not a name"):  # fmt: skip
        assert expected in messages
    assert all(p.page == 1 for p in report.problems)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "cannot read PDF"),
        (b"%PDF-1.7\ngarbage", "cannot read PDF"),
        (b"plain text, not a PDF at all", "cannot read PDF"),
    ],
)
def test_not_a_pdf(document, data, message):
    with pytest.raises(PasteupError, match=message):
        import_proof(document, data, "bad.pdf")


def test_pdf_without_text_map(document, proof_pdf):
    with pikepdf.open(io.BytesIO(proof_pdf)) as doc:
        del doc.attachments[TEXTMAP_FILENAME]
        out = io.BytesIO()
        doc.save(out)
    with pytest.raises(PasteupError, match="no embedded text map"):
        import_proof(document, out.getvalue(), "plain.pdf")


def test_corrupt_text_map(document, proof_pdf):
    with pikepdf.open(io.BytesIO(proof_pdf)) as doc:
        doc.attachments[TEXTMAP_FILENAME] = pikepdf.AttachedFileSpec(doc, b'{"format": 1, "lines')
        out = io.BytesIO()
        doc.save(out)
    with pytest.raises(PasteupError, match="corrupt embedded text map"):
        import_proof(document, out.getvalue(), "corrupt.pdf")


def test_proof_of_another_page_is_refused(document, layout):
    other = build_proof(
        document, layout, document_hash="0123456789abcdef", page="人民日报|2026-01-09|1|要闻"
    )
    with pytest.raises(PasteupError, match="a proof of another page"):
        import_proof(document, other, "other.pdf")
    assert document.proof.corrections == ()


def test_older_version_is_re_anchored(document, layout):
    """The proof shows round 1; since then text was added before and after the marks."""
    start_round(document, layout, at="2026-01-09T09:00:00+08:00")
    proof = build_proof(document, layout)  # records round 1's version
    pdf = annotated(proof, strikeout(NEEDLE), strikeout("晋剧名家"), strikeout("显著成就"))
    zhengwu = document.stories["zhengwu"].stream
    document.replace_text("zhengwu", 0, 0, "（新增标题）")
    document.replace_text("xiyun", 0, len("戏韵入书馆"), "晋剧入书馆")
    at = document.stories["zhengwu"].stream.index("显著成就")
    document.replace_text("zhengwu", at, at + 4, "突出成效")  # the marked text itself changed
    report = import_proof(document, pdf, "round1.pdf")
    assert report.older_version
    by_text = {c.text: c for c in report.corrections if c.pinned}
    now = document.stories["zhengwu"].stream
    assert by_text[NEEDLE].start == now.index(NEEDLE) == zhengwu.index(NEEDLE) + 6
    xiyun = document.stories["xiyun"].stream
    assert by_text["晋剧名家"].start == xiyun.index("晋剧名家")
    lost = [c for c in report.corrections if not c.pinned]
    assert len(lost) == 1 and "changed since this proof" in lost[0].unpinned_reason


def test_unrecorded_older_version_of_the_same_page(document, layout):
    """No round was recorded (a page from before proofing existed), but the page key matches."""
    proof = build_proof(document, layout, document_hash="feedfacecafebeef")
    report = import_proof(document, annotated(proof, strikeout(NEEDLE)), "old.pdf")
    assert report.older_version
    assert report.corrections[0].text == NEEDLE


def test_marks_off_the_text_are_kept_not_pinned(document, proof_pdf):
    def astray(doc, pdf):
        zh = find_quads(pdf, "部长李文兵赴")[0]  # zhengwu column
        xi = find_quads(pdf, "观众。作为")[0]  # the xiyun column, a line at a similar height
        both = [zh[0], zh[1], xi[2], xi[3], zh[4], zh[5], xi[6], xi[7]]
        annotation(doc, "StrikeOut", rect_of([both]), QuadPoints=both, NM="two-columns")
        annotation(doc, "StrikeOut", [5, 5, 30, 15], QuadPoints=[5, 15, 30, 15, 5, 5, 30, 5],
                   NM="margin")  # fmt: skip
        annotation(doc, "Caret", [400, 300, 406, 306], Contents="x", NM="caret-in-gutter")
        annotation(doc, "Text", [400, 15, 420, 35], Contents="页边备注", NM="far-note")
        cut = find_quads(pdf, "山西医科大学，走访")[0]
        far = find_quads(pdf, "基础医学院教")[0]  # same story, next line: a gap of text between
        annotation(doc, "Highlight", rect_of([cut, far]), QuadPoints=[*cut[:8], *far[:8]],
                   NM="gappy")  # fmt: skip

    report = import_proof(document, annotated(proof_pdf, astray), "astray.pdf")
    reasons = {c.id: c.unpinned_reason for c in report.corrections}
    assert len(reasons) == 5 and all(reasons.values())
    text = " ".join(reasons.values())
    for expected in ("spans several stories", "covers no text", "insertion point is not on a text line",
                     "no text line nearby", "not contiguous"):  # fmt: skip
        assert expected in text
