"""A stable plain-text dump of composed lines, for golden tests and for reading by eye.

One line of text per composed line: `[text] nat N` then each adjustment level with its amounts in
em (exact fractions), then flags. Example: `[他在会上明确地指出] nat 9 E3 8×1/8`.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from app.compose.paragraph import Line, Paragraph


def em_text(value: int, em: int) -> str:
    f = Fraction(value, em)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def dump_line(line: Line, em: int) -> str:
    parts = [f"[{line.text.rstrip()}]", "nat", em_text(line.natural, em)]
    if line.x:
        parts += ["x", em_text(line.x, em)]
    for level, amounts in line.adjustments:
        counts = Counter(amounts)
        if len(counts) == 1:
            parts.append(f"{level} {len(amounts)}×{em_text(amounts[0], em)}")
        else:
            shown = ",".join(em_text(a, em) for a in amounts)
            parts.append(f"{level} {shown}")
    for flag in ("hanging", "loose", "emergency", "last"):
        if getattr(line, flag):
            parts.append(flag)
    if line.relaxed:
        parts.append(f"relaxed={line.relaxed}")
    return " ".join(parts)


def dump_paragraph(paragraph: Paragraph) -> str:
    return "\n".join(dump_line(line, paragraph.em) for line in paragraph.lines)
