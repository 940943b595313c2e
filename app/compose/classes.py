"""Engine character classes (cjk-composition §1.1) as small ints, and the per-code-point table.

The table gives each code point its *base* class. Code points that Chinese and Latin text share
(quotes, ·, —, …, / and -) get an ambiguous class here and are resolved from their neighbours in
`classify.py` (§1.4). Classes are plain ints so that the hot loops index lists, not enums.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Engine classes (§1.1).
H, IS, OP, CL, PAUSE, STOP, MID, CONN, DASH, ELL, SOL, PRE, POST, NS = range(14)
L, SP, GLUE, ZW, SHY, BK = range(14, 20)
# Ambiguous before context resolution (§1.4); never survive `classify`.
AMB_OPEN_QUOTE, AMB_CLOSE_QUOTE, AMB_MIDDOT, AMB_EMDASH, AMB_ELLIPSIS, AMB_SLASH, AMB_HYPHEN = (
    range(20, 27)
)

NAMES = [
    "H",
    "IS",
    "OP",
    "CL",
    "PAUSE",
    "STOP",
    "MID",
    "CONN",
    "DASH",
    "ELL",
    "SOL",
    "PRE",
    "POST",
    "NS",
    "L",
    "SP",
    "GLUE",
    "ZW",
    "SHY",
    "BK",
    "AMB_OPEN_QUOTE",
    "AMB_CLOSE_QUOTE",
    "AMB_MIDDOT",
    "AMB_EMDASH",
    "AMB_ELLIPSIS",
    "AMB_SLASH",
    "AMB_HYPHEN",
]

#: Classes that count as Chinese text for context resolution and autospace.
CJK_CLASSES = frozenset({H, IS, OP, CL, PAUSE, STOP, MID, CONN, DASH, ELL, SOL, NS})
#: Classes whose full-width glyph is ink plus an adjustable blank (§2.1).
CLOSING = frozenset({CL, PAUSE, STOP})

_HAN_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF),
    (0x2EBF0, 0x2EE5F),
    (0x30000, 0x323AF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
    (0x2E80, 0x2FDF),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x31A0, 0x31BF),
    (0xFF10, 0xFF19),
    (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A),
)


def _chars(spec: str) -> list[int]:
    """Hex code points separated by spaces."""
    return [int(h, 16) for h in spec.split()]


_EXPLICIT: dict[int, int] = {}
for _cls, _spec in (
    (H, "3007 3003 3006"),
    (IS, "3000"),
    (OP, "FF08 FF3B FF5B 3014 3008 300A 300C 300E 3010 3016 3018 301A 301D FF5F FF62"),
    (CL, "FF09 FF3D FF5D 3015 3009 300B 300D 300F 3011 3017 3019 301B 301E 301F FF60 FF63"),
    (PAUSE, "FF0C 3001 FF1B FF1A FF64 FE50 FE51 FE54 FE55"),
    (STOP, "3002 FF0E FF1F FF01 203C 2047 2048 2049 FF61 FE52 FE56 FE57"),
    (MID, "30FB 2027 FF65"),
    (CONN, "FF5E 301C 2013 FF0D"),
    (DASH, "2E3A 2E3B"),
    (ELL, "22EF 2025"),
    (SOL, "FF0F"),
    (PRE, "FFE5 00A5 FF04 0024 00A3 FFE1 20AC FFE6 2116"),
    (POST, "FF05 0025 2030 2031 2103 2109 00B0 2032 2033 FFE0"),
    (SP, "0020 2002 2003 2004 2005 2006 2008 2009 200A"),
    (GLUE, "00A0 202F 2007 2060 FEFF"),
    (ZW, "200B"),
    (SHY, "00AD"),
    (BK, "000A 000D 2028 2029"),
    (AMB_OPEN_QUOTE, "201C 2018"),
    (AMB_CLOSE_QUOTE, "201D 2019"),
    (AMB_MIDDOT, "00B7"),
    (AMB_EMDASH, "2014"),
    (AMB_ELLIPSIS, "2026"),
    (AMB_SLASH, "002F"),
    (AMB_HYPHEN, "002D 2010"),
):
    for _cp in _chars(_spec):
        _EXPLICIT[_cp] = _cls
# Small kana and iteration marks: Japanese non-starters (§1.1 NS).
for _cp in _chars(
    "3041 3043 3045 3047 3049 3063 3083 3085 3087 308E 3095 3096 30A1 30A3 30A5 30A7 30A9 "
    "30C3 30E3 30E5 30E7 30EE 30F5 30F6 30FC 3005 303B 309D 309E 30FD 30FE"
):
    _EXPLICIT[_cp] = NS
for _cp in range(0x31F0, 0x3200):
    _EXPLICIT[_cp] = NS
# U+2015 resolves like U+2014: CONN between Han/digits, DASH when doubled (legacy GB2312 text).
_EXPLICIT[0x2015] = AMB_EMDASH


@lru_cache(maxsize=65536)
def base_class(ch: str) -> int:
    """The context-free class of one code point."""
    cp = ord(ch)
    cls = _EXPLICIT.get(cp)
    if cls is not None:
        return cls
    for lo, hi in _HAN_RANGES:
        if lo <= cp <= hi:
            return H
    if cp == 0x0085:
        return BK
    return L


def is_extender(ch: str) -> bool:
    """True if `ch` stays with the preceding character in one grapheme cluster (UAX #29, simplified):
    combining marks, variation selectors, ZWJ, emoji modifiers and tags."""
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0xE0020 <= cp <= 0xE007F:
        return True
    if cp == 0x200D or 0x1F3FB <= cp <= 0x1F3FF:
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


class CodePointTable(dict):
    """Character → value, worked out on first use; afterwards a plain dict lookup, which
    `map(table.__getitem__, text)` runs without a Python call per character."""

    def __init__(self, compute) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, ch: str):
        value = self[ch] = self._compute(ch)
        return value


#: Base class of each character.
CLASS_OF = CodePointTable(base_class)
#: Characters after which grapheme clustering is more than one cluster per character: they
#: extend the previous one (marks, selectors, ZWJ, modifiers), or join the next (CR, ZWJ).
JOINS = CodePointTable(lambda ch: ch in "\r\u200d" or is_extender(ch))

#: ASCII marks that never start a line / never end one, at every kinsoku level (§1.2).
ASCII_NO_START = frozenset(",.;:!?)]}»")
ASCII_NO_END = frozenset("([{«")
#: Marks that may hang at the line end (§2.4).
HANGABLE = frozenset("、，。．")
#: ？ and ！ (full width), whose runs take one em per two marks (GB 5.1.2).
EXCLAIM_QUESTION = frozenset("？！")
