"""The text map as a portable JSON document, embedded in proof PDFs.

A proofreader's annotation arrives in PDF user space (points, y up). To pin it to
story characters, the importer needs every line's character boxes and where the
layout's trim box sat on the PDF page. This module is the one place that writes
and reads that record, so the exporter and the proof importer cannot drift apart.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from app.compose.layout import PageLayout, TextLine, edge_columns
from app.errors import PasteupError

TEXTMAP_FORMAT = 1
TEXTMAP_FILENAME = "pasteup-textmap.json"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the trim box's top-left corner lies in PDF user space, in points (y up)."""

    left_pt: float
    top_pt: float


@dataclass(frozen=True, slots=True)
class TextMap:
    document_hash: str
    proof_round: int
    page: str
    placement: Placement
    stories: dict[str, str]  # story id → character stream at export time
    lines: tuple[TextLine, ...]
    trim_pt: tuple[float, float] | None = None  # trim width, height (absent in older proofs)

    def pdf_to_layout(self, x_pt: float, y_pt: float) -> tuple[int, int]:
        """A point in PDF user space → layout units (origin trim top-left, y down)."""
        return round((x_pt - self.placement.left_pt) * 64), round(
            (self.placement.top_pt - y_pt) * 64
        )


def dump_textmap(
    layout: PageLayout,
    *,
    document_hash: str,
    proof_round: int,
    page: str,
    placement: Placement,
    stories: dict[str, str],
) -> bytes:
    record = {
        "format": TEXTMAP_FORMAT,
        "document_hash": document_hash,
        "proof_round": proof_round,
        "page": page,
        "placement": [placement.left_pt, placement.top_pt],
        "trim": [layout.width / 64, layout.height / 64],
        "unit": "1/64 pt",
        "stories": stories,
        "lines": [
            {
                "block": line.block,
                "story": line.story,
                "frame": line.frame,
                "paragraph": line.paragraph,
                "start": line.start,
                "end": line.end,
                "text": line.text,
                "x": line.x,
                "baseline": line.baseline,
                "width": line.width,
                "top": line.top,
                "bottom": line.bottom,
                "char_x": [list(pair) for pair in line.char_x],
            }
            for line in layout.lines
        ],
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_textmap(data: bytes, source: str) -> TextMap:
    """Parse an embedded text map; `source` names the PDF in error messages."""
    try:
        record = json.loads(data.decode("utf-8"))
        if record.get("format") != TEXTMAP_FORMAT:
            raise PasteupError(
                f"{source}: 文本映射格式 {record.get('format')!r} 不受支持 "
                f"(text map format not supported)"
            )
        left, top = (float(v) for v in record["placement"])
        if not (math.isfinite(left) and math.isfinite(top)):
            raise ValueError(f"placement {left}, {top} is not finite")
        lines = tuple(_line(item) for item in record["lines"])
        return TextMap(
            document_hash=str(record["document_hash"]),
            proof_round=int(record["proof_round"]),
            page=str(record["page"]),
            placement=Placement(left, top),
            stories={str(k): str(v) for k, v in record["stories"].items()},
            lines=lines,
            trim_pt=_trim(record.get("trim")),
        )
    except PasteupError:
        raise
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OverflowError,
        RecursionError,
    ) as error:
        raise PasteupError(
            f"{source}: 内嵌文本映射已损坏 (corrupt embedded text map): {error}"
        ) from None


def _trim(value) -> tuple[float, float] | None:
    if value is None:
        return None
    width, height = (float(v) for v in value)
    if not (math.isfinite(width) and math.isfinite(height)):
        raise ValueError(f"trim {width} × {height} is not finite")
    return width, height


def _text(value: object) -> str:
    """A text field of the map; anything else makes the map corrupt (the fuzzer gave 42)."""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _line(item: Any) -> TextLine:
    """One line of the map as read (a wrong shape raises, and the map is corrupt)."""
    lefts, rights = edge_columns((int(a), int(b)) for a, b in item["char_x"])
    return TextLine(
        block=_text(item["block"]),
        story=_text(item["story"]),
        frame=int(item["frame"]),
        paragraph=int(item["paragraph"]),
        start=int(item["start"]),
        end=int(item["end"]),
        text=_text(item["text"]),
        x=int(item["x"]),
        baseline=int(item["baseline"]),
        width=int(item["width"]),
        top=int(item["top"]),
        bottom=int(item["bottom"]),
        char_lefts=lefts,
        char_rights=rights,
    )
