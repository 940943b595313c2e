"""The page document file: round trip, validation messages, refusal of unknown data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import PasteupError
from app.model import dumps_document, read_document, save_document

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"


def test_sample_round_trips_to_an_identical_document(tmp_path):
    first = read_document(SAMPLE)
    save_document(first, tmp_path / "page.json")
    second = read_document(tmp_path / "page.json")
    assert second.stories == first.stories
    assert second.blocks == first.blocks
    assert second.meta == first.meta
    assert second.style_overrides == first.style_overrides
    assert second.proof == first.proof
    assert dumps_document(second) == dumps_document(first) == SAMPLE.read_bytes()


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "page.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return path


def _photo(data: dict) -> dict:
    return next(b for b in data["blocks"] if b["type"] == "photo")


def _sample_data() -> dict:
    return json.loads(SAMPLE.read_text())


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(format=3), "format: written by a newer Pasteup (format 3)"),
        (lambda d: d.update(format="1"), "format: expected 1, got '1'"),
        (lambda d: d.update(colour="red"), "unknown field 'colour'"),
        (
            lambda d: d["blocks"][1]["frames"][0].update(span="two"),
            "blocks[1].frames[0].span: expected a whole number, got text 'two'",
        ),
        (
            lambda d: d["blocks"][1]["frames"][0].update(span=9),
            "blocks[1].frames[0]: columns 0–8 exceed the grid's 8 columns",
        ),
        (lambda d: d["blocks"][1].update(story="nope"), "blocks[1].story: no story 'nope'"),
        (lambda d: d["blocks"][2].update(id="lead"), "blocks[2].id: duplicate block id 'lead'"),
        (
            lambda d: d["stories"]["lead"]["paragraphs"][0].update(role="大标题"),
            "stories.lead.paragraphs[0].role: unknown role '大标题'",
        ),
        (lambda d: _photo(d).update(crop=[0.5, 0, 0.2, 1]), "].crop: expected [left, top"),
        (lambda d: d.update(layout="no-such-grid"), "no-such-grid: 找不到版式"),
        (lambda d: d["blocks"][0].update(type="poster"), "blocks[0].type: expected one of"),
        (
            lambda d: d["styles"].update({"正文": {"size": "七寸"}}),
            "styles.正文.size: expected a length",
        ),
        (lambda d: d["meta"].update(date=20260109), "meta.date: expected text, got the number"),
        (lambda d: d["styles"].update({"正文": {"tracking": -1}}), "styles.正文.tracking"),
    ],
)
def test_invalid_documents_name_the_field(tmp_path, mutate, expected):
    data = _sample_data()
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(PasteupError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    assert expected in message
    if "找不到版式" not in expected:
        assert message.startswith(str(path))


def test_truncated_and_non_json_files(tmp_path):
    text = SAMPLE.read_text()
    with pytest.raises(PasteupError, match="文件不完整"):
        read_document(_write(tmp_path, text[: len(text) // 2]))
    with pytest.raises(PasteupError, match="JSON 语法错误"):
        read_document(_write(tmp_path, "format = 1\n"))
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"format": 1, "x": "\xff"}')
    with pytest.raises(PasteupError, match="不是 UTF-8"):
        read_document(path)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("truncated", "page.json: 文件不完整"),
        ("not-json", "page.json: JSON 语法错误"),
        ("wrong-type", "page.json: blocks: expected a list"),
        ("future", "page.json: format: written by a newer Pasteup (format 7)"),
    ],
)
def test_cli_reports_one_line_and_exit_2(tmp_path, content, needle):
    data = _sample_data()
    text = {
        "truncated": SAMPLE.read_text()[:5000],
        "not-json": "<html>not a page</html>",
        "wrong-type": json.dumps({**data, "blocks": {"lead": 1}}),
        "future": json.dumps({**data, "format": 7}),
    }[content]
    path = _write(tmp_path, text)
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert needle in lines[0]
    assert "Traceback" not in run.stderr
