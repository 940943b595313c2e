"""Step 1 of the pipeline (cjk-composition §1.1, §1.4): grapheme clusters and their engine classes.

`classify(text)` returns the clusters of a paragraph and one resolved class per cluster. Shared
code points (quotes, ·, —, …, / and -) are resolved from their neighbours here, once, so every
later stage and both renderers agree. Dash and ellipsis runs become one cluster each (they are
never split). Text is taken as given: callers apply NFC (never NFKC, which would turn full-width
punctuation into ASCII).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, count
from typing import NamedTuple

from app.compose.classes import (
    AMB_CLOSE_QUOTE,
    AMB_ELLIPSIS,
    AMB_EMDASH,
    AMB_HYPHEN,
    AMB_MIDDOT,
    AMB_OPEN_QUOTE,
    AMB_SLASH,
    CJK_CLASSES,
    CL,
    CLASS_OF,
    CONN,
    DASH,
    ELL,
    JOINS,
    MID,
    OP,
    SOL,
    CodePointTable,
    H,
    L,
    is_extender,
)

_PUNCT_OR_HAN = CJK_CLASSES
_DASH_CHARS = "—―"
_OPEN_OF = {"”": "“", "’": "‘"}
_RUN_CLASSES = frozenset({AMB_EMDASH, AMB_ELLIPSIS, ELL})
_MARK_CLASSES = frozenset({AMB_EMDASH, AMB_ELLIPSIS, AMB_MIDDOT, AMB_SLASH, AMB_HYPHEN})
_QUOTE_CLASSES = frozenset({AMB_OPEN_QUOTE, AMB_CLOSE_QUOTE})
_CLOSE_OF = {"“": "”", "‘": "’"}
#: Classes that context may change; a character of any other class always has its own.
CONTEXTUAL_CLASSES = _RUN_CLASSES | _MARK_CLASSES | _QUOTE_CLASSES
_JOINS_BIT = 32  # above every class
#: A character's base class, plus `_JOINS_BIT` if it joins a neighbour in one cluster: one
#: lookup per character tells both.
_CLASS_OR_JOINS = CodePointTable(lambda ch: CLASS_OF[ch] | (_JOINS_BIT if JOINS[ch] else 0))


class Classified(NamedTuple):
    """Clusters as parallel lists: cluster i is text[starts[i]:starts[i + 1]] of class classes[i]."""

    text: str
    starts: tuple[int, ...]  # len = clusters + 1, last = len(text)
    classes: tuple[int, ...]


def grapheme_starts(text: str) -> list[int]:
    """Start offsets of grapheme clusters (simplified UAX #29: base + extenders; CR LF together)."""
    starts: list[int] = []
    prev = ""
    for i, ch in enumerate(text):
        if i and (is_extender(ch) or (prev == "\r" and ch == "\n") or prev == "\u200d"):
            prev = ch
            continue
        starts.append(i)
        prev = ch
    return starts


def classify(text: str, lang: str = "zh") -> Classified:
    """Clusters of `text` with resolved engine classes (§1.4)."""
    firsts: str | list[str] = text
    starts: list[int] | range
    classes = list(map(_CLASS_OR_JOINS.__getitem__, text))
    present = set(classes)
    if max(present, default=0) >= _JOINS_BIT:  # some cluster has more than one character
        starts = grapheme_starts(text)
        firsts = [text[s] for s in starts]
        starts.append(len(text))
        classes = list(map(CLASS_OF.__getitem__, firsts))
        present = set(classes)
    else:  # one cluster per character, the common case
        starts = range(len(text) + 1)
    if not present.isdisjoint(_RUN_CLASSES):
        firsts, starts = list(firsts), list(starts)
        _merge_runs(firsts, classes, starts)
        present = set(classes)
    if not present.isdisjoint(_MARK_CLASSES):
        _resolve_marks(firsts, classes)
    if not present.isdisjoint(_QUOTE_CLASSES):
        _resolve_quotes(firsts, classes, lang)
    return Classified(text, tuple(starts), tuple(classes))


def _merge_runs(firsts: list[str], classes: list[int], starts: list[int]) -> None:
    """Group runs of —/― into DASH and runs of one ellipsis character into ELL (in place)."""
    i = 0
    while i < len(classes):
        ch = firsts[i]
        j = i + 1
        if classes[i] == AMB_EMDASH:
            while j < len(classes) and firsts[j] in _DASH_CHARS:
                j += 1
            if j - i >= 2:
                classes[i] = DASH
        elif classes[i] in (AMB_ELLIPSIS, ELL):
            while j < len(classes) and firsts[j] == ch:
                j += 1
            if j - i >= 2:
                classes[i] = ELL
        if j - i >= 2 and classes[i] in (DASH, ELL):
            del classes[i + 1 : j], firsts[i + 1 : j], starts[i + 1 : j]
        i += 1


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "０" <= ch <= "９"


def _resolve_marks(firsts: Sequence[str], classes: list[int]) -> None:
    """Single —, …, ·, / and - take their Chinese role from their neighbours (§1.4), in order
    (a mark sees the resolved class of the one before it)."""
    n = len(classes)
    for i in list(compress(count(), map(_MARK_CLASSES.__contains__, classes))):
        cls = classes[i]
        before = classes[i - 1] if i else -1
        after = classes[i + 1] if i + 1 < n else -1
        prev_ch = firsts[i - 1] if i else ""
        next_ch = firsts[i + 1] if i + 1 < n else ""
        if cls == AMB_EMDASH:
            han_or_digit = (before == H or _is_digit(prev_ch)) and (
                after == H or _is_digit(next_ch)
            )
            classes[i] = CONN if han_or_digit else L
        elif cls == AMB_ELLIPSIS:
            classes[i] = ELL if before in _PUNCT_OR_HAN or after in _PUNCT_OR_HAN else L
        elif cls == AMB_MIDDOT:
            classes[i] = MID if H in (before, after) else L
        else:
            both = before in _PUNCT_OR_HAN and after in _PUNCT_OR_HAN
            classes[i] = (SOL if cls == AMB_SLASH else CONN) if both else L


def _resolve_quotes(firsts: Sequence[str], classes: list[int], lang: str) -> None:
    """Curly quotes are Chinese (OP/CL) next to Chinese text, else Latin; in zh paragraphs an
    undecided quote follows its partner (§1.4)."""
    n = len(classes)
    undecided: list[int] = []
    for i in list(compress(count(), map(_QUOTE_CLASSES.__contains__, classes))):
        cls = classes[i]
        before = classes[i - 1] if i else -1
        after = classes[i + 1] if i + 1 < n else -1
        opening = cls == AMB_OPEN_QUOTE
        prev_ch = firsts[i - 1] if i else ""
        next_ch = firsts[i + 1] if i + 1 < n else ""
        if not opening and before == L == after and prev_ch.isalpha() and next_ch.isalpha():
            classes[i] = L  # an apostrophe inside a Latin word
            continue
        near, far = (after, before) if opening else (before, after)
        if near in _PUNCT_OR_HAN or far in _PUNCT_OR_HAN:
            classes[i] = OP if opening else CL
        else:
            classes[i] = L
            undecided.append(i)
    if lang != "zh":
        return
    for i in undecided:
        partner = _partner(firsts, i)
        if partner is not None and classes[partner] in (OP, CL):
            classes[i] = OP if firsts[i] in _CLOSE_OF else CL


def _partner(firsts: Sequence[str], i: int) -> int | None:
    """The index of the quote that pairs with quote i (no nesting of the same kind)."""
    ch = firsts[i]
    if ch in _CLOSE_OF:
        target, step = _CLOSE_OF[ch], 1
    else:
        target, step = _OPEN_OF[ch], -1
    j = i + step
    while 0 <= j < len(firsts):
        if firsts[j] == target:
            return j
        if firsts[j] == ch:
            return None
        j += step
    return None
