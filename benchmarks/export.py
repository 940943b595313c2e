"""Print-PDF export of the sample page: fresh process end to end, and warm in-process.

Prints the medians and, last, one JSON line:
{"warm_ms": …, "process_s": …, "peak_mib": …, "pdf_bytes": …}
Targets (2-core reference machine): warm ≤ 60 ms, fresh process ≤ 0.6 s and ≤ 200 MiB,
PDF ≤ 1.5 MB without the photo (`pdf_bytes` is without it; the line above gives both).

The fresh process is an installed Pasteup's re-exporting a page it has exported before (every
proof round and the plate): Python bytecode compiled (pip does that on install; here it goes to
a scratch PYTHONPYCACHEPREFIX even when PYTHONDONTWRITEBYTECODE is set), the font hashes
remembered (app/fonts/filehash.py) and the unchanged photo found converted
(app/export/picture_store.py), both in a scratch PASTEUP_CACHE_DIR. One untimed run fills them;
its time is printed as the first run's, the cost of a page's first export.
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
from app.compose.layout import Image  # noqa: E402
from app.export.print_pdf import export_print_pdf  # noqa: E402
from app.model import read_document  # noqa: E402

SAMPLE = ROOT / "assets" / "samples" / "news-page"
FRESH_RUNS = 5
WARM_RUNS = 20


def printable_sample(scratch: Path) -> Path:
    """The sample page with its stand-in photo declared the paper's own (a placeholder never
    prints), copied to `scratch`."""
    folder = scratch / "page"
    shutil.copytree(SAMPLE, folder)
    page = folder / "page.json"
    data = json.loads(page.read_text(encoding="utf-8"))
    for block in data["blocks"]:
        if block["type"] == "photo":
            block["placeholder"] = False
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return page


def fresh_process(scratch: Path, page: Path) -> tuple[float, float, float]:
    """Median wall time of `pasteup export` in a new interpreter, the peak RSS of any run, and
    the time of the first run (bytecode and font hashes not cached yet)."""
    times, peaks = [], []
    output = scratch / "sample.pdf"
    command = [sys.executable, "-m", "app.cli", "export", str(page), "-o", str(output), "--force"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "PYTHONPYCACHEPREFIX": str(scratch / "pyc"),
        "PASTEUP_CACHE_DIR": str(scratch / "cache"),
    }
    for _ in range(FRESH_RUNS + 1):
        # a wrapper times the child and reports its own peak RSS (RUSAGE_CHILDREN would take the
        # max over runs); timing inside it leaves the wrapper's own start-up out
        wrapped = [
            sys.executable, "-c",
            "import resource,subprocess,sys,time;"
            "t=time.perf_counter();r=subprocess.run(sys.argv[1:],capture_output=True);"
            "t=time.perf_counter()-t;sys.stderr.write(r.stderr.decode());"
            "print(t,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);sys.exit(r.returncode)",
            *command,
        ]  # fmt: skip
        result = subprocess.run(
            wrapped, capture_output=True, text=True, cwd=ROOT, env=env, check=False
        )
        if result.returncode != 0:
            sys.exit(f"export failed: {result.stderr.strip()}")
        elapsed, peak_kib = result.stdout.strip().splitlines()[-1].split()
        times.append(float(elapsed))
        peaks.append(int(peak_kib) / 1024)
    return statistics.median(times[1:]), max(peaks), times[0]


def warm(layout) -> float:
    export_print_pdf(layout)  # fonts subset, profile read, caches filled
    times = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        export_print_pdf(layout)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        page = printable_sample(Path(scratch))
        layout = compose_document(read_document(page))
        process_s, peak_mib, first_s = fresh_process(Path(scratch), page)
        without_photo = layout._replace(
            items=tuple(i for i in layout.items if not isinstance(i, Image))
        )
        warm_ms = warm(layout)
        full_bytes = len(export_print_pdf(layout))
        pdf_bytes = len(export_print_pdf(without_photo))
    glyphs = sum(len(getattr(i, "glyphs", ())) for i in layout.items)
    print(f"sample page: {glyphs} glyphs, {len(layout.items)} items, cpus {os.cpu_count()}")
    print(f"fresh process (median of {FRESH_RUNS}): {process_s:.3f} s, peak RSS {peak_mib:.0f} MiB")
    print(f"first run (nothing cached, bytecode compiled): {first_s:.3f} s")
    print(f"warm in-process (median of {WARM_RUNS}): {warm_ms:.1f} ms")
    print(f"PDF: {full_bytes} B with the photo, {pdf_bytes} B without")
    print(json.dumps({"warm_ms": round(warm_ms, 1), "process_s": round(process_s, 3),
                      "peak_mib": round(peak_mib, 1), "pdf_bytes": pdf_bytes}))  # fmt: skip


if __name__ == "__main__":
    main()
