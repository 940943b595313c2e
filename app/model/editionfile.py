"""The edition folder (format 2): `edition.json`, one file per page, one per story.

docs/edition.md describes every field. A page file holds what format 1 holds minus the stories
(they live in `stories/ID.json`, shared by the pages) and plus `continues` on text blocks; it is
read through the format-1 page loader, so both formats validate a page the same way. Every file
is saved atomically (`write_atomic`), so a page or a story can be saved on its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.errors import PasteupError
from app.model.blocks import Frame, FreeFrame, GridFrame
from app.model.edition import (
    STAGES,
    Ad,
    Edition,
    EditionPage,
    EditionPageDocument,
    StatusChange,
    ad_misfit,
)
from app.model.fields import (
    Where,
    as_bool,
    as_choice,
    as_dict,
    as_int,
    as_length,
    as_list,
    as_mapping,
    as_str,
)
from app.model.fileformat import _stories, document_from_data, document_to_data, read_json
from app.model.save import write_atomic
from app.model.story import Story

FORMAT = 2
EDITION_FILE = "edition.json"
STORIES_DIR = "stories"
_TOP = ("format", "paper", "date", "issue", "numbering", "running_heads", "pages", "stories", "ads")
_PAGE = ("id", "number", "name", "color", "editors", "status")
_PAGE_FILE = ("format", "layout", "styles", "blocks", "proof")


def is_edition(path: Path) -> bool:
    return Path(path).is_dir() and (Path(path) / EDITION_FILE).is_file()


# -- reading -----------------------------------------------------------------------------------
def read_edition(folder: Path, read: Callable[[Path], Any] = read_json) -> Edition:
    """Load and validate an edition folder; every problem is one line naming file and field.

    `read` gives the parsed JSON of a file of the folder: a store that keeps the files
    elsewhere (app.model.store) passes its own, so one loader validates both."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PasteupError(f"{folder}: 不是版期目录 (not an edition folder)")
    path = folder / EDITION_FILE
    data = read(path)
    where = Where(str(path))
    if not isinstance(data, dict):
        raise where.error("expected an edition (a JSON object)")
    _check_format(data.get("format"), where.key("format"))
    as_dict(data, where, _TOP, required=("format", "pages", "stories"))
    stories = {}
    for i, story_id in enumerate(as_list(data["stories"], where.key("stories"), _name)):
        if story_id in stories:
            raise where.key("stories").index(i).error(f"story {story_id!r} listed twice")
        story_path = folder / STORIES_DIR / f"{story_id}.json"
        stories.update(_story(read(story_path), Where(str(story_path)), story_id))
    heads = as_dict(data.get("running_heads", {}), where.key("running_heads"), ("mirror",))
    edition = Edition(
        paper=as_str(data.get("paper", ""), where.key("paper")),
        date=as_str(data.get("date", ""), where.key("date")),
        issue=as_str(data.get("issue", ""), where.key("issue")),
        numbering=as_choice(
            data.get("numbering", "number"), where.key("numbering"), ("number", "section")
        ),
        mirror_heads=as_bool(heads.get("mirror", False), where.key("running_heads.mirror")),
        pages=[],
        stories=stories,
        path=folder,
    )
    numbers: dict[str, int] = {}
    for i, entry in enumerate(as_list(data["pages"], where.key("pages"), lambda v, w: v)):
        page = _page(entry, where.key("pages").index(i), edition, folder, read)
        if page.number in numbers:
            raise (
                where.key("pages")
                .index(i)
                .key("number")
                .error(
                    f"两版同为第 {page.number} 版 (two pages with one number; also pages"
                    f"[{numbers[page.number]}])"
                )
            )
        numbers[page.number] = i
        edition.pages.append(page)
    _check_ids(edition, folder)
    edition.ads = as_list(data.get("ads", []), where.key("ads"), lambda v, w: _ad(v, w, edition))
    edition.refresh_meta()
    edition.chains()  # a broken chain or a cycle is refused when the edition opens
    return edition


def page_in_edition(path: Path) -> EditionPageDocument:
    """A page file of an edition folder, opened with its edition (page commands use this)."""
    if not (path.parent / EDITION_FILE).is_file():
        raise PasteupError(
            f"{path}: 是版期中的一版 (format 2)，但旁边没有 {EDITION_FILE} "
            "(a page of an edition without its edition.json)"
        )
    edition = read_edition(path.parent)
    for page in edition.pages:
        if page.document.path is not None and page.document.path.name == path.name:
            return page.document
    raise PasteupError(
        f"{path}: 不在 {path.parent / EDITION_FILE} 的版面计划中 (not a page of the plan)"
    )


def save_edition_page(document: EditionPageDocument) -> None:
    """Save a page of an edition on its own: its page file and the stories it sets."""
    edition = document.edition
    assert edition is not None
    page = edition.page(document.page_id)
    for story_id in document.stories:
        save_story(edition, story_id)
    save_page(edition, page)


def _check_format(version: Any, where: Where) -> None:
    if version == FORMAT:
        return
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        raise where.error(f"written by a newer Pasteup (format {version}); this reads {FORMAT}")
    raise where.error(f"expected {FORMAT}, got {version!r}")


def _name(value: Any, where: Where) -> str:
    name = as_str(value, where, empty=False)
    if "/" in name or "\\" in name or name.startswith(".") or name == "edition":
        raise where.error(f"{name!r} cannot name a file in the edition folder")
    return name


def story_from_data(data: Any, where: Where, story_id: str) -> Story:
    """One story file's content, validated (a store reads its story records through this)."""
    return _story(data, where, story_id)[story_id]


def status_from_data(data: Any, where: Where) -> list[StatusChange]:
    """A page's stage history (`pages[].status` of the plan), validated."""
    return as_list(data, where, _status)


def _story(data: Any, where: Where, story_id: str) -> dict:
    if not isinstance(data, dict):
        raise where.error("expected a story (a JSON object)")
    _check_format(data.get("format"), where.key("format"))
    body = {k: v for k, v in data.items() if k != "format"}
    return _stories({story_id: body}, where)


def _page(
    entry: Any, where: Where, edition: Edition, folder: Path, read: Callable[[Path], Any]
) -> EditionPage:
    as_dict(entry, where, _PAGE, required=("id", "number"))
    page_id = _name(entry["id"], where.key("id"))
    editors_at = where.key("editors")
    editors = tuple(
        (k, as_str(v, editors_at.key(k)))
        for k, v in as_mapping(entry.get("editors", {}), editors_at).items()
    )
    history = as_list(entry.get("status", []), where.key("status"), _status)
    path = folder / f"{page_id}.json"
    document, continues = read_page_file(path, edition, read)
    document.page_id = page_id
    return EditionPage(
        id=page_id,
        number=as_str(entry["number"], where.key("number"), empty=False),
        name=as_str(entry.get("name", ""), where.key("name")),
        color=as_bool(entry.get("color", True), where.key("color")),
        document=document,
        continues=continues,
        history=history,
        editors=editors,
    )


def _status(value: Any, where: Where) -> StatusChange:
    data = as_dict(value, where, ("stage", "by", "at"), required=("stage",))
    return StatusChange(
        as_choice(data["stage"], where.key("stage"), STAGES),
        as_str(data.get("by", ""), where.key("by")),
        as_str(data.get("at", ""), where.key("at")),
    )


def read_page_file(
    path: Path, edition: Edition, read: Callable[[Path], Any] = read_json
) -> tuple[EditionPageDocument, dict[str, str]]:
    """One page of the edition, validated by the page loader; its blocks' `continues` apart."""
    data = read(path)
    where = Where(str(path))
    if not isinstance(data, dict):
        raise where.error("expected a page (a JSON object)")
    _check_format(data.get("format"), where.key("format"))
    as_dict(data, where, _PAGE_FILE, required=("format", "layout", "blocks"))
    blocks = data["blocks"]
    if not isinstance(blocks, list):
        raise where.key("blocks").error("expected a list")
    continues: dict[str, str] = {}
    plain = []
    for i, block in enumerate(blocks):
        if isinstance(block, dict) and "continues" in block:
            at = where.key("blocks").index(i).key("continues")
            if block.get("type") not in ("article", "text"):
                raise at.error("only article and text blocks continue a story")
            continues[str(block.get("id"))] = as_str(block["continues"], at, empty=False)
            block = {k: v for k, v in block.items() if k != "continues"}
        plain.append(block)
    # only names: a story field of another type is for the page loader below to refuse
    wanted = {b["story"] for b in plain if isinstance(b, dict) and isinstance(b.get("story"), str)}
    stories = {
        story.id: _story_data(story) for sid, story in edition.stories.items() if sid in wanted
    }
    page = {**data, "format": 1, "stories": stories, "blocks": plain}
    loaded = document_from_data(page, where, path.parent)
    document = EditionPageDocument(
        meta=loaded.meta,
        layout=loaded.layout,
        style_overrides=loaded.style_overrides,
        stories={},
        blocks=loaded.blocks,
        proof=loaded.proof,
        path=path,
        edition=edition,
    )
    return document, continues


def _check_ids(edition: Edition, folder: Path) -> None:
    seen: dict[str, str] = {}
    for page in edition.pages:
        for block in page.document.blocks:
            if block.id in seen:
                raise PasteupError(
                    f"{folder / (page.id + '.json')}: blocks.{block.id}: 文框编号重复 (duplicate "
                    f"block id in the edition; also on page {seen[block.id]})"
                )
            seen[block.id] = page.number


def _ad(value: Any, where: Where, edition: Edition) -> Ad:
    data = as_dict(
        value,
        where,
        ("id", "page", "advertiser", "file", "position", "size", "placeholder"),
        required=("id", "page", "file", "position", "size"),
    )
    ad_id = as_str(data["id"], where.key("id"), empty=False)
    if ad_id in edition.block_pages():
        raise where.key("id").error(f"id {ad_id!r} is already a block's")
    page_id = as_str(data["page"], where.key("page"), empty=False)
    if not any(p.id == page_id for p in edition.pages):
        raise where.key("page").error(f"no page {page_id!r} in the plan")
    position, size = data["position"], data["size"]
    pos_at, size_at = where.key("position"), where.key("size")
    frame: Frame
    if isinstance(size, dict) and "cols" in size:
        as_dict(size, size_at, ("cols", "lines"), required=("cols", "lines"))
        as_dict(position, pos_at, ("col", "line"), required=("col", "line"))
        slot = GridFrame(
            col=as_int(position["col"], pos_at.key("col"), minimum=0),
            span=as_int(size["cols"], size_at.key("cols"), minimum=1),
            line=as_int(position["line"], pos_at.key("line"), minimum=0),
            depth=as_int(size["lines"], size_at.key("lines"), minimum=1),
        )
        if problem := ad_misfit(slot, edition.page(page_id).document.layout.grid):
            raise size_at.error(problem)
        frame = slot
    else:
        as_dict(size, size_at, ("w", "h"), required=("w", "h"))
        as_dict(position, pos_at, ("x", "y"), required=("x", "y"))
        free = FreeFrame(
            as_length(position["x"], pos_at.key("x")),
            as_length(position["y"], pos_at.key("y")),
            as_length(size["w"], size_at.key("w")),
            as_length(size["h"], size_at.key("h")),
        )
        if free.w <= 0 or free.h <= 0:
            raise size_at.error("an ad needs a positive width and height")
        frame = free
    return Ad(
        id=ad_id,
        page=page_id,
        advertiser=as_str(data.get("advertiser", ""), where.key("advertiser")),
        file=as_str(data["file"], where.key("file"), empty=False),
        frame=frame,
        placeholder=as_bool(data.get("placeholder", False), where.key("placeholder")),
    )


# -- writing -----------------------------------------------------------------------------------
def story_to_data(story) -> dict[str, Any]:
    """A story file's content (`stories/ID.json`)."""
    return {"format": FORMAT, **_story_data(story)}


def _story_data(story) -> dict[str, Any]:
    return {
        **({"source": story.source} if story.source else {}),
        "paragraphs": [{"role": p.role, "text": p.text} for p in story.paragraphs],
    }


def dumps(data: Any) -> bytes:
    """The bytes of every file of the folder: one serialisation, so load → save is identical."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def edition_to_data(edition: Edition) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "paper": edition.paper,
        "date": edition.date,
        "issue": edition.issue,
        "numbering": edition.numbering,
        "running_heads": {"mirror": edition.mirror_heads},
        "pages": [
            {
                "id": page.id,
                "number": page.number,
                "name": page.name,
                "color": page.color,
                "editors": dict(page.editors),
                "status": [{"stage": s.stage, "by": s.by, "at": s.at} for s in page.history],
            }
            for page in edition.pages
        ],
        "stories": list(edition.stories),
        "ads": [_ad_to_data(ad) for ad in edition.ads],
    }


def _ad_to_data(ad: Ad) -> dict[str, Any]:
    if isinstance(ad.frame, GridFrame):
        position: dict[str, Any] = {"col": ad.frame.col, "line": ad.frame.line}
        size: dict[str, Any] = {"cols": ad.frame.span, "lines": ad.frame.depth}
    else:
        position, size = {"x": ad.frame.x, "y": ad.frame.y}, {"w": ad.frame.w, "h": ad.frame.h}
    out = {"id": ad.id, "page": ad.page, "advertiser": ad.advertiser, "file": ad.file}
    return {**out, "position": position, "size": size, "placeholder": ad.placeholder}


def page_to_data(page: EditionPage) -> dict[str, Any]:
    data = document_to_data(page.document)
    blocks = []
    for block in data["blocks"]:
        after = page.continues.get(block["id"])
        blocks.append({**block, "continues": after} if after else block)
    return {
        "format": FORMAT,
        "layout": data["layout"],
        "styles": data["styles"],
        "blocks": blocks,
        "proof": data["proof"],
    }


def save_edition(edition: Edition, folder: Path | None = None) -> None:
    """Write every file of the edition atomically: stories, pages, then the plan."""
    folder = _folder(edition, folder)
    try:
        (folder / STORIES_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PasteupError(
            f"{folder}: 无法建立版期目录 (cannot make the folder): {error}"
        ) from None
    for story in edition.stories.values():
        save_story(edition, story.id, folder)
    for page in edition.pages:
        save_page(edition, page, folder)
    edition.path = folder
    save_plan(edition)


def save_plan(edition: Edition) -> None:
    """Only `edition.json`: the plan, numbers, stages and ads (a move touches nothing else)."""
    write_atomic(_folder(edition) / EDITION_FILE, dumps(edition_to_data(edition)))


def save_page(edition: Edition, page: EditionPage, folder: Path | None = None) -> None:
    path = _folder(edition, folder) / f"{page.id}.json"
    write_atomic(path, dumps(page_to_data(page)))
    page.document.path = path


def save_story(edition: Edition, story_id: str, folder: Path | None = None) -> None:
    story = edition.stories[story_id]
    path = _folder(edition, folder) / STORIES_DIR / f"{story_id}.json"
    write_atomic(path, dumps(story_to_data(story)))


def _folder(edition: Edition, folder: Path | None = None) -> Path:
    """Where the edition's files go: `folder` if given, else the folder it was read from."""
    where = folder or edition.path
    if where is None:
        raise PasteupError("版期尚未保存，没有目录 (the edition has no folder yet)")
    return Path(where)
