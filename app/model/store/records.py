"""An edition as records: what the team store keeps apart so people do not collide.

A text editor correcting a story and a layout staffer moving its block save different records,
so both land. The records of an edition are

- `plan` (key ""): `edition.json` without the pages' stages,
- `status` (key: page id): a page's stage history (排版中 … 签版 … 已付印),
- `page` (key: page id): the page file without its proof rounds (layout: blocks, geometry),
- `proof` (key: page id): the page's proof rounds (a proofreader's marks),
- `story` (key: story id): a story file,

each the JSON the edition folder holds (app.model.editionfile serialises, one way only), and the
pictures the pages and ads use, by path relative to the folder. `files(records)` puts the
records back together as the folder's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from app.errors import PasteupError
from app.model.blocks import PhotoBlock
from app.model.edition import Edition
from app.model.editionfile import (
    EDITION_FILE,
    STORIES_DIR,
    edition_to_data,
    page_to_data,
    story_to_data,
)

KINDS = ("plan", "status", "page", "proof", "story")
Key = tuple[str, str]  # (kind, key)


@dataclass(frozen=True, slots=True)
class Change:
    """One record to save: its new body (None: removed), the version it started from, and the
    saver's lock of it (app.model.store.live; "" when none is held)."""

    kind: str
    key: str
    data: Any
    base: int
    token: str = ""


def edition_records(edition: Edition) -> dict[Key, Any]:
    """Every record of the edition, in a stable order (plan, then per page, then stories)."""
    plan = edition_to_data(edition)
    out: dict[Key, Any] = {("plan", ""): {**plan, "pages": [_entry(p) for p in plan["pages"]]}}
    for entry, page in zip(plan["pages"], edition.pages, strict=True):
        out[("status", page.id)] = entry["status"]
        out.update(page_records(edition, page.id))
    for story in edition.stories.values():
        out[("story", story.id)] = story_to_data(story)
    return out


def page_records(edition: Edition, page_id: str) -> dict[Key, Any]:
    """A page's layout and its proof rounds: two records (a proofreader changes only the second)."""
    data = page_to_data(edition.page(page_id))
    proof = data.pop("proof")
    return {("page", page_id): data, ("proof", page_id): proof}


def record(edition: Edition, kind: str, key: str) -> Any:
    """One record of the edition as it is in memory now."""
    if kind == "plan":
        return edition_records(edition)[("plan", "")]
    if kind == "status":
        page = edition.page(key)
        return [{"stage": s.stage, "by": s.by, "at": s.at} for s in page.history]
    if kind in ("page", "proof"):
        return page_records(edition, key)[(kind, key)]
    if kind == "story":
        return story_to_data(edition.stories[key])
    raise ValueError(kind)


def _entry(page: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in page.items() if k != "status"}


def files(records: dict[Key, Any]) -> dict[str, Any]:
    """The folder's files (relative path → JSON) the records make."""
    plan = records[("plan", "")]
    pages = [{**e, "status": records.get(("status", e["id"]), [])} for e in plan["pages"]]
    out: dict[str, Any] = {EDITION_FILE: {**plan, "pages": pages}}
    for (kind, key), data in records.items():
        if kind == "page":
            out[f"{key}.json"] = {**data, "proof": records.get(("proof", key), {})}
        elif kind == "story":
            out[f"{STORIES_DIR}/{key}.json"] = data
    return out


def asset_paths(edition: Edition) -> list[str]:
    """The pictures the edition uses (photos, ad files), relative to its folder, each once.

    A picture outside the folder cannot travel with the edition: refused, naming it."""
    folder = Path(edition.path or ".")
    names = [ad.file for ad in edition.ads]
    for page in edition.pages:
        names += [b.image for b in page.document.blocks if isinstance(b, PhotoBlock)]
    out: list[str] = []
    for name in names:
        relative = safe_relative(name, f"{folder}: {name}")
        if relative not in out:
            out.append(relative)
    return out


def safe_relative(name: str, where: str) -> str:
    """A path inside the edition folder, as POSIX text; a way out of it is refused."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise PasteupError(f"{where}: 路径不在版期目录中 (a path outside the edition folder)")
    return path.as_posix()
