"""The page composer: a document in, a `PageLayout` out, recomposing only what changed.

Each block's result is cached under a key of everything it depends on: the block, its
story, the page's styles, grid, fonts and composition settings, and the keep-out zones of
other blocks that reach into it. After a keystroke in one story only that story's block
is composed again; the page is then reassembled from cached pieces.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from weakref import WeakKeyDictionary

from app.compose.assemble import compose_block, compose_credits, keep_out_zone
from app.compose.fontmetrics import FontMetrics
from app.compose.jumps import Part
from app.compose.layout import FontSource, PageLayout, Rect, from_pt, lu_rect
from app.compose.styling import metrics_for, settings_of
from app.compose.typesetter import BlockResult, TypeSetter
from app.fonts import FontRegistry, default_registry
from app.model.blocks import Block, block_frames
from app.model.document import PageDocument
from app.model.geometry import frame_rect
from app.model.styles import ParagraphStyle

PARAGRAPH_CACHE_LIMIT = 20000
_SHARED_METRICS: WeakKeyDictionary = WeakKeyDictionary()  # registry → {style key: FontMetrics}


class _PageKey(NamedTuple):
    """What every block on the page depends on."""

    styles: tuple
    grid: object
    fonts: tuple
    composition: tuple


class _Context(NamedTuple):
    """What every block of one page pass shares."""

    document: PageDocument
    page: _PageKey
    typesetter: TypeSetter
    zones: dict[str, Rect]
    meta: dict[str, str]
    meta_key: tuple  # the metadata as a cache key, made once per pass
    base_dir: Path


class Composer:
    """Keeps font metrics and per-block results between calls; one per open document."""

    def __init__(self, registry: FontRegistry | None = None) -> None:
        self.registry = registry or default_registry()
        # Font metrics outlive a composer: glyph lookups cost more than the layout itself.
        self._metrics: dict[tuple, FontMetrics] = _SHARED_METRICS.setdefault(self.registry, {})
        self._blocks: dict[str, tuple[tuple, BlockResult]] = {}
        self._last: tuple[tuple, PageLayout] | None = None  # (block results, the page they made)
        self._paragraphs: dict = {}  # TypeSetter.cache
        self._drawn: dict = {}  # TypeSetter.drawn
        self._ascents: dict[tuple, int] = {}
        self._credits: tuple[tuple, BlockResult] | None = None  # the last credits line
        self.recomposed: tuple[str, ...] = ()  # block ids composed by the last call

    def compose(
        self,
        document: PageDocument,
        parts: dict[str, Part] | None = None,
        extra: tuple[Block, ...] = (),
    ) -> PageLayout:
        """The page; `parts` says which part of a jumped story a text block sets, `extra` are
        blocks the page shows but does not own (the ads its edition booked on it)."""
        with _kept_as_old():
            return self._compose(document, parts or {}, extra)

    def compose_part(
        self, document: PageDocument, block: Block, part: Part, extra: tuple[Block, ...] = ()
    ) -> BlockResult:
        """One text block of the page as one part of its story: how far its text reaches
        (`handoff`) is where the next part starts. Cached like a page's blocks."""
        with _kept_as_old():
            context = self._context(document, extra)
            return self._block(context, block, part)[0]

    def _context(self, document: PageDocument, extra: tuple[Block, ...]):
        layout = document.layout
        page = _PageKey(
            tuple(sorted(document.styles.items())),
            layout.grid,
            tuple(sorted(layout.fonts.items())),
            tuple(sorted(layout.composition.items())),
        )
        typesetter = TypeSetter(
            grid=layout.grid,
            styles=document.styles,
            metrics=lambda style: self._metrics_for(document, style),
            settings=lambda style: settings_of(style, page.composition),
            ascent=lambda style: self._ascent(document, style),
            cache=self._paragraphs,
            drawn=self._drawn,
        )
        if len(self._paragraphs) + len(self._drawn) > PARAGRAPH_CACHE_LIMIT:  # stale versions
            self._paragraphs.clear()
            self._drawn.clear()
        zones = {
            b.id: zone
            for b in (*document.blocks, *extra)
            if (zone := keep_out_zone(b, layout.grid)) is not None
        }
        meta = document.meta.fields()
        meta_key = tuple(sorted(meta.items()))
        return _Context(document, page, typesetter, zones, meta, meta_key, document.base_dir())

    def _block(
        self, context: _Context, block: Block, part: Part | None
    ) -> tuple[BlockResult, bool]:
        """The block's result, from the cache when nothing it depends on changed; and whether
        it was composed now."""
        document = context.document
        story = document.stories.get(getattr(block, "story", ""), None)
        keep_out = _zones_reaching(block, context.zones, document.layout.grid)
        key = (context.page, block, story, keep_out, context.meta_key, context.base_dir, part)
        cached = self._blocks.get(block.id)
        if cached is not None and cached[0] == key:
            return cached[1], False
        setter = context.typesetter
        if getattr(block, "styles", ()):
            setter = setter._replace(styles=document.styles_for(block))
        result = compose_block(block, story, setter, keep_out, context.meta, context.base_dir, part)
        self._blocks[block.id] = (key, result)
        return result, True

    def _compose(
        self, document: PageDocument, parts: dict[str, Part], extra: tuple[Block, ...]
    ) -> PageLayout:
        context = self._context(document, extra)
        blocks = (*document.blocks, *extra)
        results: list[BlockResult] = []
        recomposed: list[str] = []
        for block in blocks:
            result, fresh = self._block(context, block, parts.get(block.id))
            if fresh:
                recomposed.append(block.id)
            results.append(result)
        credits = context.meta.get("credits", "")
        if document.layout.credits == "foot" and credits:
            results.append(self._credits_line(context.page, credits, context.typesetter))
        ids = {b.id for b in blocks}
        for gone in self._blocks.keys() - ids:  # blocks deleted or moved to another page
            del self._blocks[gone]
        self.recomposed = tuple(recomposed)
        last = self._last
        if (
            last is not None
            and len(last[0]) == len(results)
            and all(a is b for a, b in zip(last[0], results, strict=True))
        ):
            return last[1]  # every block's result is the one it had: the same page
        page = _page(document, results, self.registry)
        self._last = (tuple(results), page)
        return page

    def _credits_line(self, page: _PageKey, text: str, typesetter: TypeSetter) -> BlockResult:
        """The credits line, composed again only when its text or the page's styles change
        (the same result object, as cached blocks give, so the page counts as unchanged)."""
        key = (page, text)
        if self._credits is None or self._credits[0] != key:
            self._credits = (key, compose_credits(text, typesetter))
        return self._credits[1]

    # -- per-style resources, cached across calls --------------------------------------------
    def _metrics_for(self, document: PageDocument, style: ParagraphStyle) -> FontMetrics:
        families = document.layout.fonts.get(style.font, ())
        key = (families, style.font, style.weight, style.size)
        metrics = self._metrics.get(key)
        if metrics is None:
            metrics = self._metrics[key] = metrics_for(self.registry, document.layout.fonts, style)
        return metrics

    def _ascent(self, document: PageDocument, style: ParagraphStyle) -> int:
        """Em-box top to baseline: the ideographic em box of the role's first face."""
        key = (document.layout.fonts.get(style.font, ()), style)
        ascent = self._ascents.get(key)
        if ascent is None:
            face = self._metrics_for(document, style).chain[0]
            size = from_pt(style.size)
            ascent = self._ascents[key] = size * face.ascender // (face.ascender - face.descender)
        return ascent


@contextmanager
def _kept_as_old():
    """Hold the cycle collector off for one pass and file what the pass keeps as old objects.

    A page pass allocates some 100,000 tuples and lists and keeps about 8,000 (lines, glyph
    runs, cached paragraphs) until the next edit; none of them forms a cycle. Left alone, the
    collector walks the young ones a dozen times per pass, and collecting after the pass
    walks the kept ones once, cold: either costs 5–7 ms, a sixth of the pass. Freezing and
    unfreezing moves every tracked object to the oldest generation by splicing two lists, so
    the kept results wait for the rare full collections, as long-lived data does.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _zones_reaching(block: Block, zones: dict[str, Rect], grid) -> tuple[Rect, ...]:
    frames = block_frames(block)
    if not frames or not hasattr(block, "story"):
        return ()
    rects = [lu_rect(frame_rect(f, grid)) for f in frames]
    return tuple(
        zone
        for owner, zone in zones.items()
        if owner != block.id and any(zone.intersects(r) for r in rects)
    )


def _page(document: PageDocument, results: list[BlockResult], registry: FontRegistry) -> PageLayout:
    grid = document.layout.grid
    keys = sorted(set().union(*(r.fonts for r in results)))
    fonts = []
    for key in keys:
        face = registry.get(key)
        fonts.append(FontSource(key, str(face.path), face.index, face.sha256))
    meta = document.meta
    return PageLayout(
        width=from_pt(grid.trim_width),
        height=from_pt(grid.trim_height),
        bleed=from_pt(grid.bleed),
        items=tuple(item for r in results for item in r.items),
        lines=tuple(line for r in results for line in r.lines),
        blocks=tuple(r.frame for r in results),
        fonts=tuple(fonts),
        findings=tuple(f for r in results for f in r.findings),
        meta=(
            ("paper", meta.paper),
            ("date", meta.date),
            ("edition", meta.edition),
            ("page_name", meta.page_name),
        ),
    )
