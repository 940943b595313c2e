"""A new page: from a layout's grid, or from a page template (版式模板).

A template is an ordinary page file holding only what every issue of that page
repeats: the grid and styles, rules, boxes, the section head (栏头) with its story and
the running head (报眉). Making a page from it keeps those and takes the new issue's
metadata; saving a page as a template drops everything else (articles, photos,
captions, free text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from app.errors import PasteupError
from app.model.blocks import Block, RunningHeadBlock, block_stories
from app.model.document import PageDocument, PageMeta
from app.model.layouts import PageLayoutSpec

# Blocks a template keeps: the page's furniture, not the day's content.
FIXED_KINDS = frozenset({"rule", "box", "section", "running-head"})
RUNNING_HEAD_ID = "报眉"


def check_meta(meta: PageMeta) -> PageMeta:
    """The metadata as a page keeps it; a date must be ISO (2026-01-09) or empty."""
    if meta.date:
        try:
            dt.date.fromisoformat(meta.date)
        except ValueError:
            raise PasteupError(
                f"{meta.date}: 日期应写作 2026-01-09 (date must be YYYY-MM-DD)"
            ) from None
    return replace(
        meta,
        paper=meta.paper.strip(),
        edition=meta.edition.strip(),
        page_name=meta.page_name.strip(),
    )


def new_page(
    layout: PageLayoutSpec, meta: PageMeta | None = None, running_head: bool = True
) -> PageDocument:
    """An empty page on `layout`'s grid, with a running head when the grid has its zone."""
    meta = meta or PageMeta()
    blocks: list[Block] = []
    if running_head and layout.grid.head_zone > 0:
        blocks.append(RunningHeadBlock(RUNNING_HEAD_ID))
    return PageDocument(
        meta=check_meta(meta), layout=layout, style_overrides={}, stories={}, blocks=blocks
    )


def from_template(template: PageDocument, meta: PageMeta) -> PageDocument:
    """A new page with the template's grid, styles and fixed blocks, and `meta`."""
    kept = as_template(template)
    editors = meta.editors or template.meta.editors
    return PageDocument(
        meta=check_meta(replace(meta, editors=editors)),
        layout=kept.layout,
        style_overrides=kept.style_overrides,
        stories=kept.stories,
        blocks=kept.blocks,
    )


def as_template(document: PageDocument) -> PageDocument:
    """The page reduced to what a template keeps (its fixed blocks and their stories)."""
    blocks = [b for b in document.blocks if b.kind in FIXED_KINDS]
    used = {story for b in blocks for story in block_stories(b)}
    return PageDocument(
        meta=replace(document.meta, date=""),
        layout=document.layout,
        style_overrides={role: dict(v) for role, v in document.style_overrides.items()},
        stories={k: v for k, v in document.stories.items() if k in used},
        blocks=blocks,
    )
