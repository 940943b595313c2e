"""A letter-spaced body (a style's `tracking`) still pins a viewer's marks to exactly the
characters marked: the proof's text map follows the tracked glyphs."""

from __future__ import annotations

import json
from pathlib import Path

from test_pinning import acrobat_replace, annotated, caret, strikeout
from test_round_trip import export_proof

from app.cli import main
from app.model import read_document


def test_marks_on_a_tracked_body_pin_to_the_marked_characters(page_path: Path, capsys):
    data = json.loads(page_path.read_text(encoding="utf-8"))
    data["styles"] = {"正文": {"tracking": 0.2}}
    page_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proof = export_proof(page_path, capsys)
    marked = page_path.with_name("marked.pdf")
    marked.write_bytes(
        annotated(
            proof,
            strikeout("组织部部长"),
            acrobat_replace("显著成就", "重大成就"),
            caret("累计举办", 0, "已"),
        )
    )
    assert main(["proof", "import", str(page_path), str(marked), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    document = read_document(page_path)
    assert document.styles["正文"].tracking == 0.2
    stories = document.stories
    got = {(r["action"], r["story"], r["start"], r["end"], r["text"]) for r in rows}
    zhengwu, xiyun = stories["zhengwu"].stream, stories["xiyun"].stream
    at, shown, insert = (
        zhengwu.index("组织部部长"),
        zhengwu.index("显著成就"),
        xiyun.index("累计举办"),
    )
    assert got == {
        ("delete", "zhengwu", at, at + 5, "组织部部长"),
        ("replace", "zhengwu", shown, shown + 4, "显著成就"),
        ("insert", "xiyun", insert, insert, ""),
    }
