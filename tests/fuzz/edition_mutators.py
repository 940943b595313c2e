"""Structure-aware mutators for edition folders (docs/edition.md): the plan `edition.json`, its
page files and story files, and the folder itself.

An input is a folder, so it travels as the JSON of what changes in the sample edition (SEED):
`{"files": {PATH: CHANGE}}` where CHANGE is the file's new text, `{"base64": …}` for bytes that
are not UTF-8, `null` to delete it, `{"link": TARGET}` for a symlink (/dev/zero, a loop, a file
outside), `{"fifo": true}` or `{"dir": true}`. `materialise` builds the folder from it. The
mutations aim where an edition is fragile: the page list (pages dropped, doubled, reordered,
renumbered, ids that are paths), jumps (`continues` onto nothing, itself, a photo, another
story, into a cycle; two blocks continuing one), ad slots (off the grid, on no page, their file
missing or a page file), stages, and duplicated or missing references between the files.
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

from mutators import HOSTILE_TEXT, MAX_INPUT, ROOT, corrupt_bytes, hostile_value, mutate_tree

SEED = ROOT / "assets" / "samples" / "edition"
PLAN = "edition.json"
STAGES = ["排版中", "一校", "二校", "三校", "签版", "已付印"]
BAD_IDS = ["../p1", "p1/x", ".hidden", "edition", "", "p\x00", "x" * 300, "p1.json", "stories/lead",
           "/etc/passwd", "p 1", "第一版", "con"]  # fmt: skip
LINKS = ["/dev/zero", "/dev/null", "/", "loop", "/etc/passwd", "p1.json", "stories", "missing"]

# What runs once `edition status` has accepted the folder ("D" the folder, "P" the plant's); the
# input names one, so a kept case replays exactly what failed. Indexes of read-only commands:
# they may change nothing in the folder.
COMMANDS = [
    ["edition", "export", "D", "-o", "P", "--jobs", "1"],
    ["edition", "export", "D", "-o", "P", "--proof", "--jobs", "1"],
    ["edition", "info", "D", "--json"],
    ["edition", "compose", "D", "--json"],
    ["edition", "export", "D", "-o", "P", "--force", "--jobs", "2", "--pattern", "{number}-{name}.pdf"],
    ["edition", "status", "D", "2", "--set", "一校", "--by", "校对"],
    ["edition", "move", "D", "1", "--to", "2"],
    ["preflight", "D/p1.json"],
    ["edition", "signoff", "D", "3", "--by", "总编"],
    ["edition", "remove", "D", "4"],
    ["edition", "book-ad", "D", "3", "ads/ad-front.jpg", "--size", "2x10", "--at", "4,20"],
    ["edition", "export", "D", "-o", "P", "--pages", "1,3", "--pdfx", "1a", "--jobs", "1"],
]  # fmt: skip
READ_ONLY = {2, 3, 7}


def seed_edition() -> dict[str, Any]:
    """The sample edition's JSON files, parsed: the plan, `p1`…`p4` and `stories/…`."""
    files = {}
    for path in sorted(SEED.rglob("*.json")):
        files[str(path.relative_to(SEED))] = json.loads(path.read_text(encoding="utf-8"))
    return files


def edition_input(rnd: random.Random, seed: dict[str, Any]) -> bytes:
    """One mutated edition folder, as the JSON of its changes."""
    trees = json.loads(json.dumps(seed))  # a deep copy
    raw: dict[str, Any] = {}
    for _ in range(rnd.choice([1, 1, 1, 2, 3, 5])):
        roll = rnd.random()
        if roll < 0.3:
            _mutate_plan(trees[PLAN], trees, rnd)
        elif roll < 0.55:
            _mutate_jumps(trees, rnd)
        elif roll < 0.8:
            name = rnd.choice(sorted(trees))
            trees[name] = mutate_tree(trees[name], rnd, rnd.choice([1, 1, 2, 3]))
        else:
            _mutate_files(trees, raw, rnd)
    changes: dict[str, Any] = {}
    for name, tree in trees.items():
        if name in raw:
            continue
        if tree != seed.get(name):
            text = json.dumps(tree, ensure_ascii=False, indent=1)
            changes[name] = text[:MAX_INPUT]
    changes.update(raw)
    command = rnd.randrange(len(COMMANDS))
    out = {"command": command, "files": changes}
    return json.dumps(out, ensure_ascii=False).encode("utf-8", "surrogatepass")


def command(data: bytes, folder: Path, plant: Path) -> tuple[int, list[str]]:
    """The input's follow-up command (its index, and argv with the folders put in)."""
    try:
        index = int(json.loads(data.decode("utf-8", "surrogatepass"))["command"]) % len(COMMANDS)
    except (ValueError, KeyError, TypeError):
        index = 0
    places = {"D": str(folder), "P": str(plant), "D/p1.json": str(folder / "p1.json")}
    return index, [places.get(arg, arg) for arg in COMMANDS[index]]


def _page_names(trees: dict[str, Any]) -> list[str]:
    return sorted(n for n in trees if n != PLAN and "/" not in n)


def _page_blocks(page: Any) -> list:
    """A page file's block list, or a new empty one if a mutation left it none."""
    blocks = page.get("blocks") if isinstance(page, dict) else None
    return blocks if isinstance(blocks, list) else []


def _blocks(trees: dict[str, Any], rnd: random.Random) -> tuple[list, dict] | None:
    """A random block of a random page file, with the list it is in."""
    blocks = _page_blocks(trees[rnd.choice(_page_names(trees))])
    if not blocks:
        return None
    block = rnd.choice(blocks)
    return (blocks, block) if isinstance(block, dict) else None


def _block_ids(trees: dict[str, Any]) -> list[str]:
    ids = []
    for name in _page_names(trees):
        for block in _page_blocks(trees[name]):
            if isinstance(block, dict) and isinstance(block.get("id"), str):
                ids.append(block["id"])
    return ids or ["renda"]


def _mutate_plan(plan: Any, trees: dict[str, Any], rnd: random.Random) -> None:
    """A change to the page list, the story list, the ads or the stages."""
    if not isinstance(plan, dict):
        return
    pages = plan.get("pages") if isinstance(plan.get("pages"), list) else None
    stories = plan.get("stories") if isinstance(plan.get("stories"), list) else None
    ads = plan.get("ads") if isinstance(plan.get("ads"), list) else None
    op = rnd.randrange(14)
    if pages and op == 0:
        del pages[rnd.randrange(len(pages))]  # a page file nobody lists; its jumps dangle
    elif pages and op == 1:
        pages.insert(rnd.randrange(len(pages) + 1), json.loads(json.dumps(rnd.choice(pages))))
    elif pages and op == 2:
        rnd.shuffle(pages)
    elif pages and op == 3 and isinstance(page := rnd.choice(pages), dict):
        page["number"] = rnd.choice(
            [p.get("number") for p in pages if isinstance(p, dict)]
            + ["A01", "B99", "0", "-1", "01", "1e9", "", "第一版", 3]
        )
    elif pages and op == 4 and isinstance(page := rnd.choice(pages), dict):
        page["id"] = rnd.choice(BAD_IDS + [p.get("id") for p in pages if isinstance(p, dict)])
    elif pages and op == 5 and isinstance(page := rnd.choice(pages), dict):
        history = page.setdefault("status", [])
        if isinstance(history, list):
            entry = {"stage": rnd.choice([*STAGES, "付印", "", 1]), "by": rnd.choice(HOSTILE_TEXT),
                     "at": rnd.choice(["2026-01-09T22:00:00+08:00", "", "nan", "9" * 40])}  # fmt: skip
            history.extend([entry] * rnd.choice([1, 1, 2, 500]))
    elif pages and op == 6 and isinstance(page := rnd.choice(pages), dict):
        page["name"] = rnd.choice(HOSTILE_TEXT)  # names go into file patterns and running heads
    elif stories and op == 7:
        del stories[rnd.randrange(len(stories))]  # a page sets a story the plan does not list
    elif stories is not None and op == 8:
        stories.append(rnd.choice([*stories, "missing", "../lead", "", "renda-2"]))
    elif op == 9:
        plan["numbering"] = rnd.choice(["section", "number", "", "roman", None])
    elif ads and op in (10, 11) and isinstance(ad := rnd.choice(ads), dict):
        _mutate_ad(ad, trees, rnd)
    elif ads is not None and op == 12:
        ads.append(json.loads(json.dumps(rnd.choice(ads))) if ads else {})
    elif op == 13:
        plan.pop(rnd.choice(["pages", "stories", "ads", "format", "running_heads", "date"]), None)


def _mutate_ad(ad: dict, trees: dict[str, Any], rnd: random.Random) -> None:
    field = rnd.choice(["page", "file", "id", "position", "size", "placeholder"])
    if field == "page":
        ad["page"] = rnd.choice(["p1", "p2", "p3", "p4", "p9", "", "1", *BAD_IDS[:3]])
    elif field == "file":
        ad["file"] = rnd.choice(["ads/ad-full.jpg", "p1.json", "ads", "missing.jpg", "/dev/zero",
                                 "../../../etc/passwd", "photo-placeholder.jpg", "", "edition.json",
                                 "stories/lead.json", "ads/../ads/ad-front.jpg"])  # fmt: skip
    elif field == "id":
        ad["id"] = rnd.choice([*_block_ids(trees), "ad-full", "ad-front", "p1", ""])
    elif field == "position":
        ad["position"] = rnd.choice([{"col": rnd.randint(-2, 9), "line": rnd.randint(-5, 200)},
                                     {"x": "10mm", "y": rnd.choice(["0mm", "-5mm", "1e9mm"])},
                                     {"col": 0}, {}, [0, 0]])  # fmt: skip
    elif field == "size":
        ad["size"] = rnd.choice([{"cols": rnd.randint(-1, 9), "lines": rnd.randint(-1, 300)},
                                 {"w": rnd.choice(["100mm", "0mm", "1e300mm"]), "h": "50mm"},
                                 {"cols": 8}, {"w": "10mm"}, 3])  # fmt: skip
    else:
        ad["placeholder"] = rnd.choice([True, False, "yes", None])


def _mutate_jumps(trees: dict[str, Any], rnd: random.Random) -> None:
    """`continues` and block ids: dangling, self, cyclic, doubled, across stories and pages."""
    found = _blocks(trees, rnd)
    if found is None:
        return
    blocks, block = found
    ids = _block_ids(trees)
    op = rnd.randrange(7)
    if op == 0:
        block["continues"] = rnd.choice([*ids, "missing", "", 3, None])
    elif op == 1:
        block["continues"] = block.get("id")  # a block continuing itself
    elif op == 2:  # close the renda chain into a cycle, or double a continuation
        at = rnd.choice(ids)
        for name in _page_names(trees):
            for other in _page_blocks(trees[name]):
                if isinstance(other, dict) and other.get("id") == "renda":
                    other["continues"] = at
    elif op == 3:
        block["id"] = rnd.choice(ids)  # the same id twice in the edition
    elif op == 4:
        block["story"] = rnd.choice(["renda", "lead", "missing", "", "photo-caption"])
    elif op == 5:  # a block moved to another page (its continuation now crosses pages)
        blocks.remove(block)
        target = trees[rnd.choice(_page_names(trees))]
        if isinstance(target, dict) and isinstance(target.get("blocks"), list):
            target["blocks"].append(block)  # (a page whose list is gone keeps none)
    else:
        blocks.remove(block)  # a block gone: whatever continues it dangles


def _mutate_files(trees: dict[str, Any], raw: dict[str, Any], rnd: random.Random) -> None:
    """A file deleted, damaged, swapped for a link, a FIFO or a folder, or an extra one."""
    names = [*sorted(trees), "stories", "ads/ad-full.jpg", "photo-placeholder.jpg"]
    name = rnd.choice(names)
    op = rnd.randrange(6)
    if op == 0:
        raw[name] = None
    elif op == 1 and name in trees:
        text = json.dumps(trees[name], ensure_ascii=False, indent=1).encode()
        raw[name] = {"base64": base64.b64encode(corrupt_bytes(text, rnd)).decode()}
    elif op == 2:
        raw[name] = {"link": rnd.choice(LINKS)}
    elif op == 3:
        raw[name] = rnd.choice([{"fifo": True}, {"dir": True}])
    elif op == 4:  # a page file or story the plan does not know, or a bigger picture
        raw[rnd.choice(["p5.json", "stories/extra.json", "ads/ad-front.jpg"])] = {
            "base64": base64.b64encode(bytes(rnd.randrange(256) for _ in range(64))).decode()
        }
    else:
        raw[name] = json.dumps(hostile_value(rnd), ensure_ascii=False)


def materialise(data: bytes, folder: Path) -> None:
    """The sample edition in `folder` (replaced), with the input's changes made to it.

    An input that is not a change list (a damaged corpus file) leaves the sample as it is."""
    if folder.exists() or folder.is_symlink():
        _clear(folder)
    shutil.copytree(SEED, folder, symlinks=True)
    try:
        changes = json.loads(data.decode("utf-8", "surrogatepass"))["files"]
    except (ValueError, KeyError, TypeError):
        return
    for name, change in changes.items():
        path = folder / name
        try:
            if not path.resolve().is_relative_to(folder.resolve()):
                continue  # an input never writes outside its folder
            _make(path, change)
        except (OSError, RuntimeError, ValueError, TypeError, KeyError):
            continue  # e.g. inside a folder an earlier change made a FIFO or a symlink loop


def _make(path: Path, change: Any) -> None:
    _remove(path)
    if change is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(change, str):
        path.write_bytes(change.encode("utf-8", "surrogatepass"))
    elif "base64" in change:
        path.write_bytes(base64.b64decode(change["base64"]))
    elif "link" in change:
        os.symlink(path.name if change["link"] == "loop" else change["link"], path)
    elif change.get("fifo"):
        os.mkfifo(path)
    else:
        path.mkdir()


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file() or path.is_fifo():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _clear(folder: Path) -> None:
    if folder.is_symlink() or not folder.is_dir():
        folder.unlink()
        return
    shutil.rmtree(folder)


def snapshot(folder: Path, skip: str = "") -> dict[str, Any]:
    """Each entry under `folder` (but `skip`, a folder in it): a regular file's bytes,
    otherwise its kind (never read a FIFO or a device)."""
    found: dict[str, Any] = {}
    for top, dirs, files in os.walk(folder):
        if top == str(folder) and skip in dirs:
            dirs.remove(skip)
        for entry in dirs + files:
            path = Path(top) / entry
            key = str(path.relative_to(folder))
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_file():
                found[key] = path.read_bytes()
            else:
                found[key] = "dir" if path.is_dir() else "other"
    return found
