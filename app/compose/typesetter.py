"""What composing a block needs from the page (metrics, settings, caches) and what it gives back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from app.compose.config import Settings, varied
from app.compose.layout import (
    BlockFrame,
    Color,
    Finding,
    Item,
    TextLine,
    from_pt,
)
from app.compose.layout import lu_rect as lu_rect  # re-exported: callers import it from here
from app.compose.paragraph import Paragraph, compose_paragraph
from app.compose.styling import BREAKING
from app.model.grid import PageGrid
from app.model.story import Paragraph as StoryParagraph
from app.model.styles import ParagraphStyle

if TYPE_CHECKING:
    from app.compose.fontmetrics import FontMetrics


class BlockResult(NamedTuple):
    items: tuple[Item, ...]
    lines: tuple[TextLine, ...]
    frame: BlockFrame
    findings: tuple[Finding, ...]
    fonts: frozenset[str]
    handoff: int | None = None  # a text block: stream offset of the first character not set


class TypeSetter(NamedTuple):
    """What composing text needs from the page: metrics and settings per style, the grid,
    and the caches of paragraphs set at one width and drawn at one place, shared across calls
    so that a keystroke recomposes and redraws one paragraph."""

    grid: PageGrid
    styles: dict[str, ParagraphStyle]
    metrics: Callable[[ParagraphStyle], FontMetrics]  # cached by the composer
    settings: Callable[[ParagraphStyle], Settings]
    ascent: Callable[[ParagraphStyle], int]  # em-box top → baseline, lu
    cache: dict
    drawn: dict

    @property
    def pitch(self) -> int:
        return from_pt(self.grid.line_pitch)

    @property
    def body(self) -> int:
        return from_pt(self.grid.body_size)

    def set(
        self,
        paragraph: StoryParagraph,
        widths: Callable[[int], int],
        overrides: dict | None = None,
        *,
        uniform: bool = False,
    ) -> Paragraph:
        """Set one paragraph; with `uniform` (every line the same measure) the result is cached."""
        style = self.styles[paragraph.role]
        settings = self.settings(style)
        breaking = BREAKING.get(paragraph.role)
        if breaking:
            overrides = {**(overrides or {}), "composer": breaking}
        if overrides:
            settings = varied(settings, tuple(overrides.items()))
        key = (paragraph.text, style, settings, widths(0)) if uniform else None
        result = self.cache.get(key) if key else None
        if result is None:
            result = compose_paragraph(  # every line as wide as the first, when uniform
                paragraph.text, widths(0), self.metrics(style), settings,
                widths=None if uniform else widths,
            )  # fmt: skip
            if key:
                self.cache[key] = result
        return result


def cmyk(percent: Sequence[float]) -> Color:
    c, m, y, k = (v / 100 for v in percent)
    return Color(c, m, y, k, overprint=(c == m == y == 0 and k >= 1.0))
