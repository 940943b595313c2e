"""What a reader sees of a set paragraph's spacing: the extra space per ideograph gap, line by
line, and a paragraph's summary. One definition for `pasteup fit --json` and for
`benchmarks/quality.py`, which measures Typst's lines the same way.

The extra space of a line is the mean, over adjacent pairs of Han characters, of the distance
between their left edges less one em: what justification added between ideographs, whatever
step (E3, or E1/E2 spilling over) put it there.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence

from app.compose.dump import em_text
from app.compose.paragraph import Line, Paragraph

#: Extra space per gap (em) above which a line reads as letter-spaced, and as badly so.
LOOSE = (0.25, 1.0)
#: Closing marks that may follow a 孤字 on a last line.
_CLOSING = frozenset("。．，、：；？！”’）］｝〕〉》」』】〗〙〛〞〟｠｣")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def gap_extra(chars: Iterable[tuple[str, float]], em: float) -> float | None:
    """Mean extra space (em) between adjacent Han characters given as (character, left x);
    None when the line has no such pair."""
    extras = [
        (x2 - x1) / em - 1
        for (a, x1), (b, x2) in itertools.pairwise(chars)
        if is_han(a) and is_han(b)
    ]
    return statistics.fmean(extras) if extras else None


def line_extra(line: Line, em: int) -> float | None:
    return gap_extra(zip(line.text, line.char_lefts, strict=True), em)


def is_orphan(last_line: str) -> bool:
    """A last line of one Han character, closing marks after it allowed (孤字)."""
    text = last_line.strip()
    return bool(text) and is_han(text[0]) and all(ch in _CLOSING for ch in text[1:])


def summary(lines: Sequence[Line], em: int) -> dict:
    """A paragraph's figures: every line but the last (which is set, not justified) counts."""
    extras = [x for x in (line_extra(line, em) for line in lines[:-1]) if x is not None]
    return {
        "lines": len(lines),
        "loose_025": sum(x > LOOSE[0] + 1e-3 for x in extras),
        "loose_1": sum(x > LOOSE[1] + 1e-3 for x in extras),
        "max_extra_em": round(max(extras), 3) if extras else 0.0,
        "mean_extra_em": round(statistics.fmean(extras), 3) if extras else 0.0,
        "orphan": len(lines) > 1 and is_orphan(lines[-1].text),
        "emergency": sum(line.emergency for line in lines),
        "relaxed": sum(bool(line.relaxed) for line in lines),
    }


def paragraph_report(paragraph: Paragraph) -> dict:
    """Per line its text, natural width and extra space per gap (em), and the summary."""
    em = paragraph.em
    lines = []
    for line in paragraph.lines:
        extra = line_extra(line, em)
        lines.append(
            {
                "text": line.text.rstrip(),
                "natural_em": em_text(line.natural, em),
                "extra_em": None if extra is None else round(extra, 3),
                "loose": line.loose,
                "relaxed": line.relaxed,
                "emergency": line.emergency,
            }
        )
    return {"lines": lines, "summary": summary(paragraph.lines, em)}
