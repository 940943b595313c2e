"""Several proofreaders and several rounds marked with the same tool stay separate marks;
overlapping and late marks never change text they did not mark; a damaged proof holds its
deletions; sign-off waits for overset text and held marks. Real proofs from
`pasteup export --proof`, marks written with PyMuPDF (which names every annotation fitz-A0 …).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pymupdf
from corpus import glyph_lines

from app.cli import main
from app.model import read_document
from app.proof.corrections import accept, open_ids
from app.proof.importer import import_proof


def export(page: Path, name: str) -> bytes:
    out = page.with_name(name)
    assert main(["export", str(page), "--proof", "-o", str(out)]) == 0
    return out.read_bytes()


def mupdf_marks(pdf: bytes, author: str, marks: list[tuple]) -> bytes:
    """(kind, glyphs) marks with PyMuPDF: "strike" over glyphs, "caret" before the first."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        page = doc[0]
        to_page = page.transformation_matrix
        for kind, glyphs, text in marks:
            if kind == "strike":
                box = pymupdf.Rect(glyphs[0].box[0], glyphs[0].box[1], glyphs[-1].box[2],
                                   glyphs[-1].box[3]) * to_page  # fmt: skip
                annot = page.add_strikeout_annot(quads=[box.quad])
            else:
                g = glyphs[0]
                x, y = pymupdf.Point(g.box[0], (g.box[1] + g.box[3]) / 2) * to_page
                annot = page.add_caret_annot((x, y))
                annot.set_rect(pymupdf.Rect(x - 10, y, x + 10, y + 14))
            annot.set_info(title=author, content=text)
            annot.update()
        return doc.tobytes()


def story_line(pdf: bytes, story: str, index: int = 5):
    lines = [line for line in glyph_lines(pdf)[1] if line[0].story == story]
    return lines[index]


def imported(page: Path, pdf: bytes, name: str) -> int:
    path = page.with_name(name)
    path.write_bytes(pdf)
    return main(["proof", "import", str(page), str(path)])


def test_two_readers_and_three_rounds_by_one_tool_stay_separate(page_path, capsys):
    first = export(page_path, "一校.pdf")
    line = story_line(first, "renda")
    a = mupdf_marks(first, "张校对", [("strike", line[1:3], ""), ("caret", line[5:6], "甲")])
    b = mupdf_marks(first, "李校对", [("strike", line[8:9], ""), ("caret", line[11:12], "乙")])
    assert imported(page_path, a, "a.pdf") == 0 and imported(page_path, b, "b.pdf") == 0
    out = capsys.readouterr().out
    assert "新增 2, 更新 0" in out and "张校对: 删除 delete 1, 插入 insert 1" in out
    assert "李校对: 删除 delete 1, 插入 insert 1" in out
    document = read_document(page_path)
    assert len(document.proof.corrections) == 4
    assert main(["proof", "accept", str(page_path), "--all", "--by", "编辑"]) == 0
    for number, name in ((2, "二校.pdf"), (3, "三校.pdf")):
        proof = export(page_path, name)
        line = story_line(proof, "renda", 7)
        marked = mupdf_marks(proof, "张校对", [("strike", line[3:5], "")])
        assert imported(page_path, marked, f"marked-{number}.pdf") == 0
        if number == 2:
            assert main(["proof", "accept", str(page_path), "--all"]) == 0
    capsys.readouterr()
    assert main(["proof", "status", str(page_path), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    counts = {(c["round"], c["author"]): (c["open"], c["applied"]) for c in status["proofreaders"]}
    assert counts == {(1, "张校对"): (0, 2), (1, "李校对"): (0, 2), (2, "张校对"): (0, 1),
                      (3, "张校对"): (1, 0)}  # fmt: skip
    assert [r["name"] for r in status["rounds"]] == ["一校", "二校", "三校"]
    assert main(["proof", "signoff", str(page_path)]) == 2  # round 3's mark is open


def test_overlapping_and_late_marks_never_change_text_they_did_not_mark(page_path, capsys):
    first = export(page_path, "一校.pdf")
    line = story_line(first, "lead", 0)
    # two overlapping strike-outs, a caret inside the first, two carets at one point
    marked = mupdf_marks(first, "张校对", [
        ("strike", line[1:6], ""), ("strike", line[4:9], ""), ("caret", line[3:4], "内"),
        ("caret", line[13:14], "一"), ("caret", line[13:14], "二")])  # fmt: skip
    document = read_document(page_path)
    before = document.stories["lead"].stream
    import_proof(document, marked, "overlap.pdf")
    first_strike, second_strike, inner, one, two = document.proof.corrections
    assert accept(document, [first_strike.id]).failed == ()
    after_one = document.stories["lead"].stream
    assert accept(document, [two.id, one.id]).failed == ()  # the later mark accepted first
    outcome = accept(document, open_ids(document, held=False))
    held = {c.id: c.review for c in document.proof.corrections if c.review}
    assert set(held) == {second_strike.id, inner.id}  # both lost their text to the first
    assert {i for i, _ in outcome.failed} == set()
    start = line[13].offset - (line[6].offset - line[1].offset)
    assert document.stories["lead"].stream == after_one[:start] + "一二" + after_one[start:]
    assert before[: line[1].offset] + before[line[6].offset :] == after_one
    # the held ones are refused even when named
    assert accept(document, [second_strike.id, inner.id]).done == ()


def test_a_late_proof_never_pins_a_changed_mark_elsewhere(page_path):
    first = export(page_path, "一校.pdf")
    line = story_line(first, "renda", 4)
    marked = mupdf_marks(first, "张校对", [("strike", line[6:7], ""), ("strike", line[1:3], "")])
    document = read_document(page_path)
    stream = document.stories["renda"].stream
    at = line[6].offset
    document.replace_text("renda", at - 1, at + 2, "某某某")  # the marked text was edited
    report = import_proof(document, marked, "late.pdf")
    changed, kept = sorted(report.corrections, key=lambda c: c.type != "StrikeOut" or c.pinned)
    assert not changed.pinned and "changed since this proof" in changed.unpinned_reason
    assert kept.pinned and kept.text == stream[line[1].offset : line[2].offset + 1]


def test_a_proof_through_ghostscript_is_reported_damaged(page_path, tmp_path, capsys):
    first = export(page_path, "一校.pdf")
    line = story_line(first, "renda", 4)
    marked = mupdf_marks(first, "张校对", [("strike", line[2:4], "")])
    source, target = tmp_path / "in.pdf", tmp_path / "gs.pdf"
    source.write_bytes(marked)
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={target}", str(source)], check=True)  # fmt: skip
    capsys.readouterr()
    assert main(["proof", "import", str(page_path), str(target), "--json"]) == 0
    captured = capsys.readouterr()
    assert "damaged" in captured.err and "carets were dropped" in captured.err
    (row,) = json.loads(captured.out)
    assert (
        row["action"] == "delete" and row["held"] and "may have been a replacement" in row["review"]
    )
    assert main(["proof", "accept", str(page_path), "--all"]) == 0
    assert read_document(page_path).proof.corrections[0].state == "open"
    assert main(["proof", "accept", str(page_path), row["id"]]) == 1  # held, even when named
    assert main(["proof", "accept", str(page_path), row["id"], "--reviewed"]) == 0  # a person
    assert read_document(page_path).proof.corrections[0].state == "applied"
    # the same file, not re-written, is not damaged
    capsys.readouterr()
    assert imported(page_path, marked, "fine.pdf") == 0
    assert "damaged" not in capsys.readouterr().err


def test_accept_and_export_report_overset_and_signoff_waits(page_path, capsys):
    first = export(page_path, "一校.pdf")
    document = read_document(page_path)
    story = "photo-caption"
    line = story_line(first, story, 0)
    marked = mupdf_marks(first, "张校对", [("caret", line[2:3], "很长的补充说明" * 40)])
    assert imported(page_path, marked, "long.pdf") == 0
    capsys.readouterr()
    assert main(["proof", "accept", str(page_path), "--all"]) == 0
    assert "overset" in capsys.readouterr().err
    export(page_path, "二校.pdf")
    assert "after accepted corrections" in capsys.readouterr().err
    assert main(["proof", "signoff", str(page_path)]) == 2
    assert "overset" in capsys.readouterr().err
    assert document.stories[story].stream in read_document(page_path).stories[story].stream.replace(
        "很长的补充说明" * 40, "")  # fmt: skip
