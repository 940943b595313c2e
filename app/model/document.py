"""The page document: metadata, the layout it uses, stories, blocks and proof state.

Edits go through the methods here so that every change is announced once, from one
place (`changed`), to whoever listens — the editor's canvas and panels, autosave.
The document knows nothing of cursors, selection, undo or Qt.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.errors import PasteupError
from app.model.blocks import Block
from app.model.fields import Where
from app.model.layouts import PageLayoutSpec
from app.model.limits import text_problem
from app.model.proofing import ProofState
from app.model.story import PARAGRAPH_SEPARATOR, Story
from app.model.styles import ParagraphStyle, style_from_data

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True, slots=True)
class PageMeta:
    paper: str = ""
    date: str = ""  # ISO date, e.g. 2026-01-09
    edition: str = ""  # 版次, e.g. "2"
    page_name: str = ""  # 版名, e.g. 要闻
    editors: tuple[tuple[str, str], ...] = ()  # (title, name): 责任编辑, 美编, 校对 …

    def fields(self) -> dict[str, str]:
        """Values for running-head templates ({paper}, {date}, {weekday} …)."""
        weekday = ""
        try:
            day = dt.date.fromisoformat(self.date)
            weekday = f"星期{WEEKDAYS[day.weekday()]}"
            date = f"{day.year}年{day.month}月{day.day}日"
        except ValueError:
            date = self.date
        return {
            "paper": self.paper,
            "date": date,
            "weekday": weekday,
            "edition": self.edition,
            "page_name": self.page_name,
            "credits": self.credits(),
        }

    def credits(self) -> str:
        """The page's 责任编辑 / 美编 / 校对 line, e.g. 责任编辑：王芳　美编：李明 ("" if none)."""
        return "　".join(f"{title}：{name}" for title, name in self.editors if name)


Listener = Callable[[str, tuple[str, ...]], None]


@dataclass(eq=False)
class PageDocument:
    meta: PageMeta
    layout: PageLayoutSpec
    style_overrides: dict[str, dict[str, Any]]  # role → fields as written in the file
    stories: dict[str, Story]
    blocks: list[Block]
    proof: ProofState = field(default_factory=ProofState)
    path: Path | None = None
    _listeners: list = field(default_factory=list, repr=False)

    # -- reading -------------------------------------------------------------------------------
    @property
    def styles(self) -> dict[str, ParagraphStyle]:
        return self._styles

    def __post_init__(self) -> None:
        self._styles = _apply_overrides(self.layout, self.style_overrides)
        # A block's style changes → (the page styles they were applied to, the result).
        self._block_styles: dict[tuple, tuple[dict, dict[str, ParagraphStyle]]] = {}

    def block(self, block_id: str) -> Block:
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def block_index(self, block_id: str) -> int:
        return next(i for i, b in enumerate(self.blocks) if b.id == block_id)

    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def input_files(self) -> list[Path]:
        """The user's files this page is made from: no output may be written over them."""
        base = self.base_dir()
        files = [base / s.source for s in self.stories.values() if s.source]
        files += [base / image for b in self.blocks if (image := getattr(b, "image", ""))]
        if self.layout.source:
            files.append(Path(self.layout.source))
        if self.path is not None:
            files += [self.path, self.path.with_name(self.path.name + ".bak")]
        return files

    def new_id(self, prefix: str) -> str:
        taken = {b.id for b in self.blocks} | set(self.stories)
        n = 1
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"

    # -- listening -----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call `listener(kind, ids)` after each change; held weakly for bound methods."""
        ref = weakref.WeakMethod(listener) if hasattr(listener, "__self__") else (lambda: listener)
        self._listeners.append(ref)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners = [r for r in self._listeners if r() not in (None, listener)]

    def _emit(self, kind: str, ids: tuple[str, ...]) -> None:
        alive = []
        for ref in self._listeners:
            listener = ref()
            if listener is not None:
                alive.append(ref)
                listener(kind, ids)
        self._listeners = alive

    # -- editing: each method is one undoable step for the editor's commands --------------------
    def set_story(self, story: Story) -> Story:
        """Replace a story wholesale; returns the previous version (for undo)."""
        old = self.stories[story.id]
        self.stories[story.id] = story
        self._emit("story", (story.id,))
        return old

    def replace_text(self, story_id: str, start: int, end: int, text: str) -> Story:
        """Replace story text; text the page could not load again (controls, bidi overrides,
        lone surrogates, past limits.MAX_PARAGRAPH_CHARS) is refused, never saved."""
        problem = text_problem(text.replace(PARAGRAPH_SEPARATOR, ""))
        if problem:
            raise PasteupError(f"{story_id}: {problem}")
        return self.set_story(self.stories[story_id].replace_text(start, end, text))

    def add_story(self, story: Story) -> None:
        if story.id in self.stories:
            raise KeyError(f"story {story.id!r} exists")
        self.stories[story.id] = story
        self._emit("story", (story.id,))

    def remove_story(self, story_id: str) -> Story:
        story = self.stories.pop(story_id)
        self._emit("story", (story_id,))
        return story

    def set_block(self, block: Block) -> Block:
        """Replace the block with the same id; returns the previous version."""
        index = self.block_index(block.id)
        old, self.blocks[index] = self.blocks[index], block
        self._emit("block", (block.id,))
        return old

    def update_block(self, block_id: str, **changes: Any) -> Block:
        return self.set_block(replace(self.block(block_id), **changes))

    def insert_block(self, block: Block, index: int | None = None) -> None:
        if any(b.id == block.id for b in self.blocks):
            raise KeyError(f"block {block.id!r} exists")
        self.blocks.insert(len(self.blocks) if index is None else index, block)
        self._emit("block", (block.id,))

    def remove_block(self, block_id: str) -> tuple[int, Block]:
        index = self.block_index(block_id)
        block = self.blocks.pop(index)
        self._emit("block", (block_id,))
        return index, block

    def move_block_to(self, block_id: str, index: int) -> int:
        """Change z-order (painter's order); returns the old index."""
        old = self.block_index(block_id)
        self.blocks.insert(index, self.blocks.pop(old))
        self._emit("order", (block_id,))
        return old

    def set_style_overrides(
        self, overrides: dict[str, dict[str, Any]]
    ) -> dict[str, dict[str, Any]]:
        """Replace the page's style changes (the styles panel); returns the previous ones."""
        styles = _apply_overrides(self.layout, overrides)  # raises before anything changes
        old, self.style_overrides = self.style_overrides, overrides
        self._styles = styles
        self._block_styles = {}
        self._emit("styles", ())
        return old

    def set_meta(self, meta: PageMeta) -> PageMeta:
        """Replace the page's metadata (报名, 日期, 版次, 版名); returns the previous one."""
        old, self.meta = self.meta, meta
        self._emit("meta", ())
        return old

    def set_proof(self, proof: ProofState) -> ProofState:
        old, self.proof = self.proof, proof
        self._emit("proof", ())
        return old

    def styles_for(self, block: Block) -> dict[str, ParagraphStyle]:
        """The page's styles with the block's own changes (a secondary story's smaller head)."""
        changes = getattr(block, "styles", ())
        if not changes:
            return self._styles
        made = self._block_styles.get(changes)
        if made is not None and made[0] is self._styles:  # the same style objects each time,
            return made[1]  # so the composer's caches find them by identity
        styles = dict(self._styles)
        for role, fields in changes:
            data = {k: list(v) if isinstance(v, tuple) else v for k, v in fields}
            styles[role] = style_from_data(
                data, Where(f"blocks.{block.id}.styles", role), styles[role]
            )
        self._block_styles[changes] = (self._styles, styles)
        return styles


def _apply_overrides(
    layout: PageLayoutSpec, overrides: dict[str, dict[str, Any]]
) -> dict[str, ParagraphStyle]:
    styles = dict(layout.styles)
    for role, fields in overrides.items():
        styles[role] = style_from_data(fields, Where("styles", role), styles[role])
    return styles
