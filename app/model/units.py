"""Lengths and type sizes as newspaper staff write them: mm, pt, q (級) and 号 names.

Inside the code everything is in points (float) until composition turns it into
layout units. 1 pt = 1/72 in (DTP point), as PDF and Qt use it.
"""

from __future__ import annotations

import re

MM_PER_PT = 25.4 / 72.0

# The de-facto 号 table (Word/WPS/CTeX/Adobe); docs/newspaper.md §0 row 1.
CHINESE_SIZES: dict[str, float] = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
    "六号": 7.5,
    "小六": 6.5,
    "七号": 5.5,
    "八号": 5.0,
}
_ALIASES = {
    "小五号": "小五",
    "小四号": "小四",
    "小三号": "小三",
    "小二号": "小二",
    "小一号": "小一",
    "小六号": "小六",
    "小初号": "小初",
}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|pt|q|Q|cm|in)?\s*$")
_FACTORS = {
    "pt": 1.0,
    "mm": 1.0 / MM_PER_PT,
    "cm": 10.0 / MM_PER_PT,
    "q": 0.25 / MM_PER_PT,
    "Q": 0.25 / MM_PER_PT,
    "in": 72.0,
}


class UnitError(ValueError):
    """A length or size that cannot be read; the message says what was expected."""


def size_pt(value: str | int | float) -> float:
    """A type size: a number (pt), a length string, or a 号 name such as 小五 or 五号."""
    if isinstance(value, str):
        name = _ALIASES.get(value.strip(), value.strip())
        if name in CHINESE_SIZES:
            return CHINESE_SIZES[name]
    return length_pt(value)


def length_pt(value: str | int | float) -> float:
    """A length: a bare number means points; strings may carry mm, pt, q, cm or in."""
    if isinstance(value, bool):
        raise UnitError(f"expected a length, got {value!r}")
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # an integer past float range: no length of print
            raise UnitError(
                f"expected a length, got a whole number of {value.bit_length()} bits"
            ) from None
    if not isinstance(value, str):
        raise UnitError(f"expected a length such as '12mm' or '9pt', got {value!r}")
    match = _LENGTH.match(value)
    if not match:
        raise UnitError(
            f"expected a length such as '12mm', '9pt', '20q' or a 号 size, got {value!r}"
        )
    number, unit = match.groups()
    return float(number) * _FACTORS[unit or "pt"]


def pt_to_mm(value: float) -> float:
    return value * MM_PER_PT


def mm_to_pt(value: float) -> float:
    return value / MM_PER_PT
