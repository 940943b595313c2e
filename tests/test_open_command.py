"""`pasteup open` outside a desktop: one clear line, not Qt's abort and core dump."""

import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "assets" / "samples" / "news-page" / "page.json"


def _open(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "app.cli", "open", *args],
                          capture_output=True, text=True, env={**clean, **env}, timeout=60)  # fmt: skip


def test_no_display_is_one_line_and_exit_2():
    run = _open(str(SAMPLE))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "pasteup: 没有可用的显示 (no display): run on a desktop, under xvfb-run, "
        "or with QT_QPA_PLATFORM=offscreen"
    ]


def test_missing_page_is_one_line_and_exit_2(tmp_path):
    run = _open(str(tmp_path / "nope.json"), QT_QPA_PLATFORM="offscreen")
    assert run.returncode == 2
    assert run.stderr.strip() == f"pasteup: {tmp_path / 'nope.json'}: 文件不存在 (file not found)"
