"""An open edition: one `Session` per page, all composed by one `EditionComposer`.

Each page keeps its own session — document, undo stack, selection — for as long as the edition
is open, so switching pages keeps every page's undo history. A session's compose is the
edition's: a story edit on one page recomposes (from the composer's caches) exactly the pages it
reaches, and `pages_changed` tells the navigator which thumbnails to repaint.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from app.compose.edition import EditionComposer, EditionLayout
from app.compose.layout import PageLayout
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model import ArticleBlock, GridFrame, TextBlock
from app.model.edition import Edition, EditionPage
from app.model.editionfile import read_edition, save_edition
from app.model.place import free_frame, occupied
from app.model.plan import PlannedPage, add_page, book_ad, parse_slot

CONTINUATION_DEPTH = 20  # lines a new continuation takes at most (the staffer resizes it)


class EditionWorkspace(QObject):
    pages_changed = Signal(tuple)  # ids of pages whose display list is new
    page_switched = Signal(str)  # the current page's id
    plan_changed = Signal()  # pages added, removed or moved
    board_changed = Signal(tuple)  # ids of pages whose stage or holder changed (the team store)
    edited = Signal()  # any page's undo stack moved, or the plan changed (autosave listens)

    def __init__(self, edition: Edition):
        super().__init__()
        self.edition = edition
        self.composer = EditionComposer()
        self.sessions: dict[str, Session] = {}
        self.layouts: EditionLayout = self.composer.compose(edition)
        self.current = edition.pages[0].id
        self.plan_modified = False  # the plan is saved with the edition, not undone per page

    @classmethod
    def open(cls, folder: Path) -> EditionWorkspace:
        return cls(read_edition(folder))

    # -- composing -----------------------------------------------------------------------------
    def layout(self, page_id: str) -> PageLayout:
        return self.layouts.page(page_id)

    def recompose(self) -> EditionLayout:
        """Compose the edition (cached: only what changed) and announce the changed pages."""
        self.layouts = self.composer.compose(self.edition)
        if self.layouts.recomposed:
            self.pages_changed.emit(self.layouts.recomposed)
        return self.layouts

    def _compose_page(self, page_id: str) -> PageLayout:
        return self.recompose().page(page_id)

    # -- pages ---------------------------------------------------------------------------------
    def session(self, page_id: str) -> Session:
        """The page's session, made the first time the page is shown and kept after."""
        session = self.sessions.get(page_id)
        if session is None:
            page = self.edition.page(page_id)
            key = page.id  # the id `page_id` names (a page may be asked for by number)
            session = Session(page.document, lambda _document: self._compose_page(key))
            self.sessions[page_id] = session
            session.undo_stack.indexChanged.connect(lambda _index: self.edited.emit())
        return session

    def switch(self, page_id: str) -> Session:
        self.current = self.edition.page(page_id).id
        session = self.session(self.current)
        session.recompose()  # another page's edit may have moved this page's text
        self.page_switched.emit(self.current)
        return session

    def holder(self, page_id: str) -> str:
        """Who is editing the page; a folder edition has no locks (the team store's has)."""
        return ""

    def page(self, page_id: str | None = None) -> EditionPage:
        return self.edition.page(page_id or self.current)

    def title(self) -> str:
        page = self.page()
        return f"{self.edition.paper} {self.edition.date} · {page.label} {page.name}"

    @property
    def modified(self) -> bool:
        return self.plan_modified or any(s.modified for s in self.sessions.values())

    def save(self) -> None:
        """Every file of the edition, atomically; every page's undo stack marked clean."""
        save_edition(self.edition)
        self.plan_modified = False
        for session in self.sessions.values():
            session.undo_stack.setClean()

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()

    # -- the plan ------------------------------------------------------------------------------
    def move_page(self, page_id: str, to: int) -> None:
        """Put a page at plan position `to` (1-based); numbers, running heads and jump lines
        follow on the next compose."""
        self.edition.move(page_id, to)
        self._plan_edited()

    def add_page(self, name: str, at: int | None = None, color: bool = True) -> str:
        layout = self.page().document.layout.name  # a new page takes the current page's grid
        page = add_page(self.edition, PlannedPage(name, color, layout), at)
        self._plan_edited()
        return page.id

    def remove_page(self, page_id: str) -> None:
        """Drop a page from the plan (refused while a story jumps to or from it)."""
        if len(self.edition.pages) == 1:
            raise PasteupError(tr("一期至少要有一版"))
        page = self.edition.remove(page_id)
        session = self.sessions.pop(page.id, None)
        if session is not None:
            session.close()
        if self.current == page.id:
            self.current = self.edition.pages[0].id
        self._plan_edited()

    def book_ad(self, page_id: str, file: Path, size: str, at: str, advertiser: str) -> str:
        """Book an ad slot on a page; a file from outside the edition is copied into its
        `ads/` folder (under a name of its own), so the edition holds everything it prints."""
        folder = Path(self.edition.path or ".")
        file = Path(file)
        try:
            relative, copy = file.resolve().relative_to(folder.resolve()), False
        except ValueError:
            relative, copy = _free_name(folder, file), True
        slot = parse_slot(size, at)
        ad = book_ad(self.edition, page_id, relative.as_posix(), slot, advertiser)  # validates
        if copy:
            try:
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, folder / relative)
            except OSError:
                self.edition.ads.remove(ad)
                raise
        self._plan_edited()
        return ad.id

    def _plan_edited(self) -> None:
        """Recompose, then say the plan changed: the navigator repaints every page once."""
        self.plan_modified = True
        self.layouts = self.composer.compose(self.edition)
        self.plan_changed.emit()
        self.edited.emit()

    # -- jumps ---------------------------------------------------------------------------------
    def continue_story(
        self, block_id: str, target: str, at: tuple[float, float] | None = None
    ) -> str:
        """Continue the text block `block_id` (on any page) onto page `target`: a new block
        there, set from where this one hands off; undoable on the target page.

        It goes at `at` (points on the target page, snapped to the grid cell under it) when
        there is room there, else in the page's first free column area, as wide as the part
        it continues; ads and blocks are kept clear of. A page with no room refuses."""
        on = self.edition.block_pages()
        if block_id not in on:  # deleted while its marker was dragged
            raise PasteupError(tr("只有文字块可以转版"))
        block = self.page(on[block_id]).document.block(block_id)
        if not isinstance(block, ArticleBlock | TextBlock):
            raise PasteupError(tr("只有文字块可以转版"))
        after = _last_part(self.edition, block_id)
        page = self.edition.page(target)
        grid = page.document.layout.grid
        last = block.frames[-1]
        span = last.span if isinstance(last, GridFrame) else 2
        ads = [ad.frame for ad in self.edition.ads if ad.page == page.id]
        cell = (math.floor(grid.column_at(at[0])), math.floor(grid.line_at(at[1]))) if at else None
        frame = free_frame(occupied(page.document, ads), span, CONTINUATION_DEPTH, cell)
        if frame is None:
            raise PasteupError(tr("{page}没有空位可以转版", page=page.label))
        new_id = self.edition.new_id(f"{block.story}-")
        continuation = ArticleBlock(new_id, block.story, (frame,))
        self.session(page.id).push(ContinueStory(page, continuation, after))
        return new_id


def _free_name(folder: Path, file: Path) -> Path:
    """ads/NAME for a copy of `file`: its own name, or NAME-2 … when another file has it."""
    relative, n = Path("ads") / file.name, 1
    while (folder / relative).exists():
        n += 1
        relative = Path("ads") / f"{file.stem}-{n}{file.suffix}"
    return relative


def _last_part(edition: Edition, block_id: str) -> str:
    """The block a new continuation follows: the last part of `block_id`'s chain."""
    for links in edition.chains().values():
        if any(link.block == block_id for link in links):
            return links[-1].block
    return block_id


class ContinueStory(QUndoCommand):
    """A continuation block on `page` that follows `after` (one step on that page's stack)."""

    def __init__(self, page: EditionPage, block: ArticleBlock, after: str):
        super().__init__(tr("转版"))
        self.page, self.block, self.after = page, block, after

    def redo(self) -> None:
        self.page.continues[self.block.id] = self.after
        self.page.document.insert_block(self.block)

    def undo(self) -> None:
        del self.page.continues[self.block.id]
        self.page.document.remove_block(self.block.id)
