"""Headline and byline breaking (`composer = "headline"` / `"byline"`): a line break in a
引题, 主题, 副题 or 小标题 is an editorial choice, made where the words and phrases end, with the
lines balanced.

Every legal boundary gets a rank: after a space the editor typed (or at a forced break, which
always breaks), after punctuation or before an opening mark (a phrase boundary), between two
words of the segmenter (jieba), or inside a word. The breaker takes, in this order of importance,
the fewest breaks inside words, the fewest lines, then the least of the boundary prices plus the
squared shortfall of every line (the last one too: balanced lines). A byline never breaks inside
a name: for `byline` everything between two spaces counts as one word.

Kinsoku stays absolute: only LEGAL boundaries are candidates (WEAK ones rank with inside-word
breaks); a line that fits nowhere is the greedy breaker's emergency.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from app.compose import wordstore
from app.compose.classes import BK, CLOSING, OP, SP
from app.compose.linebreak import LineBreak, break_lines
from app.compose.measure import LineMeasure
from app.compose.segment import LEGAL, WEAK, Units

#: Prices of a boundary, in em² of shortfall: a space or forced break is free, a phrase boundary
#: costs less than the balance of any two lines can gain, a word boundary more.
SPACE_PRICE = 0
PHRASE_PRICE = 400
WORD_PRICE = 1000


@lru_cache(maxsize=1024)
def word_starts(text: str) -> frozenset[int]:
    """Offsets where a word of the Chinese segmenter (jieba, its default dictionary) starts;
    remembered across processes (`wordstore`), since loading the segmenter costs ~0.6 s."""
    return wordstore.word_starts(text, _segment)


def _segment(text: str) -> frozenset[int]:
    import jieba  # loads its dictionary on first use: only new headline texts pay for it

    jieba.setLogLevel(logging.WARNING)
    starts = set()
    offset = 0
    for word in jieba.cut(text, HMM=True):
        starts.add(offset)
        offset += len(word)
    return frozenset(starts)


def _ranks(u: Units, byline: bool, words: frozenset[int] | None) -> list[int | None]:
    """Per boundary k (before unit k): None if no break, else 0 space, 1 phrase, 2 word (of
    `words`; without them none), 3 inside a word (or a weak kinsoku rule)."""
    n = len(u)
    cls, brk, starts = u.cls, u.brk, u.starts
    ranks: list[int | None] = [None] * (n + 1)
    for k in range(1, n):
        kind = brk[k]
        if kind not in (LEGAL, WEAK):
            continue
        before, after = cls[k - 1], cls[k]
        if kind == WEAK:
            ranks[k] = 3
        elif before in (SP, BK):
            ranks[k] = 0
        elif byline:
            ranks[k] = 3  # inside a name (or any run between two spaces)
        elif before in CLOSING or after == OP:
            ranks[k] = 1
        elif words is not None and starts[k] in words:
            ranks[k] = 2
        else:
            ranks[k] = 3
    return ranks


_PRICE = (SPACE_PRICE, PHRASE_PRICE, WORD_PRICE, 0)


def break_headline(
    u: Units, m: LineMeasure, widths: Callable[[int], int], *, byline: bool = False
) -> list[LineBreak]:
    """The headline's lines (see the module docstring); `widths(0)` is the first line's measure
    (an indent narrows it), `widths(1)` every other's. Where later lines differ (text wrap)
    the greedy breaker fills them instead."""
    first, w = widths(0), widths(1)
    # Spaces and phrase boundaries first, when they need no more lines than filling does (a
    # headline that fits, a subhead broken at its space: no segmenter to load); then word
    # boundaries; breaks inside words only when those cannot fit.
    ends = _cheapest(u, m, _ranks(u, byline, None), 1, first, w)
    if ends is None or len(ends) > len(break_lines(u, m, widths)):
        ranks = _ranks(u, byline, None if byline else word_starts(u.text))
        ends = _cheapest(u, m, ranks, 2, first, w) or _cheapest(u, m, ranks, 3, first, w)
    if ends is None:
        return break_lines(u, m, widths)
    if any(widths(i) != w for i in range(2, len(ends))):
        return break_lines(u, m, widths)  # beside a picture the lines differ: fill them
    lines = []
    s = 0
    for end in ends:
        forced = u.cls[end - 1] == BK
        lines.append(LineBreak(s, end, w if s else first, False, "", False, forced, end == len(u)))
        s = end
    return lines


def _cheapest(u, m, ranks, worst, first, w) -> list[int] | None:
    """Line ends of the best lines breaking only at boundaries ranked `worst` or better; None
    if there are none. A dynamic programme over those boundaries: (breaks inside words,
    lines, price) compared in that order."""
    n = len(u)
    cls = u.cls
    em2 = u.em * u.em
    cands = [0, *(k for k in range(1, n) if ranks[k] is not None and ranks[k] <= worst), n]
    best: dict[int, tuple[int, int, float, int]] = {0: (0, 0, 0.0, -1)}
    for bi in range(1, len(cands)):
        b = cands[bi]
        rank = ranks[b] if b < n else 0
        for si in range(bi - 1, -1, -1):
            s = cands[si]
            width = w if s else first
            natural = m.natural(s, b)
            if natural > width and natural - width > m.shrink(s, b):
                break  # earlier starts only make the line longer
            here = best.get(s)
            if here is not None:
                short = max(0, width - natural)
                bad, lines, cost, _ = here
                found = (bad + (rank == 3), lines + 1, cost + _PRICE[rank] + short * short / em2, s)
                old = best.get(b)
                if old is None or found[:3] < old[:3]:
                    best[b] = found
            if s and cls[s - 1] == BK:
                break  # no line reaches back across a forced break
        if b < n and cls[b - 1] == BK and b not in best:
            return None
    if n not in best:
        return None
    ends = []
    b = n
    while b > 0:
        ends.append(b)
        b = best[b][3]
    return ends[::-1]
