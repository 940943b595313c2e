"""The long fuzzing campaign: `./dev fuzz [COUNT] [SEED] [KINDS]` (default 100,000 inputs,
seed 1, every kind; KINDS e.g. `edition,page`).

Inputs are drawn in turn from the five kinds (page documents, layout grids, story files,
proof PDFs, edition folders) with a seeded random source, run through `app.cli.main` in a
worker capped at 1 GiB of address space, and judged: a traceback, an answer later than 20 s,
the memory cap, more than one line for a refusal, a page or edition that no longer loads after
a command, or a user's file changed by a command that was refused or only reads is a failure,
and its input is saved to tests/fuzz/corpus/ as a regression case. Progress goes to stderr; the
last line on stdout is one JSON object with the counts.
"""

from __future__ import annotations

import collections
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fuzzing import KINDS, Fuzzer, keep
from harness import Harness


def campaign(count: int, seed: int, kinds: tuple[str, ...] = KINDS) -> dict:
    rnd = random.Random(seed)
    counts: collections.Counter[str] = collections.Counter()
    per_kind: collections.Counter[str] = collections.Counter()
    slowest = 0.0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pasteup-fuzz-") as work, Harness() as harness:
        fuzzer = Fuzzer(Path(work), harness)
        for n in range(count):
            kind = kinds[n % len(kinds)]
            data = fuzzer.make(kind, rnd)
            per_kind[kind] += 1
            for outcome in fuzzer.run(kind, data, n // len(KINDS)):
                slowest = max(slowest, outcome.seconds)
                counts[outcome.kind] += 1
                if outcome.failed:
                    saved = keep(kind, data)
                    print(
                        f"{kind} {outcome.kind}: {saved}\n{outcome.detail[-1500:]}", file=sys.stderr
                    )
            if (n + 1) % 1000 == 0:
                rate = (n + 1) / (time.monotonic() - start)
                print(f"{n + 1} inputs, {rate:.1f}/s: {dict(counts)}", file=sys.stderr, flush=True)
    return {
        "inputs": count,
        "seed": seed,
        "per_kind": dict(per_kind),
        "outcomes": dict(counts),
        "tracebacks": counts["traceback"],
        "hangs_over_20s": counts["hang"],
        "over_1GiB": counts["memory"],
        "not_one_line": counts["not-one-line"],
        "lost_pages": counts["lost-page"],
        "overwrote": counts["overwrote"],
        "slowest_command_s": round(slowest, 2),
        "seconds": round(time.monotonic() - start),
    }


if __name__ == "__main__":
    # the mutators themselves are bounded (mutators.MAX_INPUT); this keeps a slip from
    # taking the machine with it
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    args = [int(a) for a in sys.argv[1:3]]
    kinds = tuple(sys.argv[3].split(",")) if len(sys.argv) > 3 else KINDS
    result = campaign(args[0] if args else 100_000, args[1] if len(args) > 1 else 1, kinds)
    print(json.dumps(result, ensure_ascii=False))
