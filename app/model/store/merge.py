"""Re-applying a refused save on the version that beat it: a three-way merge of one record.

A save refused because someone saved first (`SaveConflict`) keeps the user's body as a conflict
copy. To re-apply it, merge what the user changed since the version they started from into the
version now current:

    merged = merge("page", base, mine, theirs)   # the record's JSON bodies (records.py)
    merged.body        # save it as the next version (a compare-and-swap on theirs' version)
    merged.conflicts   # what could not be merged: where, which field, both sides' values

`base` is the version the user opened, `mine` the refused body, `theirs` the current head.
Changes on one side only are taken; the same change on both sides is taken once. A page's
blocks merge one by one (by id): blocks moved or edited on different sides are both kept, the
same field of the same block changed both ways is a conflict named by block and field. A
story's paragraphs merge by position against the base (as diff3 does): different paragraphs
changed on each side are both kept, the same paragraph's role or text changed both ways is a
conflict. Plan, status and proof records merge field by field (lists of entries with an "id"
entry by entry). A deletion on one side against an edit on the other is a conflict.

Where the two sides conflict the merged body keeps **theirs** — someone else's saved work is
never overwritten by a merge; the user's side stays in the conflict copy and in
`Conflict.mine`. A body of None is a removed record. No Qt, no database: plain JSON values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

__all__ = ["Conflict", "Merged", "merge"]

_GONE: Any = object()  # a field or entry absent on one side


@dataclass(frozen=True, slots=True)
class Conflict:
    """Something both sides changed differently: `where` (a block, a paragraph, "" for the
    record itself) and `field`, with each side's value (None: absent or removed)."""

    where: str
    field: str
    base: Any
    mine: Any
    theirs: Any

    def __str__(self) -> str:
        place = " · ".join(p for p in (self.where, self.field) if p) or "记录 (record)"
        return f"{place}: 您的 (yours) {_short(self.mine)} ≠ 已保存的 (saved) {_short(self.theirs)}"


@dataclass(frozen=True, slots=True)
class Merged:
    body: Any  # the record to save as the next version
    conflicts: tuple[Conflict, ...]  # what kept theirs instead of the user's change

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(kind: str, base: Any, mine: Any, theirs: Any) -> Merged:
    """Merge the user's changes (`base` → `mine`) into `theirs`; `kind` is the record's kind
    (page, story, plan, status, proof: records.KINDS), which names the places in conflicts."""
    conflicts: list[Conflict] = []
    body = _merge(_Path(kind), base, mine, theirs, conflicts)
    return Merged(body, tuple(conflicts))


@dataclass(frozen=True, slots=True)
class _Path:
    """Where in the record a value sits: names a conflict (`block lead`, `段 3`, `pages p2`)."""

    kind: str
    where: str = ""
    field: str = ""

    def key(self, name: str) -> _Path:
        if self.field == "blocks":
            return _Path(self.kind, f"文框 (block) {name}")
        if self.field:
            return _Path(self.kind, f"{self.field} {name}".strip())
        return self

    def child(self, name: str) -> _Path:
        return _Path(self.kind, self.where, f"{self.field}.{name}" if self.field else name)


def _merge(path: _Path, base: Any, mine: Any, theirs: Any, out: list[Conflict]) -> Any:
    if _same(mine, theirs) or _same(mine, base):
        return theirs
    if _same(theirs, base):
        return mine
    if mine is _GONE or theirs is _GONE or mine is None or theirs is None:
        out.append(_conflict(path, base, mine, theirs))  # a removal against an edit
        return theirs
    if isinstance(mine, dict) and isinstance(theirs, dict) and not path.field:
        # a record, a block, a plan's page: field by field (a value inside a field is whole:
        # a grid frame's col and a free frame's x would make no frame)
        return _merge_fields(path, base if isinstance(base, dict) else {}, mine, theirs, out)
    if path.kind == "story" and path.field == "paragraphs":
        return _merge_paragraphs(path, _list(base), mine, theirs, out)
    if _entries(mine) and _entries(theirs) and _entries(_list(base)):
        return _merge_entries(path, _list(base), mine, theirs, out)
    out.append(_conflict(path, base, mine, theirs))
    return theirs


def _merge_fields(
    path: _Path, base: dict, mine: dict, theirs: dict, out: list[Conflict]
) -> dict[str, Any]:
    return _merge_keyed(path.child, base, mine, theirs, out)


def _merge_keyed(
    step: Callable[[str], _Path], base: dict, mine: dict, theirs: dict, out: list[Conflict]
) -> dict[str, Any]:
    """Each key merged on its own (`step` names its place), theirs' keys first, then those only
    mine has; a key the merge removed is left out."""
    merged: dict[str, Any] = {}
    for key in [*theirs, *(k for k in mine if k not in theirs)]:
        value = _merge(
            step(key), base.get(key, _GONE), mine.get(key, _GONE), theirs.get(key, _GONE), out
        )
        if value is not _GONE:
            merged[key] = value
    return merged


def _merge_entries(path: _Path, base: list, mine: list, theirs: list, out: list[Conflict]):
    """Lists of entries with an "id" (a page's blocks, the plan's pages and ads): each entry
    merged on its own, then their order — a side that kept the base's order takes the other's."""
    before, ours, others = _by_id(base), _by_id(mine), _by_id(theirs)
    merged = _merge_keyed(path.key, before, ours, others, out)
    common = [i for i in before if i in ours and i in others]
    order_base = common
    order_mine = [i for i in ours if i in common]
    order_theirs = [i for i in others if i in common]
    source = list(others)
    if order_mine != order_base and order_theirs in (order_base, order_mine):
        source = list(ours)
    elif order_mine != order_base:
        out.append(_conflict(path.child("order"), order_base, order_mine, order_theirs))
    order = [i for i in source if i in merged]
    for side in (list(ours), list(others)):  # entries new on one side: after their neighbour
        for n, entry_id in enumerate(side):
            if entry_id in merged and entry_id not in order:
                previous = next((i for i in reversed(side[:n]) if i in order), None)
                order.insert(0 if previous is None else order.index(previous) + 1, entry_id)
    return [merged[i] for i in order]


def _merge_paragraphs(path: _Path, base: list, mine: list, theirs: list, out: list[Conflict]):
    """diff3 on paragraphs: each side's changes are hunks of the base; hunks that touch
    different paragraphs are all applied, in base order; where the two sides touch the same
    stretch it merges paragraph by paragraph (role, text) when neither side added or removed
    any, else it is a conflict and keeps theirs."""
    hunks = sorted(
        [(*h, "mine") for h in _hunks(base, mine)] + [(*h, "theirs") for h in _hunks(base, theirs)],
        key=lambda h: (h[0], h[1]),
    )
    clusters: list[list[tuple[int, int, list, str]]] = []
    for hunk in hunks:
        if clusters and _overlaps(hunk, clusters[-1]):
            clusters[-1].append(hunk)
        else:
            clusters.append([hunk])
    result: list[Any] = []
    at = 0
    for cluster in clusters:
        start, end = cluster[0][0], max(h[1] for h in cluster)
        ours = _applied(base, start, end, [h for h in cluster if h[3] == "mine"])
        others = _applied(base, start, end, [h for h in cluster if h[3] == "theirs"])
        result += base[at:start]
        if ours == others or {h[3] for h in cluster} != {"mine", "theirs"}:
            result += ours if all(h[3] == "mine" for h in cluster) else others
        elif len(ours) == len(others) == end - start:
            for n, (b, m, t) in enumerate(zip(base[start:end], ours, others, strict=True)):
                place = _Path(path.kind, f"段 {start + n + 1} (paragraph {start + n + 1})")
                result.append(_merge(place, b, m, t, out))
        else:
            span = f"{start + 1}–{end}" if end > start + 1 else f"{start + 1}"
            where = f"段 {span} (paragraphs {span})"
            out.append(Conflict(where, "", _texts(base[start:end]), _texts(ours), _texts(others)))
            result += others
        at = end
    return result + base[at:]


def _hunks(base: list, side: list) -> list[tuple[int, int, list]]:
    """The side's changes: (start, end) of the base replaced by these paragraphs, in order."""
    matcher = SequenceMatcher(None, [_key(p) for p in base], [_key(p) for p in side], False)
    return [
        (i1, i2, side[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def _overlaps(hunk: tuple[int, int, list, str], cluster: list) -> bool:
    """A hunk touches the cluster's paragraphs, or inserts where it also inserts."""
    start, end = cluster[0][0], max(h[1] for h in cluster)
    return hunk[0] < end or hunk[0] == hunk[1] == start == end


def _applied(base: list, start: int, end: int, hunks: list) -> list:
    """base[start:end] with one side's hunks (inside it, in order) applied."""
    out: list[Any] = []
    at = start
    for s, e, lines, _side in hunks:
        out += base[at:s] + lines
        at = e
    return out + base[at:end]


def _key(paragraph: Any) -> str:
    return repr(paragraph)


def _texts(paragraphs: list) -> str:
    return "¶".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in paragraphs)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _entries(value: Any) -> bool:
    """A list of entries with ids (blocks, pages, ads)?"""
    return isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value)


def _by_id(entries: list) -> dict[str, Any]:
    return {str(e["id"]): e for e in entries}


def _same(a: Any, b: Any) -> bool:
    return a is b or (a is not _GONE and b is not _GONE and a == b)


def _conflict(path: _Path, base: Any, mine: Any, theirs: Any) -> Conflict:
    def shown(value: Any) -> Any:
        return None if value is _GONE else value

    return Conflict(path.where, path.field, shown(base), shown(mine), shown(theirs))


def _short(value: Any, limit: int = 40) -> str:
    if value is None:
        return "（无 none）"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
