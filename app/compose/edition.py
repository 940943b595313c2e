"""The edition composer: an `Edition` in, one display list per page out (a paged layout).

Each page keeps its own `Composer` (its per-block cache), so an edit recomposes only what it
touches: a story edit recomposes the blocks that set the story and, through the hand-off
offsets, the continuations on other pages; a plan change (a page moved) changes the jump
lines' numbers and so recomposes the blocks that print them. Jumped stories are resolved part
by part first (`Part`, the backlog carried from one block into the next), then each page is
composed with its parts and the ads booked on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from app.compose.composer import Composer
from app.compose.jumps import Part
from app.compose.layout import Finding, PageLayout
from app.compose.typesetter import lu_rect
from app.fonts import FontRegistry, default_registry
from app.model.blocks import (
    ArticleBlock,
    CaptionBlock,
    PhotoBlock,
    SectionHeadBlock,
    TextBlock,
    block_frames,
)
from app.model.document import PageDocument
from app.model.edition import Edition, EditionPage, EditionPageDocument
from app.model.geometry import frame_rect


class EditionLayout(NamedTuple):
    """The composed edition: pages in plan order, as `PageLayout`s."""

    ids: tuple[str, ...]  # page ids, plan order (only the pages asked for)
    numbers: tuple[str, ...]  # their numbers (版次)
    pages: tuple[PageLayout, ...]
    parts: dict[str, Part]  # block id → the part of its story it sets (jumped stories only)
    recomposed: tuple[str, ...]  # ids of the pages whose display list is new since last time

    def page(self, page_id: str) -> PageLayout:
        return self.pages[self.ids.index(page_id)]


class EditionComposer:
    """One per open edition; keeps every page's composer between calls."""

    def __init__(self, registry: FontRegistry | None = None) -> None:
        self.registry = registry or default_registry()
        self._composers: dict[str, Composer] = {}
        self._last: dict[str, tuple[PageLayout, PageLayout]] = {}  # id → (composed, final)

    def composer(self, page_id: str) -> Composer:
        composer = self._composers.get(page_id)
        if composer is None:
            composer = self._composers[page_id] = Composer(self.registry)
        return composer

    def compose(self, edition: Edition, pages: Iterable[str] | None = None) -> EditionLayout:
        """Compose the pages `pages` (ids; default all) of the edition, in plan order."""
        wanted = set(pages) if pages is not None else None
        extras = {page.id: ad_blocks(edition, page) for page in edition.pages}
        parts = self._parts(edition, extras)
        ids, numbers, layouts, recomposed = [], [], [], []
        for page in edition.pages:
            if wanted is not None and page.id not in wanted:
                continue
            previous = self._last.get(page.id, (None, None))[1]
            layout = self._page(edition, page, parts, extras[page.id])
            if layout is not previous:
                recomposed.append(page.id)
            ids.append(page.id)
            numbers.append(page.number)
            layouts.append(layout)
        for gone in self._composers.keys() - {p.id for p in edition.pages}:
            del self._composers[gone]
            self._last.pop(gone, None)
        return EditionLayout(tuple(ids), tuple(numbers), tuple(layouts), parts, tuple(recomposed))

    def _parts(self, edition: Edition, extras: dict[str, tuple]) -> dict[str, Part]:
        """Every jumped story's parts: each starts where the part before handed off."""
        pages = {page.id: page for page in edition.pages}
        parts: dict[str, Part] = {}
        for links in edition.chains().values():
            start = 0
            for i, link in enumerate(links):
                page = pages[link.page]
                jumps = page.document.layout.jumps
                before = links[i - 1].page if i else None
                after = links[i + 1].page if i + 1 < len(links) else None
                part = Part(
                    start,
                    jumps.wording(jumps.from_, pages[before].number)
                    if before and before != page.id
                    else "",
                    jumps.wording(jumps.to, pages[after].number)
                    if after and after != page.id
                    else "",
                    jumps.style,
                    after is not None,
                )
                parts[link.block] = part
                if after is not None:
                    block = page.document.block(link.block)
                    result = self.composer(page.id).compose_part(
                        page.document, block, part, extras[page.id]
                    )
                    start = result.handoff if result.handoff is not None else start
        return parts

    def _page(
        self, edition: Edition, page: EditionPage, parts: dict[str, Part], extra: tuple
    ) -> PageLayout:
        mine = {b.id: parts[b.id] for b in page.document.blocks if b.id in parts}
        composed = self.composer(page.id).compose(page.document, mine, extra)
        last = self._last.get(page.id)
        if last is not None and last[0] is composed:
            return last[1]
        layout = composed._replace(findings=_ad_findings(composed, page, extra))
        self._last[page.id] = (composed, layout)
        return layout


def compose_page(document: PageDocument, composer: Composer | None = None) -> PageLayout:
    """A page as it prints: a page of an edition with its parts of jumped stories, its ads and
    its place in the plan; a format-1 page by itself."""
    if isinstance(document, EditionPageDocument) and document.edition is not None:
        layouts = EditionComposer().compose(document.edition, [document.page_id])
        return layouts.pages[0]
    return (composer or Composer()).compose(document)


def ad_blocks(edition: Edition, page: EditionPage) -> tuple[PhotoBlock, ...]:
    """The ads booked on the page, as picture blocks of kind "ad" that keep text out."""
    return tuple(
        PhotoBlock(
            ad.id,
            ad.frame,
            ad.file,  # relative to the edition folder, which holds the page files too
            placeholder=ad.placeholder,
            kind="ad",
        )
        for ad in edition.ads
        if ad.page == page.id
    )


_TEXT = ArticleBlock | TextBlock | CaptionBlock | SectionHeadBlock


def _ad_findings(layout: PageLayout, page: EditionPage, ads: tuple) -> tuple[Finding, ...]:
    """An ad's file missing or unreadable, and text frames reaching into an ad, as errors."""
    ad_ids = {ad.id for ad in ads}
    findings = []
    for finding in layout.findings:
        if finding.block in ad_ids and finding.code in ("missing-image", "bad-image"):
            code = "ad-missing" if finding.code == "missing-image" else "ad-unreadable"
            finding = finding._replace(code=code)
        findings.append(finding)
    grid = page.document.layout.grid
    for ad in ads:
        area = lu_rect(frame_rect(ad.frame, grid))
        for block in page.document.blocks:
            if not isinstance(block, _TEXT):
                continue
            if any(lu_rect(frame_rect(f, grid)).intersects(area) for f in block_frames(block)):
                findings.append(Finding("ad-overlap", "error", block.id, "", (("ad", ad.id),)))
    return tuple(findings)
