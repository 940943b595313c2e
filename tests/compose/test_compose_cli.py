"""`pasteup fit` (算稿) on a sample story, with the bundled body font."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from app.model.storyfile import read_story_file

STORY = Path(__file__).resolve().parents[2] / "assets/samples/news-page/stories/lead.txt"


def test_fit_counts_the_lines_of_a_story(capsys):
    assert main(["fit", str(STORY), "--width", "11字", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    lines = [line for paragraph in report["paragraphs"] for line in paragraph["lines"]]
    assert report["lines"] == len(lines) > 10
    for paragraph in report["paragraphs"]:
        summary, body = paragraph["summary"], paragraph["lines"][:-1]
        assert summary["lines"] == len(paragraph["lines"])
        extras = [line["extra_em"] for line in body if line["extra_em"] is not None]
        assert summary["loose_025"] == sum(x > 0.251 for x in extras)
        assert summary["max_extra_em"] == max(extras, default=0.0)
    # A justified line's extra space is what justification added between its ideographs.
    extras = [line["extra_em"] for p in report["paragraphs"] for line in p["lines"][:-1]]
    assert all(x is None or 0 <= x < 1 for x in extras) and any(x and x > 0 for x in extras)
    stream = read_story_file(STORY).story.stream.replace("\u2029", "")
    assert "".join(line["text"] for line in lines).replace(" ", "") == stream.replace(" ", "")
    assert not any(line["emergency"] for line in lines)


def test_fit_prints_numbered_lines(capsys):
    assert main(["fit", str(STORY), "--width", "11"]) == 0
    out = capsys.readouterr().out.splitlines()
    count = int(out[0].split(": ")[1].split(" ")[0])
    assert len(out) == count + 1
    assert out[1].split()[0] == "1"


def test_fit_rejects_a_bad_width(capsys):
    assert main(["fit", str(STORY), "--width", "wide"]) == 2
    assert "--width" in capsys.readouterr().err


def test_fit_rejects_a_missing_story(capsys, tmp_path):
    assert main(["fit", str(tmp_path / "nope.txt"), "--width", "11字"]) == 2
    assert "nope.txt" in capsys.readouterr().err
