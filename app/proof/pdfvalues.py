"""Turning PDF annotation values into plain Python: text strings, dates, rich text, numbers.

Viewers write these fields loosely (dates without seconds, time zones as ``+08'00'``,
rich text as XHTML with or without a namespace), so each reader here is tolerant of
form but strict about type: a value of the wrong PDF type raises `BadValue`, which the
annotation reader reports and skips.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from html.parser import HTMLParser

import pikepdf

from app.proof.limits import MAX_RICH_TEXT_BYTES, TooLarge, shown_note, stream_bytes


class BadValue(ValueError):
    """A field holds a value of the wrong type or shape; the message names the field."""


def text_field(value: object, key: str) -> str:
    """A PDF text string (PDFDocEncoding or UTF-16) as str, made safe to print and store
    (`limits.shown_note`); absent → "". Bytes that decode to nothing become U+FFFD."""
    if value is None:
        return ""
    if isinstance(value, pikepdf.String):
        try:
            return shown_note(str(value))
        except UnicodeDecodeError:
            raw = bytes(value)
            encoding = "utf-16" if raw[:2] in (b"\xfe\xff", b"\xff\xfe") else "utf-8"
            return shown_note(raw.decode(encoding, errors="replace"))
    if isinstance(value, pikepdf.Name):
        return shown_note(name_text(value))
    raise BadValue(f"{key} 应为字符串 (should be a text string), 实为 {type(value).__name__}")


def name_text(value: pikepdf.Name) -> str:
    """A name without its slash; bytes that are not UTF-8 (#ff in a name) are kept as
    Latin-1 characters rather than raising."""
    try:
        return str(value)[1:]
    except UnicodeDecodeError:
        return value.unparse().decode("latin-1")[1:]


def name_field(value: object, key: str) -> str:
    """A PDF name without its slash; absent → "". Some writers use strings: accepted."""
    if value is None:
        return ""
    if isinstance(value, pikepdf.Name):
        return name_text(value)
    if isinstance(value, pikepdf.String):
        return text_field(value, key)
    raise BadValue(f"{key} 应为名称 (should be a name), 实为 {type(value).__name__}")


def number_list(value: object, key: str) -> tuple[float, ...]:
    """An array of finite numbers."""
    if not isinstance(value, pikepdf.Array):
        raise BadValue(f"{key} 应为数组 (should be an array)")
    numbers: list[float] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float | Decimal):
            raise BadValue(f"{key} 含非数值元素 (contains a non-number)")
        number = float(item)
        if not math.isfinite(number):
            raise BadValue(f"{key} 含非有限数值 (contains a non-finite number)")
        numbers.append(number)
    return tuple(numbers)


def rect_field(value: object, key: str) -> tuple[float, float, float, float]:
    """A rectangle, normalised so x0 ≤ x1 and y0 ≤ y1 (the spec allows either corner order)."""
    numbers = number_list(value, key)
    if len(numbers) != 4:
        raise BadValue(f"{key} 应有 4 个数值 (needs 4 numbers), 实有 {len(numbers)}")
    x0, y0, x1, y1 = numbers
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:(Z)|([+-])(\d{2})'?(?:(\d{2})'?)?)?"
)


def pdf_date(value: object, key: str) -> str:
    """A PDF date (``D:20250301093000+08'00'``) as ISO 8601; unparsable text is kept as is."""
    raw = text_field(value, key).strip()
    match = _DATE.match(raw)
    if not raw or not match:
        return raw
    year, month, day, hour, minute, second, zulu, sign, tz_h, tz_m = match.groups()
    iso = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zulu:
        return iso + "Z"
    if sign:
        return f"{iso}{sign}{tz_h}:{tz_m or '00'}"
    return iso


class _RichTextParser(HTMLParser):
    """Collects the character data of /RC XHTML; block elements become line breaks."""

    BLOCKS = frozenset({"p", "div", "br", "li"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag.split(":")[-1] in self.BLOCKS and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def rich_text_to_plain(markup: str) -> str:
    """The plain text of an /RC rich-text string (XHTML per PDF 32000 §12.7.3.4)."""
    parser = _RichTextParser()
    parser.feed(markup)
    parser.close()
    lines = "".join(parser.parts).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def rich_text_field(value: object, key: str) -> str:
    """/RC may be a text string or a stream holding the XHTML."""
    if value is None:
        return ""
    if isinstance(value, pikepdf.Stream):
        try:
            data = stream_bytes(value, MAX_RICH_TEXT_BYTES, key)
        except TooLarge as error:
            raise BadValue(str(error)) from None
        return shown_note(rich_text_to_plain(data.decode("utf-8", errors="replace")))
    return shown_note(rich_text_to_plain(text_field(value, key)))
