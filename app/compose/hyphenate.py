"""Break points inside a Latin word in Chinese text: hyphenation points (`hyphenate_latin`,
cjk-composition §3.4: pyphen's Hunspell English patterns, at least 2 letters before a break and 3
after, in every run of letters of a word: `deb-sums(1)`, `bulls-eye-`) and the separators of a
URL, e-mail address, path or identifier (`/usr/share/`, `package_name`, `C.UTF-8`), where it breaks
without a hyphen.

Only the total-fit breaker asks, and only for the word that overflows a line it is pricing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.compose.linebreak import never_ends, never_starts
from app.compose.segment import NEVER, Units

#: Letters before and after a hyphen (cjk-composition §3.4).
LEFT, RIGHT = 2, 3
#: Shorter words are never hyphenated.
MIN_WORD = LEFT + RIGHT
#: A run of Latin letters (what `positions` accepts) inside a word.
_LETTERS = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")


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


def _word(u: Units, p: int) -> tuple[int, int] | None:
    """The units [start, end) of the word that boundary p is inside, or None."""
    n = len(u)
    if not 0 < p < n or not _inside_word(u, p):
        return None
    start = p
    while start > 0 and _inside_word(u, start):
        start -= 1
    end = p
    while end < n and _inside_word(u, end):
        end += 1
    return start, end


def hyphen_points(u: Units, p: int) -> list[int]:
    """Unit boundaries inside the word around boundary p where a hyphen may go, in order: in
    each run of Latin letters of it (the letters of `debsums(1)`, `bullseye-`, `Linux,`), never
    in a URL, e-mail address or path."""
    found = _word(u, p)
    if found is None:
        return []
    start, end = found
    first = u.starts[start]
    word = u.text[first : u.ends[end - 1]]
    if _is_address(_token(u.text, first, u.ends[end - 1])):
        return []
    offsets = {u.starts[k] - first: k for k in range(start + 1, end)}
    return [
        offsets[run.start() + c]
        for run in _LETTERS.finditer(word)
        for c in positions(run.group())
        if run.start() + c in offsets
    ]


#: Characters after which an address or identifier may break (never before a mark no line
#: starts with).
_AFTER = frozenset("/@.-_?&=#:")


def _token(text: str, a: int, b: int) -> str:
    """The run of non-space, non-CJK characters around text[a:b]."""
    while a > 0 and _latin(text[a - 1]):
        a -= 1
    while b < len(text) and _latin(text[b]):
        b += 1
    return text[a:b]


def _latin(ch: str) -> bool:
    return not ch.isspace() and ch < "\u2e80"


def _is_address(token: str) -> bool:
    return "://" in token or "@" in token or "www." in token or token.count("/") >= 2


#: A separator between a letter or digit and two letters: `file_name`, `C.UTF-8`, `kernel.org`,
#: `LANG=C`, `GNU/Linux` (not `U.S.`, `1.5.8`, `e.g.`).
_JOINED = re.compile("[A-Za-z0-9][/_.=:][A-Za-z]{2}")


def _is_joined(token: str) -> bool:
    """An address, or an identifier whose parts are joined by `/ _ . = :`."""
    return _is_address(token) or _JOINED.search(token) is not None


def separator_points(u: Units, p: int) -> list[int]:
    """Unit boundaries after a separator inside the URL, e-mail address, path or identifier that
    boundary p is inside (a run of Latin text without spaces holding ://, @ or www., two
    slashes, or parts joined by `/ _ . = :`): where such a word breaks without a hyphen, as
    editors break addresses. Empty for any other word."""
    found = _word(u, p)
    if found is None:
        return []
    start, end = found
    if not _is_joined(_token(u.text, u.starts[start], u.ends[end - 1])):
        return []
    ends, starts, chars = u.ends, u.starts, u.text
    return [
        k
        for k in range(start + 1, end - 1)
        if chars[ends[k - 1] - 1] in _AFTER
        and chars[starts[k]] not in _AFTER
        and not never_starts(chars[starts[k]])
        and not never_ends(chars[ends[k - 1] - 1])
    ]
