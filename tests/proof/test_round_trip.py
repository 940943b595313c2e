"""End to end: Pasteup's proof writer → a viewer marks it → `pasteup proof import` →
`accept --all` → the next round's proof, whose text (pdftotext) has every correction and
whose answer annotations (read with pypdf) carry the review states.

The page is the sample page, composed and exported by the real `pasteup export --proof`."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pypdf
from proofpdf import find_quads
from test_pinning import acrobat_replace, annotated, caret, strikeout

from app.cli import main
from app.model import read_document
from app.model.story import PARAGRAPH_SEPARATOR as PS


def export_proof(page: Path, capsys) -> bytes:
    """`pasteup export PAGE --proof`: compose, start the next round, answer back, save."""
    out = page.with_name(f"proof-{len(read_document(page).proof.rounds) + 1}.pdf")
    assert main(["export", str(page), "--proof", "-o", str(out)]) == 0
    assert "校样" in capsys.readouterr().out
    return out.read_bytes()


def pdftotext(pdf: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return "".join(text.stdout.decode("utf-8").split())


def test_export_annotate_import_accept_export(page_path: Path, tmp_path: Path, capsys):
    first = export_proof(page_path, capsys)
    assert "组织部部长" in pdftotext(first) and "显著成就" in pdftotext(first)
    marked = annotated(
        first,
        strikeout("组织部部长"),
        acrobat_replace("显著成就", "重大成就"),
        acrobat_replace("加紧生产", "加紧赶制", caret_is_parent=False),
        caret("累计举办", 0, "已"),
        strikeout("晋剧名家", author="孙校对"),  # will be rejected
    )
    annotated_path = tmp_path / "一校-marked.pdf"
    annotated_path.write_bytes(marked)

    assert main(["proof", "import", str(page_path), str(annotated_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["action"], r["text"]) for r in rows} == {
        ("delete", "组织部部长"), ("replace", "显著成就"), ("replace", "加紧生产"),
        ("insert", ""), ("delete", "晋剧名家"),
    }  # fmt: skip
    assert all(r["page"] == 1 and r["story"] and r["block"] for r in rows)
    assert set(rows[0]) >= {"id", "type", "author", "contents", "page", "block", "story",
                            "start", "end", "text", "action"}  # fmt: skip
    keep = next(r["id"] for r in rows if r["text"] == "晋剧名家")
    assert main(["proof", "import", str(page_path), str(annotated_path)]) == 0  # again: no copies
    assert "新增 0" in capsys.readouterr().out
    assert (
        main(["proof", "reject", str(page_path), keep[:5], "--why", "人名无误", "--by", "编辑"])
        == 0
    )
    assert main(["proof", "signoff", str(page_path)]) == 2  # four still open
    assert "4 corrections are still open" in capsys.readouterr().err
    assert main(["proof", "accept", str(page_path), "--all", "--by", "排版"]) == 0
    assert main(["proof", "signoff", str(page_path)]) == 2  # changed since round 1
    assert "export a proof first" in capsys.readouterr().err

    second = export_proof(page_path, capsys)
    text = pdftotext(second)
    assert "二校" in text
    for fixed in ("市委常委、李文兵赴", "重大成就", "加紧赶制", "已累计举办", "晋剧名家"):
        assert fixed in text
    for gone in ("组织部部长", "显著成就", "加紧生产"):
        assert gone not in text

    answers = [a.get_object() for a in pypdf.PdfReader(io.BytesIO(second)).pages[0]["/Annots"]]
    states = {
        a["/IRT"].get_object()["/NM"]: (a["/State"], a["/T"]) for a in answers if "/State" in a
    }
    assert sorted(states.values()) == [("Accepted", "排版")] * 4 + [("Rejected", "编辑")]
    rejected = next(a for a in answers if a.get("/NM") == f"pasteup-answer-{keep}")
    assert rejected["/Subtype"] == "/Highlight" and "人名无误" in rejected["/Contents"]
    deleted_at = next(a for a in answers if "组织部部长" in a.get("/Contents", ""))
    assert deleted_at["/Subtype"] == "/Caret"

    # 核红: the proofreader re-imports the round-2 proof: Pasteup's answers are not new
    # corrections, but a reply the proofreader typed under one of them is.
    def object_to_answer(doc, pdf):
        target = next(a for a in doc.pages[0].obj.Annots if str(a.get("/NM", "")).endswith(keep))
        from proofpdf import annotation

        annotation(doc, "Text", [0, 0, 10, 10], IRT=target, Contents="请再核", T="孙校对",
                   NM="reply-2")  # fmt: skip

    reviewed = tmp_path / "二校-marked.pdf"
    reviewed.write_bytes(annotated(second, object_to_answer, strikeout("新动能")))
    assert main(["proof", "import", str(page_path), str(reviewed), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted((r["action"], r["contents"], r["round"]) for r in rows) == [
        ("comment", "请再核", 2), ("delete", "", 2)]  # fmt: skip
    reply_row = next(r for r in rows if r["action"] == "comment")
    assert reply_row["story"] == "xiyun" and reply_row["pinned"]

    assert main(["proof", "accept", str(page_path), "--all"]) == 0
    third = export_proof(page_path, capsys)
    assert "新动能" not in pdftotext(third) and "三校" in pdftotext(third)
    assert main(["proof", "signoff", str(page_path), "--by", "值班总编"]) == 0
    capsys.readouterr()
    assert main(["proof", "status", str(page_path), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in status["rounds"]] == ["一校", "二校", "三校"]
    assert status["open"] == 0 and status["signed_off"]["by"] == "值班总编"
    counts = {(c["round"], c["author"]): (c["open"], c["applied"], c["rejected"])
              for c in status["proofreaders"]}  # fmt: skip
    assert counts[(1, "孙校对")] == (0, 0, 1)
    assert counts[(1, "李编辑")] == (0, 2, 0)

    assert main(["proof", "diff", str(page_path), "--from", "1", "--to", "2", "--json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    changes = {s["story"]: [(c["old"], c["new"]) for c in s["changes"]] for s in diff["stories"]}
    assert set(changes) == {"zhengwu", "xiyun", "photo-caption"}
    assert ("", "已") in changes["xiyun"]
    assert {r["block"] for r in diff["regions"]} == {"zhengwu", "xiyun", "photo-caption"}
    document = read_document(page_path)
    assert document.stories["xiyun"].stream.count(PS) == 2
    assert find_quads(third, "加紧赶制")  # the corrected text is where a viewer finds it
