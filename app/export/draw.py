"""The one walk over the display list: each item kind goes to its own small function.

The match is exhaustive by type: a new kind of item in `layout.Item` is a mypy error here
(`assert_never`) until the writer draws it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import assert_never

from app.compose.layout import Box, GlyphRun, Image, Item, Rule
from app.export.adforms import draw_pdf_ad
from app.export.images import Target, draw_image
from app.export.shapes import draw_box, draw_rule
from app.export.surface import Surface
from app.export.text import draw_runs


def draw_items(surface: Surface, items: Iterable[Item], target: Target, profile: Path) -> None:
    runs: list[GlyphRun] = []  # consecutive runs of one colour, drawn as one text object
    for item in items:
        if runs and not (isinstance(item, GlyphRun) and item.color == runs[0].color):
            draw_runs(surface, runs)
            runs = []
        match item:
            case GlyphRun():
                runs.append(item)
            case Rule():
                draw_rule(surface, item)
            case Box():
                draw_box(surface, item)
            case Image() if item.pdf:
                draw_pdf_ad(surface, item)
            case Image():
                draw_image(surface, item, target, profile)
            case _:
                assert_never(item)
    if runs:
        draw_runs(surface, runs)
