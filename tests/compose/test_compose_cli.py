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
    lines = [line for paragraph in report["paragraphs"] for line in paragraph]
    assert report["lines"] == len(lines) > 10
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
