"""The one walk over the display list: each item kind goes to its own small function."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.compose.layout import Box, GlyphRun, Image, Item, Rule
from app.export.images import Target, draw_image
from app.export.shapes import draw_box, draw_rule
from app.export.surface import Surface
from app.export.text import draw_run


def draw_items(surface: Surface, items: Iterable[Item], target: Target, profile: Path) -> None:
    for item in items:
        match item:
            case GlyphRun():
                draw_run(surface, item)
            case Rule():
                draw_rule(surface, item)
            case Box():
                draw_box(surface, item)
            case Image():
                draw_image(surface, item, target, profile)
            case _:
                raise TypeError(f"not a display-list item: {item!r}")
