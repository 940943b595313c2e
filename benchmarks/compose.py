"""Median time to compose the sample page from scratch and after a one-character edit.

"From scratch" is a new Composer (no block cache) with fonts already loaded, as when the
editor reopens a page; "edit" inserts one character into the longest story and recomposes
with the warm cache, as on every keystroke. Last line: {"full_ms": …, "edit_ms": …}.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from app.compose.composer import Composer
from app.fonts import default_registry
from app.model import read_document

SAMPLE = Path(__file__).resolve().parents[1] / "assets" / "samples" / "news-page" / "page.json"
RUNS = 15
TYPED = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"


def main() -> None:
    document = read_document(SAMPLE)
    registry = default_registry()
    Composer(registry).compose(document)  # load faces and metrics once, as a running editor has

    full = []
    for _ in range(RUNS):
        start = time.perf_counter()
        Composer(registry).compose(document)
        full.append(time.perf_counter() - start)

    longest = max(document.stories.values(), key=lambda s: len(s.stream))
    middle = len(longest.stream) // 2
    composer = Composer(registry)
    composer.compose(document)
    edits = []
    for i in range(RUNS):
        # Type the next character: every run sets a paragraph text never seen before.
        document.replace_text(longest.id, middle + i, middle + i, TYPED[i % len(TYPED)])
        start = time.perf_counter()
        composer.compose(document)
        edits.append(time.perf_counter() - start)
        assert composer.recomposed == (document.block(_block_of(document, longest.id)).id,)

    result = {
        "full_ms": round(statistics.median(full) * 1000, 1),
        "edit_ms": round(statistics.median(edits) * 1000, 1),
        "longest_story": longest.id,
        "chars": sum(s.char_count() for s in document.stories.values()),
        "runs": RUNS,
    }
    print(
        f"full page: {result['full_ms']} ms, after a one-character edit in "
        f"{longest.id}: {result['edit_ms']} ms"
    )
    print(json.dumps(result))


def _block_of(document, story_id: str) -> str:
    return next(b.id for b in document.blocks if getattr(b, "story", "") == story_id)


if __name__ == "__main__":
    main()
