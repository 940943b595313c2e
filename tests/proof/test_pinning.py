"""Every kind of mark a viewer writes is pinned to exactly the characters it marks,
and accepting the text changes yields the corrected story."""

from __future__ import annotations

import io
from dataclasses import replace

import pikepdf
import pymupdf
from proofpdf import annotation, caret_rect_at, find_quads, rect_of, spec_order

from app.model.story import PARAGRAPH_SEPARATOR as PS
from app.proof.corrections import accept, open_ids
from app.proof.importer import import_proof


def annotated(pdf: bytes, *writers) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for write in writers:
            write(doc, pdf)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def flat(quads) -> list[float]:
    return [v for quad in quads for v in quad]


def strikeout(needle, occurrence=0, author="张校对", **fields):
    def write(doc, pdf):
        quads = find_quads(pdf, needle, occurrence)
        return annotation(doc, "StrikeOut", rect_of(quads), QuadPoints=flat(quads), T=author,
                          NM=f"so-{needle}", **fields)  # fmt: skip

    return write


def acrobat_replace(needle, new_text, occurrence=0, caret_is_parent=True):
    """Acrobat's Replace Text: Caret /IT /Replace + StrikeOut /IT /StrikeOutTextEdit, grouped."""

    def write(doc, pdf):
        quads = find_quads(pdf, needle, occurrence)
        x = quads[-1][2]
        caret_rect = [x - 3, quads[-1][5] - 2, x + 3, quads[-1][5] + 4]
        fields = {"T": "李编辑", "CreationDate": "D:20260109103000+08'00'"}
        if caret_is_parent:
            caret = annotation(doc, "Caret", caret_rect, IT="/Replace", Contents=new_text,
                               NM=f"caret-{needle}", **fields)  # fmt: skip
            annotation(doc, "StrikeOut", rect_of(quads), QuadPoints=flat(quads), IRT=caret,
                       RT="/Group", IT="/StrikeOutTextEdit", NM=f"so-{needle}", **fields)  # fmt: skip
        else:  # some viewers point the other way: the caret replies to the strike-out
            strike = annotation(doc, "StrikeOut", rect_of(quads), QuadPoints=flat(quads),
                                IT="/StrikeOutTextEdit", NM=f"so-{needle}", **fields)  # fmt: skip
            annotation(doc, "Caret", caret_rect, IT="/Replace", Contents=new_text, IRT=strike,
                       RT="/Group", NM=f"caret-{needle}", **fields)  # fmt: skip

    return write


def caret(needle, after, text, symbol=None):
    def write(doc, pdf):
        extra = {"Sy": "/P"} if symbol == "P" else {}
        annotation(doc, "Caret", caret_rect_at(pdf, needle, after), Contents=text, T="王校对",
                   NM=f"caret-{needle}-{after}", **extra)  # fmt: skip

    return write


def markup(subtype, needle, order="acrobat", **fields):
    def write(doc, pdf):
        quads = find_quads(pdf, needle)
        if order == "spec":
            quads = [spec_order(q) for q in quads]
        annotation(doc, subtype, rect_of(quads), QuadPoints=flat(quads), T="赵审读",
                   NM=f"{subtype}-{needle}", **fields)  # fmt: skip

    return write


def by_text(report):
    return {(c.type, c.text): c for c in report.corrections}


def test_text_changes_are_pinned_and_accepted(document, proof_pdf):
    zhengwu, xiyun = document.stories["zhengwu"].stream, document.stories["xiyun"].stream
    caption = document.stories["photo-caption"].stream
    pdf = annotated(
        proof_pdf,
        strikeout("组织部部长", Contents="删去"),
        acrobat_replace("显著成就", "重大成就"),
        acrobat_replace("加紧生产", "加紧赶制", caret_is_parent=False),
        caret("累计举办", 0, "已"),
        caret("此次“戏韵", 0, "", symbol="P"),
        strikeout("山西医科大学", occurrence=2),  # the third of five: positions matter
    )
    report = import_proof(document, pdf, "marked.pdf")
    assert report.problems == ()
    got = {(c.action, c.story, c.start, c.end, c.text, c.replacement) for c in report.corrections}
    third = zhengwu.index("山西医科大学", zhengwu.index("山西医科大学", 30) + 1)
    assert got == {
        ("delete", "zhengwu", zhengwu.index("组织部部长"), zhengwu.index("组织部部长") + 5, "组织部部长", ""),
        ("replace", "zhengwu", zhengwu.index("显著成就"), zhengwu.index("显著成就") + 4, "显著成就", "重大成就"),
        ("replace", "photo-caption", caption.index("加紧生产"), caption.index("加紧生产") + 4, "加紧生产", "加紧赶制"),
        ("insert", "xiyun", xiyun.index("累计举办"), xiyun.index("累计举办"), "", "已"),
        ("insert", "xiyun", xiyun.index("此次“戏韵"), xiyun.index("此次“戏韵"), "", PS),
        ("delete", "zhengwu", third, third + 6, "山西医科大学", ""),
    }  # fmt: skip
    assert report.added == 6

    outcome = accept(document, open_ids(document), by="排版")
    assert outcome.failed == ()
    expected_zhengwu = zhengwu[:third] + zhengwu[third + 6 :]
    expected_zhengwu = expected_zhengwu.replace("组织部部长", "", 1).replace("显著成就", "重大成就")
    assert document.stories["zhengwu"].stream == expected_zhengwu
    assert document.stories["xiyun"].stream == xiyun.replace("累计举办", "已累计举办").replace(
        "此次“戏韵", PS + "此次“戏韵"
    )
    assert document.stories["photo-caption"].stream == caption.replace("加紧生产", "加紧赶制")
    assert all(c.state == "applied" for c in document.proof.corrections)


def test_comments_pin_to_text_lines_and_areas(document, proof_pdf):
    zhengwu, xiyun = document.stories["zhengwu"].stream, document.stories["xiyun"].stream
    caption = document.stories["photo-caption"].stream

    def note_right_of(needle):
        def write(doc, pdf):
            quad = find_quads(pdf, needle)[0]
            x, y = quad[2] + 8, quad[1]
            annotation(doc, "Text", [x, y - 20, x + 20, y], Contents="请核实人名", T="赵审读",
                       Name="/Comment", NM="note-1")  # fmt: skip

        return write

    def free_text_callout(doc, pdf):
        quad = find_quads(pdf, "梁生仁")[0]
        tip = ((quad[0] + quad[2]) / 2, quad[5])
        annotation(doc, "FreeText", [300, 40, 400, 70], Contents="摄影者署名核对",
                   CL=[tip[0], tip[1], 350, 70, 350, 70], DA="0 0 1 rg /Helv 10 Tf")  # fmt: skip

    def square_and_ink(doc, pdf):
        quads = find_quads(pdf, "20余场")
        annotation(doc, "Square", rect_of(quads, pad=1.5), Contents="数字核实", NM="sq")
        x0, y0, x1, y1 = rect_of(find_quads(pdf, "晋中市图书馆"), pad=1.0)
        ring = [x0, y0, x1, y0, x1, y1, x0, y1, x0, y0]
        annotation(doc, "Ink", [x0 - 1, y0 - 1, x1 + 1, y1 + 1], InkList=[ring], NM="ink")

    def arrow_and_stamp(doc, pdf):
        quad = find_quads(pdf, "新动能")[0]
        end = (quad[0] + 4, quad[1] + 1)
        annotation(doc, "Line", [end[0] - 1, end[1] - 1, end[0] + 60, end[1] + 40],
                   L=[end[0] + 60, end[1] + 40, end[0], end[1]], LE=["/None", "/OpenArrow"],
                   Contents="上移", NM="arrow")  # fmt: skip
        annotation(doc, "Stamp", [340, 20, 410, 45], Name="/Approved", Contents="付印", NM="stamp")

    rich = '<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml"><p>“构建”<span style="font-weight:bold">用词</span></p><p>请斟酌</p></body>'
    pdf = annotated(
        proof_pdf,
        note_right_of("组织部部长"),
        free_text_callout,
        square_and_ink,
        arrow_and_stamp,
        markup("Highlight", "走访慰问联系服务的山西", order="spec", RC=rich),  # across a line end
        markup("Underline", "平遥县", Contents="地名"),
        markup("Squiggly", "晋剧名家", Contents="?"),
    )
    report = import_proof(document, pdf, "comments.pdf")
    assert {c.action for c in report.corrections} == {"comment"}
    pins = {c.type: (c.story, c.start, c.end) for c in report.corrections}
    body_line = zhengwu.index("市委常委")  # the line that holds 组织部部长
    assert pins["Text"] == ("zhengwu", body_line, body_line + 14)
    assert pins["Highlight"] == ("zhengwu", zhengwu.index("走访慰问联系服务的山西"),
                                 zhengwu.index("走访慰问联系服务的山西") + 11)  # fmt: skip
    assert pins["Underline"] == (
        "photo-caption",
        caption.index("平遥县"),
        caption.index("平遥县") + 3,
    )
    assert pins["Squiggly"] == ("xiyun", xiyun.index("晋剧名家"), xiyun.index("晋剧名家") + 4)
    assert pins["Square"] == ("xiyun", xiyun.index("20余场"), xiyun.index("20余场") + 4)
    assert pins["Ink"] == ("xiyun", xiyun.index("晋中市图书馆"), xiyun.index("晋中市图书馆") + 6)
    photographer_line = caption.index("本报通讯员")
    assert pins["FreeText"] == ("photo-caption", photographer_line, len(caption))
    assert pins["Line"][0] == "xiyun" and pins["Line"][1] <= xiyun.index("新动能") < pins["Line"][2]
    assert pins["Stamp"] == ("", 0, 0)
    stamp = next(c for c in report.corrections if c.type == "Stamp")
    assert "no text line nearby" in stamp.unpinned_reason
    highlight = next(c for c in report.corrections if c.type == "Highlight")
    assert highlight.contents == "“构建”用词\n请斟酌"
    # comments change no text when accepted
    before = {k: s.stream for k, s in document.stories.items()}
    assert accept(document, open_ids(document)).failed == ()
    assert {k: s.stream for k, s in document.stories.items()} == before


def test_replies_states_dates_and_authors(document, proof_pdf):
    def thread(doc, pdf):
        quads = find_quads(pdf, "组织部部长")
        mark = annotation(doc, "StrikeOut", rect_of(quads), QuadPoints=flat(quads), T="张校对",
                          CreationDate="D:20260109093000+08'00'", M="D:20260109093512+08'00'",
                          Subj="删除", NM="mark")  # fmt: skip
        annotation(doc, "Text", [0, 0, 20, 20], IRT=mark, T="李编辑", Contents="同意删除",
                   M="D:20260109100000+08'00'", NM="r1")  # fmt: skip
        annotation(doc, "Text", [0, 0, 20, 20], IRT=mark, T="李编辑", State="Accepted",
                   StateModel="Review", M="D:20260109100100+08'00'", NM="s1")  # fmt: skip
        annotation(doc, "Text", [0, 0, 20, 20], IRT=mark, T="张校对", State="Marked",
                   StateModel="Marked", M="D:20260109100200+08'00'", NM="s2")  # fmt: skip
        popup = annotation(doc, "Popup", [200, 200, 300, 300], Parent=mark, NM="popup")
        mark.Popup = popup

    report = import_proof(document, annotated(proof_pdf, thread), "thread.pdf")
    assert len(report.corrections) == 1
    c = report.corrections[0]
    assert (c.author, c.created, c.modified) == ("张校对", "2026-01-09T09:30:00+08:00",
                                                 "2026-01-09T09:35:12+08:00")  # fmt: skip
    assert [(r.author, r.text) for r in c.replies] == [("李编辑", "同意删除")]
    assert c.viewer_state == "Accepted"
    assert c.action == "delete" and c.text == "组织部部长"


def test_pymupdf_written_annotations(document, proof_pdf):
    """MuPDF's own annotation writer (as in SumatraPDF and other MuPDF viewers)."""
    zhengwu = document.stories["zhengwu"].stream
    with pymupdf.open(stream=proof_pdf, filetype="pdf") as doc:
        page = doc[0]
        page.add_strikeout_annot(page.search_for("李利平以精", quads=True))
        hl = page.add_highlight_annot(page.search_for("锚定科研攻关", quads=True))
        hl.set_info(title="周审读", content="用词")
        hl.update()
        hit = page.search_for("学科建设")[0]
        # MuPDF puts the caret's box corner at the point and its tip 9 pt to the right of it:
        # aim the tip at the boundary before 学, as a user aims the mouse.
        caret_annot = page.add_caret_annot(pymupdf.Point(hit.x0 - 9, (hit.y0 + hit.y1) / 2))
        caret_annot.set_info(content="的")
        caret_annot.update()
        note = page.add_text_annot(pymupdf.Point(hit.x1 + 10, hit.y0), "请核实")
        note.update()
        pdf = doc.tobytes()
    report = import_proof(document, pdf, "mupdf.pdf")
    got = {c.type: (c.action, c.start, c.end, c.text) for c in report.corrections}
    at = zhengwu.index("李利平以精")
    assert got["StrikeOut"] == ("delete", at, at + 5, "李利平以精")
    at = zhengwu.index("锚定科研攻关")
    assert got["Highlight"] == ("comment", at, at + 6, "锚定科研攻关")
    at = zhengwu.index("学科建设")
    assert got["Caret"] == ("insert", at, at, "")
    assert next(c for c in report.corrections if c.type == "Caret").replacement == "的"
    assert got["Text"][0] == "comment" and got["Text"][1] <= at < got["Text"][2]


def test_notes_that_are_instructions_become_the_change_they_state(document, proof_pdf):
    """改为… on a strike-out, 后加… on a highlight, 此处加… in a sticky note or a pdf.js text box
    (its top-left, or its callout's tip): the change they state; anything vaguer a comment."""

    def notes(doc, pdf):
        quads = find_quads(pdf, "显著成就")
        annotation(doc, "StrikeOut", rect_of(quads), QuadPoints=flat(quads), T="周",
                   Contents="改为「重大成就」", NM="n1")  # fmt: skip
        quads = find_quads(pdf, "晋剧名家")
        annotation(doc, "Highlight", rect_of(quads), QuadPoints=flat(quads), T="周",
                   Contents="后加：们", NM="n2")  # fmt: skip
        quads = find_quads(pdf, "组织部部长")
        annotation(doc, "StrikeOut", rect_of(quads), QuadPoints=flat(quads), T="周",
                   Contents="这里是不是有问题？改为部长", NM="n3")  # fmt: skip
        x, _, _, y = caret_rect_at(pdf, "累计举办", 2)
        annotation(doc, "Text", [x, y - 20, x + 20, y], T="周", Contents="此处加“了”", NM="n4")
        x, _, _, y = caret_rect_at(pdf, "加紧生产", 2)
        annotation(doc, "FreeText", [x, y - 20, x + 90, y], T="周", Contents="此处加「赶」",
                   NM="n5")  # fmt: skip
        x, _, _, y = caret_rect_at(pdf, "加紧生产", 0)
        annotation(doc, "FreeText", [300, 30, 390, 50], T="周", Contents="此处补「在」",
                   CL=[x, y, 320, 40], NM="n6")  # fmt: skip

    report = import_proof(document, annotated(proof_pdf, notes), "notes.pdf")
    got = {c.contents: (c.action, c.text, c.replacement) for c in report.corrections}
    assert got["改为「重大成就」"] == ("replace", "显著成就", "重大成就")
    assert got["后加：们"] == ("insert", "", "们")
    assert got["这里是不是有问题？改为部长"][0] == "comment"
    assert got["此处加“了”"] == ("insert", "", "了")
    accept(document, open_ids(document, held=False))
    text = "".join(s.stream for s in document.stories.values())
    for expected in ("重大成就", "晋剧名家们", "累计了举办", "加紧赶生产", "在加紧"):
        assert expected in text, expected
    assert "组织部部长" in text


def test_identical_marks_and_clashing_ids_stay_separate(document, proof_pdf):
    """Two marks alike in every respect in one file are two marks; an id that happens to
    name another stored mark (a different proofreader's) is changed, never merged."""
    twice = annotated(proof_pdf, strikeout("组织部部长"), strikeout("组织部部长"))
    report = import_proof(document, twice, "twice.pdf")
    assert len({c.id for c in report.corrections}) == 2 == len(document.proof.corrections)
    first = document.proof.corrections[0]
    other = replace(first, author="别人", created="2020-01-01T00:00:00")
    document.set_proof(replace(document.proof, corrections=(other,)))
    again = import_proof(document, twice, "twice.pdf")
    assert again.added == 2 and first.id not in {c.id for c in again.corrections}
    assert len(document.proof.corrections) == 3
