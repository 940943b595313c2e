"""The edition (期): a night's pages as one document, with the stories they share.

The page is a member, not the root. An `Edition` holds the plan (pages in order, each with its
number 版次, name 版名 and colour), the stories every page draws from, the ads booked into the
plan, and which text block continues which (转版/接版). Each page keeps its own
`PageDocument` (grid, styles, blocks, proof state) whose `stories` *is* the edition's story
table, so page-level code — the composer, the proofing commands, the editor — works on a page
of an edition unchanged. Block ids are unique in the edition, so a continuation can name the
block it follows wherever that block is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import PasteupError
from app.model.blocks import ArticleBlock, Frame, GridFrame, TextBlock
from app.model.document import WEEKDAYS, PageDocument, PageMeta
from app.model.grid import PageGrid
from app.model.jumps import page_label
from app.model.story import Story

# 排版中 → 一校 … → 签版 → 已付印: where a page stands on the night (edition.md, sign-off).
STAGES = ("排版中", "一校", "二校", "三校", "签版", "已付印")


@dataclass(frozen=True, slots=True)
class EditionMeta(PageMeta):
    """A page's metadata as its edition gives it: adds 期号 and the page's side for the 报眉."""

    issue: str = ""  # 期号, e.g. 第12345期
    side: str = ""  # "left" (even page) or "right", when the edition mirrors its running heads

    def fields(self) -> dict[str, str]:
        values = PageMeta.fields(self)
        values["issue"] = self.issue
        values["page"] = self.edition
        values["label"] = page_label(self.edition)
        if self.side:
            values["side"] = self.side
        return values


@dataclass(frozen=True, slots=True)
class StatusChange:
    stage: str
    by: str
    at: str  # ISO time


@dataclass(frozen=True, slots=True)
class Ad:
    """A booked ad slot: placed by layout staff, never typed into (edition.md, Ads)."""

    id: str
    page: str  # page id
    advertiser: str
    file: str  # the ad's image, relative to the edition folder
    frame: Frame
    placeholder: bool = False  # a generated stand-in, not the advertiser's file


class PageStories(MutableMapping):
    """A page's view of its edition's story table.

    Looking up or storing a story reaches the whole table (a continuation names a story that
    starts elsewhere; a new story joins the edition); iterating gives only the stories this
    page's blocks set, in the edition's order, so a page's version hash, its proof rounds and
    its format-1 form hold this page's text and nothing of other pages.
    """

    def __init__(self, edition: Edition, document: PageDocument) -> None:
        self._table = edition.stories
        self._document = document

    def _mine(self) -> set[str]:
        return {s for b in self._document.blocks if (s := getattr(b, "story", ""))}

    def __getitem__(self, key: str) -> Story:
        return self._table[key]

    def __setitem__(self, key: str, story: Story) -> None:
        self._table[key] = story

    def __delitem__(self, key: str) -> None:
        del self._table[key]

    def __iter__(self) -> Iterator[str]:
        mine = self._mine()
        return iter([key for key in self._table if key in mine])

    def __len__(self) -> int:
        return len(self._mine() & self._table.keys())


@dataclass(eq=False)
class EditionPageDocument(PageDocument):
    """A page document that belongs to an edition: its stories are the edition's."""

    edition: Edition | None = None
    page_id: str = ""

    def __post_init__(self) -> None:
        PageDocument.__post_init__(self)
        if self.edition is not None:
            self.stories = PageStories(self.edition, self)  # type: ignore[assignment]

    def new_id(self, prefix: str) -> str:
        """An id free in the whole edition (block and story ids are unique in it)."""
        if self.edition is None:
            return PageDocument.new_id(self, prefix)
        return self.edition.new_id(prefix)


def ad_misfit(frame: GridFrame, grid: PageGrid) -> str:
    """Why a booked grid slot does not fit the page's grid ("" when it does)."""
    if frame.col + frame.span > grid.columns or frame.line + frame.depth > grid.lines:
        return (
            f"{frame.span} 栏 × {frame.depth} 行 at column {frame.col}, line {frame.line} 超出版心 "
            f"(does not fit the grid's {grid.columns} columns × {grid.lines} lines)"
        )
    return ""


@dataclass(eq=False)
class EditionPage:
    id: str  # stable identity (the page file's stem); the number changes with the plan
    number: str  # 版次: "2" or "A02"
    name: str  # 版名
    color: bool  # 彩版 (True) or 黑白版
    document: EditionPageDocument
    continues: dict[str, str] = field(default_factory=dict)  # block id → the block it follows
    history: list[StatusChange] = field(default_factory=list)
    editors: tuple[tuple[str, str], ...] = ()

    @property
    def stage(self) -> str:
        return self.history[-1].stage if self.history else STAGES[0]

    @property
    def label(self) -> str:
        return page_label(self.number)


@dataclass(frozen=True, slots=True)
class ChainLink:
    page: str  # page id
    block: str  # block id


@dataclass(eq=False)
class Edition:
    paper: str
    date: str  # ISO date
    issue: str  # 期号
    numbering: str  # "number" (1…N) or "section" (A01…, the letter kept per page)
    mirror_heads: bool  # left-hand (even) pages mirror the running head
    pages: list[EditionPage]
    stories: dict[str, Story]
    ads: list[Ad] = field(default_factory=list)
    path: Path | None = None  # the edition folder

    # -- reading -------------------------------------------------------------------------------
    def page(self, key: str) -> EditionPage:
        """A page by id or by number (版次)."""
        for page in self.pages:
            if key in (page.id, page.number):
                return page
        raise PasteupError(f"{self.path or 'edition'}: 版面计划中没有第 {key} 版 (no such page)")

    def index(self, page_id: str) -> int:
        return next(i for i, p in enumerate(self.pages) if p.id == page_id)

    def block_pages(self) -> dict[str, str]:
        """Block id → the id of the page it is on."""
        return {b.id: p.id for p in self.pages for b in p.document.blocks}

    def weekday(self) -> str:
        try:
            return f"星期{WEEKDAYS[dt.date.fromisoformat(self.date).weekday()]}"
        except ValueError:
            return ""

    def chains(self) -> dict[str, tuple[ChainLink, ...]]:
        """Each jumped story's blocks in reading order; raises on a broken chain or a cycle."""
        where = {b.id: (p, b) for p in self.pages for b in p.document.blocks}
        # A continuation whose block is gone (deleted, to be undone) takes no part until it is back.
        follows = {b: after for p in self.pages for b, after in p.continues.items() if b in where}
        successor: dict[str, str] = {}
        for block_id, after in follows.items():
            page, block = where[block_id]
            name = _page_file(self, page)
            if not isinstance(block, ArticleBlock | TextBlock):
                raise PasteupError(
                    f"{name}: blocks.{block_id}.continues: 只有文字框能接续稿件 (only article and "
                    "text blocks continue a story)"
                )
            if after not in where:
                raise PasteupError(
                    f"{name}: blocks.{block_id}.continues: 接续的文框 {after!r} 不在版面计划的"
                    f"任何一版上 (continues a block that is on no page of the plan)"
                )
            before = where[after][1]
            if not isinstance(before, ArticleBlock | TextBlock):
                raise PasteupError(
                    f"{name}: blocks.{block_id}.continues: {after!r} 不是文字框 (not a text block)"
                )
            if before.story != block.story:
                raise PasteupError(
                    f"{name}: blocks.{block_id}.continues: {after!r} 排的是另一篇稿件 "
                    f"{before.story!r} (sets another story than {block.story!r})"
                )
            if after in successor:
                raise PasteupError(
                    f"{name}: blocks.{block_id}.continues: {after!r} 已由 {successor[after]!r} "
                    f"接续 (already continued by another block)"
                )
            successor[after] = block_id
        chains: dict[str, tuple[ChainLink, ...]] = {}
        for first in [b for b in where if b in successor and b not in follows]:  # plan order
            links, block_id = [], first
            while True:
                links.append(ChainLink(where[block_id][0].id, block_id))
                if block_id not in successor:
                    break
                block_id = successor[block_id]
            head = where[first][1]
            assert isinstance(head, ArticleBlock | TextBlock)  # it is continued: checked above
            chains[head.story] = tuple(links)
        placed = {link.block for links in chains.values() for link in links}
        for block_id in [b for b in follows if b not in placed]:  # from no first part: a cycle
            cycle, at = [block_id], follows[block_id]
            while at != block_id and at not in cycle:
                cycle.append(at)
                at = follows[at]
            page = where[block_id][0]
            raise PasteupError(
                f"{_page_file(self, page)}: blocks.{block_id}.continues: 转版成环 "
                f"(continuation cycle: {' → '.join([*cycle, cycle[0]])})"
            )
        return chains

    # -- the plan ------------------------------------------------------------------------------
    def renumber(self) -> None:
        """Numbers follow the plan: 1…N, or per section letter A01, A02 … B01."""
        counts: dict[str, int] = {}
        for position, page in enumerate(self.pages, 1):
            if self.numbering == "section":
                letter = page.number.rstrip("0123456789") or "A"
                counts[letter] = counts.get(letter, 0) + 1
                page.number = f"{letter}{counts[letter]:02d}"
            else:
                page.number = str(position)
        self.refresh_meta()

    def refresh_meta(self) -> None:
        """Give every page document the metadata its place in the plan implies."""
        for position, page in enumerate(self.pages, 1):
            side = ("left" if position % 2 == 0 else "right") if self.mirror_heads else ""
            page.document.meta = EditionMeta(
                paper=self.paper,
                date=self.date,
                edition=page.number,
                page_name=page.name,
                editors=page.editors,
                issue=self.issue,
                side=side,
            )

    def move(self, key: str, to: int) -> EditionPage:
        """Put a page at plan position `to` (1-based) and renumber."""
        page = self.page(key)
        if not 1 <= to <= len(self.pages):
            raise PasteupError(f"--to {to}: 版序应在 1–{len(self.pages)} (position out of range)")
        self.pages.remove(page)
        self.pages.insert(to - 1, page)
        self.renumber()
        return page

    def remove(self, key: str) -> EditionPage:
        """Drop a page from the plan; refused while another page's story continues from or
        onto it, since that text would be lost."""
        page = self.page(key)
        mine = {b.id for b in page.document.blocks}
        for other in self.pages:
            if other is page:
                continue
            for block, after in other.continues.items():
                if after in mine:
                    raise PasteupError(
                        f"{page.number}: 第{other.number}版的 {block} 接续本版 {after}，先取消转版 "
                        "(a story continues from this page: remove the jump first)"
                    )
        for block, after in page.continues.items():
            if after not in mine:
                raise PasteupError(
                    f"{page.number}: 本版 {block} 接续另一版的 {after}，先取消转版 "
                    "(a block on this page continues a story: remove the jump first)"
                )
        self.pages.remove(page)
        self.ads = [ad for ad in self.ads if ad.page != page.id]
        self.renumber()
        return page

    def new_id(self, prefix: str) -> str:
        taken = set(self.block_pages()) | set(self.stories) | {p.id for p in self.pages}
        taken |= {ad.id for ad in self.ads}
        n = 1
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"


def _page_file(edition: Edition, page: EditionPage) -> str:
    folder = edition.path or Path(".")
    return str(folder / f"{page.id}.json")
