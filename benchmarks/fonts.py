"""Font layer timings: cold start of the registry + body face lookups, and an embedding subset.

    .venv/bin/python benchmarks/fonts.py [--runs N]

`cold_ms` runs in a fresh interpreter each time (imports included, as on every CLI call):
FontRegistry() + find() of the body face + 3,000 glyph lookups and advances. `subset_ms` is one
2,000-glyph subset_for_embedding of the body face in a warm process. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = """
import time
start = time.perf_counter()
from app.fonts import FontRegistry
face = FontRegistry().find("Noto Serif CJK SC", 400)
text = "新华社北京电国务院总理今天在人民大会堂会见了来访的代表团双方就经贸合作交换意见，。（）“”《》"
total = 0
for i in range(3000):
    total += face.advance(face.glyph_id(text[i % len(text)]))
print(time.perf_counter() - start)
"""


def cold_run() -> float:
    run = subprocess.run(
        [sys.executable, "-c", COLD], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(run.stdout.strip()) * 1000


def subset_run(face, gids: list[int]) -> float:
    from app.fonts.subset import subset_for_embedding

    start = time.perf_counter()
    subset_for_embedding(face, gids)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from app.fonts import FontRegistry

    cold = [cold_run() for _ in range(args.runs)]
    face = FontRegistry().find("Noto Serif CJK SC", 400)
    gids = random.Random(1).sample(range(1, face.glyph_count), 2000)
    face.sha256  # noqa: B018 - hash the file once, as a long-running editor would have
    subset = [subset_run(face, gids) for _ in range(args.runs)]
    print(f"cold registry + find + 3,000 lookups: median {statistics.median(cold):.1f} ms {cold}")
    print(f"2,000-glyph embedding subset: median {statistics.median(subset):.1f} ms")
    print(
        json.dumps(
            {
                "cold_ms": round(statistics.median(cold), 1),
                "subset_2000_ms": round(statistics.median(subset), 1),
                "runs": args.runs,
            }
        )
    )


if __name__ == "__main__":
    main()
