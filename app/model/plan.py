"""The page plan (版面计划): a new edition from a plan, and format-1 pages adopted into one.

A format-1 page becomes a member by adoption: its stories join the edition's table, ids that
clash with the edition's are renamed (and reported), its photos are copied beside the page
file so their relative paths still hold. Upgrading a page is adopting it into a new, empty
edition; the old file is never touched.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path, PurePosixPath

from app.errors import PasteupError
from app.model.adpdf import is_pdf, read_ad_pdf
from app.model.blocks import CaptionBlock, GridFrame, PhotoBlock, RunningHeadBlock
from app.model.document import PageDocument
from app.model.edition import Ad, Edition, EditionPage, EditionPageDocument, ad_misfit
from app.model.layouts import load_layout

# The 报眉's outer part on a new edition's pages: date, weekday, 期号 and 版次 (A02版 or 第2版).
EDITION_HEAD_RIGHT = "{date} {weekday}  {issue}  {label}"


@dataclasses.dataclass(frozen=True, slots=True)
class PlannedPage:
    name: str = ""
    color: bool = True
    layout: str = "broadsheet-8col"
    section: str = ""  # section letter (A, B …) when the edition numbers by section


def new_edition(
    folder: Path, paper: str, date: str, plan: list[PlannedPage], issue: str = ""
) -> Edition:
    """An edition of empty pages (each with its 报眉), numbered as the plan says."""
    numbering = "section" if any(p.section for p in plan) else "number"
    edition = Edition(paper, date, issue, numbering, True, [], {}, path=Path(folder))
    for planned in plan:
        add_page(edition, planned)
    return edition


def add_page(edition: Edition, planned: PlannedPage, at: int | None = None) -> EditionPage:
    """An empty page (with its 报眉) at plan position `at` (1-based; default last); the
    edition is renumbered."""
    folder = Path(edition.path or ".")
    page_id = edition.new_id("p")
    document = EditionPageDocument(
        meta=None,  # type: ignore[arg-type]  # set by renumber() below
        layout=load_layout(planned.layout, folder),
        style_overrides={},
        stories={},
        blocks=[RunningHeadBlock(f"{page_id}-head", right=EDITION_HEAD_RIGHT)],
        path=folder / f"{page_id}.json",
        edition=edition,
        page_id=page_id,
    )
    page = EditionPage(page_id, planned.section or "1", planned.name, planned.color, document)
    position = len(edition.pages) if at is None else max(0, min(at - 1, len(edition.pages)))
    edition.pages.insert(position, page)
    edition.renumber()
    return page


def adopt_page(
    edition: Edition, document: PageDocument, at: int | None = None
) -> tuple[EditionPage, list[tuple[str, str]]]:
    """Make a format-1 page a member at plan position `at` (1-based; default last).

    Returns the page and the renamed ids as (old, new) pairs.
    """
    if edition.path is None:
        raise ValueError("the edition needs its folder before it adopts a page")
    renames: list[tuple[str, str]] = []
    story_ids: dict[str, str] = {}
    for story in document.stories.values():
        new = story.id
        if new in edition.stories:
            new = edition.new_id(f"{story.id}-")
            renames.append((story.id, new))
        story_ids[story.id] = new
        edition.stories[new] = dataclasses.replace(story, id=new)
    taken = set(edition.block_pages()) | {ad.id for ad in edition.ads}
    block_ids: dict[str, str] = {}
    for block in document.blocks:
        new = block.id
        if new in taken:
            new = edition.new_id(f"{block.id}-")
            renames.append((block.id, new))
        block_ids[block.id] = new
        taken.add(new)
    blocks = [_renamed(b, block_ids, story_ids) for b in document.blocks]
    page_id = edition.new_id("p")
    folder = edition.path
    blocks = [_photo_copied(b, document.base_dir(), folder) for b in blocks]
    member = EditionPageDocument(
        meta=document.meta,
        layout=document.layout,
        style_overrides=document.style_overrides,
        stories={},
        blocks=blocks,
        proof=document.proof,
        path=folder / f"{page_id}.json",
        edition=edition,
        page_id=page_id,
    )
    meta = document.meta
    page = EditionPage(
        page_id, meta.edition or "1", meta.page_name, True, member, editors=meta.editors
    )
    position = len(edition.pages) if at is None else max(0, min(at - 1, len(edition.pages)))
    edition.pages.insert(position, page)
    if len(edition.pages) == 1:  # a page's own number is kept when it is the whole edition
        edition.refresh_meta()
    else:
        edition.renumber()
    return page, renames


def parse_slot(size: str, at: str) -> tuple[int, int, int, int]:
    """'4x24' (columns × lines) and '4,80' (first column, first line) → (col, line, cols, lines)."""
    try:
        cols, lines = (int(n) for n in size.lower().replace("×", "x").split("x"))
        col, line = (int(n) for n in at.replace("，", ",").split(","))
    except ValueError:
        raise PasteupError(
            f"{size} @ {at}: 广告位写法如 4x24 @ 4,80 (expected columns x lines @ column,line)"
        ) from None
    return col, line, cols, lines


def book_ad(
    edition: Edition,
    page_key: str,
    file: str,
    grid_box: tuple[int, int, int, int],
    advertiser: str = "",
    *,
    ad_id: str = "",
    placeholder: bool = False,
) -> Ad:
    """Book an ad slot (first column, first line, columns, lines) on a page of the plan; a PDF
    ad already in the folder must be one readable, unencrypted page (else PasteupError)."""
    page = edition.page(page_key)
    col, line, cols, lines = grid_box
    if min(grid_box) < 0 or cols < 1 or lines < 1:
        raise PasteupError(f"{file}: 广告位大小无效 (an ad needs ≥ 1 column and ≥ 1 line)")
    frame = GridFrame(col, cols, line, lines)
    if problem := ad_misfit(frame, page.document.layout.grid):
        raise PasteupError(f"{file}: {problem}")
    path = Path(edition.path or ".") / file
    if is_pdf(path) and path.exists():  # a PDF that has arrived is checked now; awaited, later
        read_ad_pdf(path)
    ad_id = ad_id or edition.new_id("ad")
    if ad_id in edition.block_pages() or any(a.id == ad_id for a in edition.ads):
        raise PasteupError(f"{ad_id}: 编号已被占用 (the id is taken)")
    ad = Ad(ad_id, page.id, advertiser, file, frame, placeholder)
    edition.ads.append(ad)
    return ad


def upgrade_page(document: PageDocument, folder: Path) -> Edition:
    """A format-1 page as a one-page edition in `folder`; its number, name and text kept."""
    meta = document.meta
    edition = Edition(meta.paper, meta.date, "", "number", False, [], {}, path=Path(folder))
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PasteupError(
            f"{folder}: 无法建立版期目录 (cannot make the folder): {error}"
        ) from None
    adopt_page(edition, document)
    return edition


def _renamed(block, block_ids: dict[str, str], story_ids: dict[str, str]):
    changes: dict = {"id": block_ids[block.id]}
    if getattr(block, "story", ""):
        changes["story"] = story_ids[block.story]
    if isinstance(block, CaptionBlock):
        changes["photo"] = block_ids.get(block.photo, block.photo)
    return dataclasses.replace(block, **changes)


def _photo_copied(block, source: Path, folder: Path):
    """A photo's file copied to the same relative place beside the page in `folder`; a path
    that leaves the page's folder is made absolute instead, so the picture is never lost."""
    if not isinstance(block, PhotoBlock):
        return block
    relative = PurePosixPath(block.image)
    origin = source / block.image
    if relative.is_absolute() or ".." in relative.parts:
        return dataclasses.replace(block, image=str(origin.resolve()))
    target = folder / block.image
    if origin.is_file() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(origin, target)
        except OSError as error:
            raise PasteupError(f"{target}: 无法复制图片 (cannot copy the photo): {error}") from None
    return block
