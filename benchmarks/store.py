"""The team store on a local PostgreSQL server: open, save, change feed, push of 24 pages.

Starts a throw-away cluster (tools/pgcluster.py; Debian's postgresql, as ./dev installs it) with
durability off, so the numbers are the store's, not the disk's. The edition is benchmarks/
edition.py's 24 pages (the sample edition six times over).

Prints the medians and, last, one JSON line:
{"open_page_s": …, "save_ms": …, "notify_ms": …, "push_24_s": …, "status_cli_s": …,
 "status_cli_folder_s": …}
Targets (2-core reference machine): open a page ≤ 0.3 s, save ≤ 50 ms, a change seen by another
client ≤ 200 ms, push a 24-page edition ≤ 3 s.

- open_page_s: a new connection opening the 24-page edition to work on a page: its records
  fetched, validated by the folder's loader, pictures already in the work folder (the second
  open of a workstation). The whole edition is read, not the one page.
- save_ms: one story edited and saved (a compare-and-swap and a version with its summary).
- notify_ms: from the start of that save to another connection's feed receiving it.
- push_24_s: `edition push` of the 24-page folder into an empty database, in one process:
  read and validate the folder, write every record and picture.
- status_cli_s: a `pasteup edition status EDITION --store URL --json` process on the 24-page
  database edition (start, connect, open, list; pictures already in the work folder), beside
  status_cli_folder_s, the same command on the folder: what `--store` adds to a command.
"""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from edition import build  # noqa: E402

from app.model.editionfile import read_edition  # noqa: E402
from app.model.store.live import Feed  # noqa: E402
from app.model.store.postgres import PostgresStore  # noqa: E402
from app.model.story import Paragraph  # noqa: E402
from tools.pgcluster import Cluster  # noqa: E402

RUNS = 7


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch, Cluster() as cluster:
        folder = Path(scratch) / "edition"
        build(folder)
        with PostgresStore(cluster.url) as store:
            store.init()
        pushes = []
        for run in range(RUNS):
            with PostgresStore(cluster.url) as store:
                start = time.perf_counter()
                store.push(read_edition(folder), f"e{run}", "bench")
                pushes.append(time.perf_counter() - start)
        opens = []
        for _ in range(RUNS):
            with PostgresStore(cluster.url) as store:
                start = time.perf_counter()
                store.open("e0", Path(scratch) / "work")
                opens.append(time.perf_counter() - start)
        saves, notes = [], []
        feed = Feed(cluster.url, "e0")
        with PostgresStore(cluster.url) as store:
            checkout = store.open("e0", Path(scratch) / "work")
            story_id = next(iter(checkout.edition.stories))
            for run in range(RUNS * 3):
                story = checkout.edition.stories[story_id]
                last = story.paragraphs[-1]
                edited = (*story.paragraphs[:-1], Paragraph(last.role, last.text + str(run % 10)))
                checkout.edition.stories[story_id] = dataclasses.replace(story, paragraphs=edited)
                start = time.perf_counter()
                checkout.save("story", story_id, "bench")
                saves.append(time.perf_counter() - start)
                heard = feed.wait(timeout=5, stop_after=1)
                notes.append(time.perf_counter() - start)
                assert heard, "the change feed heard nothing"
        feed.close()
        env = {**os.environ, "PASTEUP_CACHE_DIR": str(Path(scratch) / "cache")}
        on_store = _command(env, "e0", "--store", cluster.url)
        on_folder = _command(env, str(folder))
    open_s, save_ms = statistics.median(opens), statistics.median(saves) * 1000
    notify_ms, push_s = statistics.median(notes) * 1000, statistics.median(pushes)
    print(f"24 pages; medians of {RUNS} (saves: {RUNS * 3})")
    print(f"open the edition to work on a page: {open_s:.3f} s (min {min(opens):.3f})")
    print(f"save a story: {save_ms:.1f} ms; seen by another client: {notify_ms:.1f} ms")
    print(f"push 24 pages into an empty database: {push_s:.2f} s (min {min(pushes):.2f})")
    print(
        f"`edition status` process: {on_store:.2f} s on the database, {on_folder:.2f} s on the folder"
    )
    print(json.dumps({"open_page_s": round(open_s, 3), "save_ms": round(save_ms, 1),
                      "notify_ms": round(notify_ms, 1), "push_24_s": round(push_s, 3),
                      "status_cli_s": round(on_store, 3),
                      "status_cli_folder_s": round(on_folder, 3)}))  # fmt: skip


def _command(env: dict[str, str], *target: str) -> float:
    """Median wall time of a `pasteup edition status … --json` process (after one warm-up)."""
    program = Path(sys.executable).with_name("pasteup")
    times = []
    for _ in range(RUNS + 1):
        start = time.perf_counter()
        subprocess.run([program, "edition", "status", *target, "--json"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


if __name__ == "__main__":
    main()
