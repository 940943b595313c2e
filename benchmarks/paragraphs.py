"""Paragraph engine timings: every paragraph of the sample page's stories set at 11字 in 正文.

    .venv/bin/python benchmarks/paragraphs.py [--runs N] [--width CHARS] [--profile]

All 50 paragraphs (every role, 正文's font and settings: Noto Serif CJK SC at 9 pt, the layout's
`[composition]`) are composed with one FontMetrics kept alive across runs, as the composer does,
so the figures are warm: glyph and shaping caches filled by a first run that is not timed.
`paragraphs_ms` is the median of composing all of them, `longest_ms` the median of the longest
paragraph alone (what a one-character edit in the longest story costs at least). `--profile`
prints the top of a cProfile of the warm runs instead of timing them. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = ROOT / "assets" / "samples" / "news-page" / "page.json"


def sample_paragraphs() -> list[str]:
    page = json.loads(PAGE.read_text(encoding="utf-8"))
    return [p["text"] for story in page["stories"].values() for p in story["paragraphs"]]


def median_ms(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--width", type=int, default=11, help="column width in 字")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from app.compose.paragraph import compose_paragraph
    from app.compose.styling import metrics_for, settings_for
    from app.fonts import default_registry
    from app.model.layouts import load_layout

    layout = load_layout("broadsheet-8col")
    style = layout.styles["正文"]
    metrics = metrics_for(default_registry(), layout.fonts, style)
    settings = settings_for(style, layout.composition)
    measure = args.width * metrics.em
    texts = sample_paragraphs()
    longest = max(texts, key=len)

    def compose_all() -> int:
        return sum(len(compose_paragraph(t, measure, metrics, settings).lines) for t in texts)

    lines = compose_all()  # warm the caches
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            compose_all()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    all_ms = median_ms(compose_all, args.runs)
    longest_ms = median_ms(
        lambda: compose_paragraph(longest, measure, metrics, settings), args.runs * 3
    )
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} paragraphs, {chars} characters, {lines} lines at {args.width}字")
    print(f"all paragraphs: {all_ms:.2f} ms (median of {args.runs}, warm)")
    print(f"longest ({len(longest)} characters): {longest_ms:.2f} ms")
    print(json.dumps({"paragraphs_ms": round(all_ms, 2), "longest_ms": round(longest_ms, 2)}))


if __name__ == "__main__":
    main()
