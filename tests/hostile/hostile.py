"""The real `pasteup` program run as the user runs it, held to the bounds of issue 11.

Each run is a subprocess of the installed console script with its address space capped
(RLIMIT_AS) and a wall-clock timeout, so a test proves time and memory, not only the answer.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "assets" / "samples" / "news-page"
PASTEUP = str(Path(sys.executable).with_name("pasteup"))
MEMORY = 500 * 1024 * 1024  # bytes of address space
SECONDS = 5.0
OUT_OF_MEMORY = "内存不足"  # the line main() prints on MemoryError: the limit was hit


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, memory: int | None = MEMORY
) -> Result:
    def cap() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.monotonic()
    done = subprocess.run(
        [PASTEUP, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=SECONDS * 4,  # a hang fails below on time, not as a stuck test
        preexec_fn=cap,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )
    return Result(done.returncode, done.stdout, done.stderr, time.monotonic() - start)


def refused(result: Result) -> str:
    """Assert the issue's contract for bad input: one line on stderr, exit 2, in bounds."""
    assert result.code == 2, (result.code, result.stderr[-2000:])
    assert len(result.lines) == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert OUT_OF_MEMORY not in result.stderr, "hit the 500 MiB cap"
    assert result.seconds < SECONDS, result.seconds
    return result.lines[0]


def accepted(result: Result, *codes: int) -> None:
    assert result.code in (codes or (0,)), (result.code, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert result.seconds < SECONDS, result.seconds


def sample_copy(folder: Path) -> Path:
    """A copy of the sample page's folder; returns the page file."""
    target = folder / "page"
    shutil.copytree(SAMPLE, target)
    return target / "page.json"
