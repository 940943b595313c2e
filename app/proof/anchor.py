"""Finding a marked range again after the story changed.

A correction remembers the text it marks and a little context on each side. When the
story has moved on — a proof of an older version, a correction applied before it, an
edit in the editor — the range is found again where that text still stands between
that context. Only a unique best match counts: a guess is worse than "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 12  # characters of context kept on each side of a marked range
_MIN_CONTEXT = 4  # an insertion point needs at least this much matching context


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
    """Where `anchor` starts in `stream` now, or None if it is gone or ambiguous."""
    if _fits(stream, anchor, anchor.start) and _context_score(stream, anchor, anchor.start) == (
        len(anchor.before) + len(anchor.after)
    ):
        return anchor.start
    candidates = _occurrences(stream, anchor.text) if anchor.text else range(len(stream) + 1)
    scored = [(_context_score(stream, anchor, p), -abs(p - anchor.start), p) for p in candidates]
    if not scored:
        return None
    scored.sort(reverse=True)
    best_score, _, best = scored[0]
    tied = len(scored) > 1 and scored[1][0] == best_score
    if tied and best_score < _MIN_CONTEXT:
        return None  # several places fit and too little context tells them apart: don't guess
    if not anchor.text and best_score < min(_MIN_CONTEXT, len(anchor.before) + len(anchor.after)):
        return None
    return best  # among equally good places, the one nearest where it was


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
        if start - k < 0 or stream[start - k] != anchor.before[-k]:
            break
        score += 1
    tail = start + len(anchor.text)
    for k, ch in enumerate(anchor.after):
        if tail + k >= len(stream) or stream[tail + k] != ch:
            break
        score += 1
    return score
