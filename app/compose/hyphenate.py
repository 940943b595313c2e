"""Hyphenation points of Latin words in Chinese text (`hyphenate_latin`, cjk-composition §3.4):
pyphen's (Hunspell) English patterns, at least 2 letters before a break and 3 after.

Only the total-fit breaker asks, and only for the word that overflows a line it is pricing.
"""

from __future__ import annotations

from functools import lru_cache

from app.compose.segment import NEVER, Units

#: Letters before and after a hyphen (cjk-composition §3.4).
LEFT, RIGHT = 2, 3
#: Shorter words are never hyphenated.
MIN_WORD = LEFT + RIGHT


@lru_cache(maxsize=1)
def _dictionary():
    import pyphen

    return pyphen.Pyphen(lang="en_US", left=LEFT, right=RIGHT)


@lru_cache(maxsize=4096)
def positions(word: str) -> tuple[int, ...]:
    """Character offsets inside `word` where it may be hyphenated (none for a word that is not
    all Latin letters)."""
    if len(word) < MIN_WORD or not all(ch.isalpha() and ch < "\u0250" for ch in word):
        return ()
    return tuple(_dictionary().positions(word))


def _inside_word(u: Units, k: int) -> bool:
    return u.brk[k] == NEVER and u.rule[k] == "word"


def hyphen_points(u: Units, p: int) -> list[int]:
    """Unit boundaries inside the word around boundary p where a hyphen may go, in order."""
    n = len(u)
    if not 0 < p < n or not _inside_word(u, p):
        return []
    start = p
    while start > 0 and _inside_word(u, start):
        start -= 1
    end = p
    while end < n and _inside_word(u, end):
        end += 1
    first = u.starts[start]
    word = u.text[first : u.ends[end - 1]]
    offsets = {u.starts[k] - first: k for k in range(start + 1, end)}
    return [offsets[c] for c in positions(word) if c in offsets]
