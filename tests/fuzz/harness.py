"""Runs fuzz inputs through the real command entry point and judges each outcome.

A worker process (worker.py) keeps Pasteup imported and runs `app.cli.main(argv)` per input,
so thousands of inputs cost milliseconds each; the harness watches it: an answer later than
`hang_seconds` is a hang (the worker is killed and restarted), an address space past
`memory_bytes` shows up as the out-of-memory line or a MemoryError (a failure either way),
and the worker is recycled every `recycle` inputs so caches cannot pile up.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

WORKER = Path(__file__).with_name("worker.py")
ROOT = Path(__file__).resolve().parents[2]
GIB = 1024**3
MEMORY_SIGNS = ("内存不足", "MemoryError", "bad_alloc")


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ok", "refused" (exit 2, one line), "findings" (exit 1), or a failure below
    code: int
    detail: str = ""
    seconds: float = 0.0

    FAILURES = ("traceback", "hang", "memory", "not-one-line", "lost-page", "overwrote")

    @property
    def failed(self) -> bool:
        return self.kind in self.FAILURES


class Harness:
    def __init__(
        self, *, hang_seconds: float = 20.0, memory_bytes: int = GIB, recycle: int = 300
    ) -> None:
        self.hang_seconds = hang_seconds
        self.memory_bytes = memory_bytes
        self.recycle = recycle
        self._worker: subprocess.Popen | None = None
        self._served = 0

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *_) -> None:
        self.stop()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker.wait()
            self._worker = None

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        self._worker = subprocess.Popen(
            [sys.executable, str(WORKER), str(self.memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self._served = 0
        return self._worker

    def run(self, argv: list[str], cwd: Path) -> Outcome:
        worker = self._worker if self._worker and self._worker.poll() is None else self._start()
        assert worker.stdin and worker.stdout
        start = time.monotonic()
        worker.stdin.write(json.dumps({"argv": [str(a) for a in argv], "cwd": str(cwd)}) + "\n")
        worker.stdin.flush()
        ready, _, _ = select.select([worker.stdout], [], [], self.hang_seconds)
        seconds = time.monotonic() - start
        if not ready:
            self.stop()
            return Outcome("hang", -1, f"no answer in {self.hang_seconds:g} s", seconds)
        line = worker.stdout.readline()
        if not line:  # the worker died: a signal, or the kernel's OOM killer
            code = worker.wait()
            self._worker = None
            return Outcome("memory" if code == -9 else "traceback", code, f"worker died: {code}")
        answer = json.loads(line)
        self._served += 1
        outcome = judge(answer, seconds)
        if self._served >= self.recycle or outcome.kind == "memory":
            self.stop()  # a fresh worker: no caches piled up, no address space left used
        return outcome


def judge(answer: dict, seconds: float) -> Outcome:
    code, stderr, crash = answer["code"], answer["stderr"], answer["traceback"]
    text = stderr + crash
    if any(sign in text for sign in MEMORY_SIGNS) or answer["peak_kib"] * 1024 > GIB:
        return Outcome("memory", code, text[-2000:], seconds)
    if crash:
        return Outcome("traceback", code, crash, seconds)
    if code == 2:
        lines = stderr.splitlines()
        if len(lines) != 1:
            return Outcome("not-one-line", code, stderr[-2000:], seconds)
        return Outcome("refused", code, lines[0], seconds)
    if code not in (0, 1):
        return Outcome("traceback", code, f"exit {code}: {stderr[-2000:]}", seconds)
    return Outcome("ok" if code == 0 else "findings", code, stderr[-500:], seconds)
