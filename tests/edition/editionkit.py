"""Helpers the edition tests share: running the CLI, reading a story's set characters back."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from app.cli import main
from app.model.story import PARAGRAPH_SEPARATOR


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def coverage(stream: str, lines) -> list[int]:
    """How many times each character of `stream` is set by `lines` ((start, end) pairs)."""
    counts = [0] * len(stream)
    for start, end in lines:
        for i in range(start, end):
            counts[i] += 1
    return counts


def assert_set_once(stream: str, lines) -> None:
    counts = coverage(stream, lines)
    twice = [i for i, n in enumerate(counts) if n > 1]
    missing = [i for i, n in enumerate(counts) if n == 0 and stream[i] != PARAGRAPH_SEPARATOR]
    assert not twice, f"set twice: {stream[twice[0] : twice[0] + 10]!r} at {twice[0]}"
    assert not missing, f"never set: {stream[missing[0] : missing[0] + 10]!r} at {missing[0]}"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its hash: to show nothing was lost or changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
