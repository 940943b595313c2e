"""Finding a marked range again after the story changed.

A correction remembers the text it marks and a little context on each side. When the
story has moved on — a proof of an older version, a correction applied before it, an
edit in the editor — the range is found again where that text still stands between
that context. Only a unique best match whose context is strong counts: a guess is worse
than "not found", because a correction applied to the wrong characters is printed.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 12  # characters of context kept on each side of a marked range
STRONG_CONTEXT = 8  # matching context characters (both sides together) a moved range needs


@dataclass(frozen=True, slots=True)
class Anchor:
    """A range by content: `text` between `before` and `after`, last seen at `start`."""

    start: int
    text: str
    before: str
    after: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def anchor_at(stream: str, start: int, end: int) -> Anchor:
    return Anchor(start, stream[start:end], stream[max(0, start - CONTEXT) : start],
                  stream[end : end + CONTEXT])  # fmt: skip


def locate(stream: str, anchor: Anchor) -> int | None:
    """Where `anchor` starts in `stream` now, or None if it is gone or cannot be told apart.

    Where it was, with all its context, is taken at once. Elsewhere only the unique best
    place counts, and only when at least `STRONG_CONTEXT` characters of context match there
    (all of it, when the story's start or end leaves less)."""
    available = len(anchor.before) + len(anchor.after)
    if _fits(stream, anchor, anchor.start) and _context_score(stream, anchor, anchor.start) == (
        available
    ):
        return anchor.start
    candidates = _occurrences(stream, anchor.text) if anchor.text else range(len(stream) + 1)
    best, best_score, tied = None, -1, False
    for place in candidates:
        score = _context_score(stream, anchor, place)
        if score > best_score:
            best, best_score, tied = place, score, False
        elif score == best_score:
            tied = True
    if best is None or tied or best_score < min(STRONG_CONTEXT, available):
        return None
    return best


def _fits(stream: str, anchor: Anchor, start: int) -> bool:
    return stream[start : start + len(anchor.text)] == anchor.text


def _occurrences(stream: str, text: str) -> list[int]:
    found, at = [], stream.find(text)
    while at >= 0:
        found.append(at)
        at = stream.find(text, at + 1)
    return found


def _context_score(stream: str, anchor: Anchor, start: int) -> int:
    """Characters of context that still match: before (backwards) plus after (forwards)."""
    score = 0
    for k in range(1, len(anchor.before) + 1):
        if not 0 <= start - k < len(stream) or stream[start - k] != anchor.before[-k]:
            break
        score += 1
    tail = start + len(anchor.text)
    for k, ch in enumerate(anchor.after):
        if not 0 <= tail + k < len(stream) or stream[tail + k] != ch:
            break
        score += 1
    return score
