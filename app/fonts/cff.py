"""The CID of every glyph of a CID-keyed CFF, read from the table's bytes (CFF spec, Adobe #5176).

The exporter writes CIDs into content streams (subset.py); finding them only needs the Top
DICT's ROS and charset entries and the charset itself, a few ranges in a CJK font. Building
fontTools' CFF object for that meant importing cffLib and parsing every glyph name (~0.1 s in
a fresh process).
"""

from __future__ import annotations

from struct import error as StructError
from struct import unpack_from

from app.fonts.errors import FontError

CHARSET = 15
CHARSTRINGS = 17
ROS = (12, 30)
PREDEFINED_CHARSETS = 2  # offsets 0-2 name ISOAdobe, Expert, ExpertSubset (never CID-keyed)


def charset_cids(cff: bytes) -> list[int] | None:
    """CID by glyph id (.notdef is CID 0) of a CID-keyed CFF table; None if it is name-keyed."""
    try:
        return _charset_cids(memoryview(cff))
    except (StructError, IndexError, ValueError):
        raise FontError("CFF 表已损坏 (corrupt CFF table)") from None


def _charset_cids(cff: memoryview) -> list[int] | None:
    header_size = cff[2]
    _names, after_names = _index(cff, header_size)
    top_dicts, _ = _index(cff, after_names)
    if not top_dicts:
        raise ValueError("no Top DICT")
    start, end = top_dicts[0]
    top = _dict(cff[start:end])
    if ROS not in top:
        return None
    charset_offset = top.get((CHARSET,), [0])[0]
    charstrings_offset = top.get((CHARSTRINGS,), [0])[0]
    if not isinstance(charset_offset, int) or not isinstance(charstrings_offset, int):
        raise ValueError("CFF offsets that are not whole numbers")  # a real operand, hostile
    if charset_offset <= PREDEFINED_CHARSETS or not charstrings_offset:
        raise ValueError("CID-keyed font without a charset")
    glyph_count = unpack_from(">H", cff, charstrings_offset)[0]
    return _charset(cff, charset_offset, glyph_count)


def _index(cff: memoryview, at: int) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each object of the INDEX at `at`, and where the INDEX ends."""
    count = unpack_from(">H", cff, at)[0]
    if count == 0:
        return [], at + 2
    size = cff[at + 2]
    if not 1 <= size <= 4:
        raise ValueError("INDEX offset size")
    first = at + 3
    offsets = [
        int.from_bytes(cff[first + i * size : first + (i + 1) * size], "big")
        for i in range(count + 1)
    ]
    base = first + (count + 1) * size - 1  # offsets count from 1
    if offsets[-1] < 1 or base + offsets[-1] > len(cff):
        raise ValueError("INDEX past the table")
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[-1]


def _dict(data: memoryview) -> dict[tuple[int, ...], list[float]]:
    """Operator → operands of a DICT (only the integers are needed here; reals are skipped)."""
    result: dict[tuple[int, ...], list[float]] = {}
    operands: list[float] = []
    i = 0
    while i < len(data):
        b0 = data[i]
        if b0 <= 21:
            operator = (12, data[i + 1]) if b0 == 12 else (b0,)
            i += 2 if b0 == 12 else 1
            result[operator] = operands
            operands = []
        elif b0 == 28:
            operands.append(unpack_from(">h", data, i + 1)[0])
            i += 3
        elif b0 == 29:
            operands.append(unpack_from(">i", data, i + 1)[0])
            i += 5
        elif b0 == 30:  # real: nibbles up to an 0xf nibble
            i += 1
            while data[i] & 0x0F != 0x0F and data[i] >> 4 != 0x0F:
                i += 1
            operands.append(0.0)
            i += 1
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            i += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + data[i + 1] + 108)
            i += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - data[i + 1] - 108)
            i += 2
        else:
            raise ValueError(f"DICT byte {b0}")
    return result


def _charset(cff: memoryview, at: int, glyph_count: int) -> list[int]:
    charset_format = cff[at]
    cids = [0]  # .notdef
    at += 1
    if charset_format == 0:
        cids.extend(unpack_from(f">{glyph_count - 1}H", cff, at))
        return cids
    if charset_format not in (1, 2):
        raise ValueError(f"charset format {charset_format}")
    count_format = ">HB" if charset_format == 1 else ">HH"
    step = 3 if charset_format == 1 else 4
    while len(cids) < glyph_count:
        first, left = unpack_from(count_format, cff, at)
        cids.extend(range(first, first + left + 1))
        at += step
    return cids[:glyph_count]
