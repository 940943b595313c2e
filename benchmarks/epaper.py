"""E-paper of the sample page at 150 dpi: the time per page, and a fresh `pasteup epaper`.

Prints the medians (wall time, and CPU time, which a busy machine inflates less) and, last,
one JSON line: {"epaper_page_s": …, "process_s": …}
Target (2-core reference machine): epaper_page_s ≤ 1.0 s — a composed page to its files:
the print PDF, the pdftoppm rendering of it, thumbnail, photo crops and HTML. `process_s` is
the whole command in a new interpreter (start-up, reading and composing the page included);
the page's photo is converted once, untimed, as on a re-export.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.commands.export import compose_document  # noqa: E402
from app.epaper.articles import EpaperPage  # noqa: E402
from app.epaper.site import EpaperOptions, write_epaper  # noqa: E402
from app.model import read_document  # noqa: E402

SAMPLE = ROOT / "assets" / "samples" / "news-page" / "page.json"
RUNS = 5
DPI = 150


def _cpu() -> float:
    """This process's CPU time plus its finished children's (pdftoppm)."""
    own, children = os.times(), os.times()
    return own.user + own.system + children.children_user + children.children_system


def in_process(scratch: Path) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per page, the page already composed."""
    document = read_document(SAMPLE)
    pages = [EpaperPage(document, compose_document(document))]
    walls, cpus = [], []
    for run in range(RUNS + 1):  # the first converts the photo and subsets the fonts
        folder = scratch / f"site-{run}"
        start, cpu = time.perf_counter(), _cpu()
        write_epaper(pages, folder, EpaperOptions(dpi=DPI))
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
        shutil.rmtree(folder)
    return walls[1:], cpus[1:]


def fresh_process(scratch: Path) -> list[float]:
    env = {**os.environ, "PASTEUP_CACHE_DIR": str(scratch / "cache")}
    times = []
    for run in range(RUNS + 1):
        folder = scratch / f"cli-{run}"
        command = [sys.executable, "-m", "app.cli", "epaper", str(SAMPLE), "-o", str(folder)]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"epaper failed: {result.stderr.strip()}")
        shutil.rmtree(folder)
    return times[1:]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        page_times, cpu_times = in_process(Path(scratch))
        process_times = fresh_process(Path(scratch))
    page_s = statistics.median(page_times)
    process_s = statistics.median(process_times)
    print(f"cpus {os.cpu_count()}, {DPI} dpi, sample page")
    print(f"per page, in process (median of {RUNS}): {page_s:.3f} s "
          f"(min {min(page_times):.3f}, max {max(page_times):.3f})")  # fmt: skip
    print(f"CPU per page (this process and pdftoppm): {statistics.median(cpu_times):.3f} s")
    print(f"fresh `pasteup epaper` (median of {RUNS}): {process_s:.3f} s")
    print(json.dumps({"epaper_page_s": round(page_s, 3), "process_s": round(process_s, 3)}))


if __name__ == "__main__":
    main()
