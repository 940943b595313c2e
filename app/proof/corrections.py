"""Deciding corrections: accept (apply the text change), reject (with a reason), reply.

This is the API the command line and the editor's corrections panel share; it has no Qt.
Every change goes through `PageDocument.replace_text` and `set_proof`, so listeners
(canvas, autosave) hear of it. For undo, a caller keeps `document.stories[...]` and
`document.proof` from before the call and restores them with `set_story` / `set_proof`.

Offsets stay right as corrections are applied one after another: each applied change
shifts the ranges after it in the same story, and each correction is found again by
its text and context (`anchor.locate`) before it is applied. A correction whose range an
applied change overlapped is held for review, never applied to what is there now; two
insertions at one point go in in mark order, whichever is accepted first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.errors import PasteupError
from app.model import PageDocument
from app.model.proofing import Correction, Reply
from app.model.story import PARAGRAPH_SEPARATOR
from app.proof.anchor import CONTEXT, Anchor, anchor_at, locate
from app.proof.rounds import now_iso, round_name

VISIBLE_BREAK = "¶"


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """A correction as a panel or a listing shows it: the marked text in its current context."""

    correction: Correction
    round_name: str
    before: str  # context in the story as it is now
    marked: str
    after: str
    proposal: str  # what the proofreader asks for, in words
    located: bool  # the marked text was found in the current story


@dataclass(frozen=True, slots=True)
class Outcome:
    done: tuple[str, ...]  # ids decided
    failed: tuple[tuple[str, str], ...]  # (id, reason)


def find(document: PageDocument, key: str) -> Correction:
    """A correction by id or unique id prefix."""
    matches = [c for c in document.proof.corrections if c.id.startswith(key)]
    exact = [c for c in matches if c.id == key]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise PasteupError(f"没有编号为 {key} 的校对意见 (no correction {key})")
    raise PasteupError(f"编号 {key} 不唯一 (ambiguous id: {', '.join(c.id for c in matches)})")


def current_range(document: PageDocument, correction: Correction) -> tuple[int, int] | None:
    """Where the correction's text stands in its story now, or None if it is gone."""
    if not correction.pinned or correction.story not in document.stories:
        return None
    anchor = Anchor(correction.start, correction.current_text, correction.before, correction.after)
    start = locate(document.stories[correction.story].stream, anchor)
    return None if start is None else (start, start + len(anchor.text))


def views(
    document: PageDocument, *, round: int | None = None, author: str | None = None
) -> list[CorrectionView]:
    """Corrections in panel order: by round, proofreader, story position."""
    chosen = [
        c
        for c in document.proof.corrections
        if (round is None or c.round == round) and (author is None or c.author == author)
    ]
    chosen.sort(key=lambda c: (c.round, c.author, c.story == "", c.story, c.start))
    return [_view(document, c) for c in chosen]


def _view(document: PageDocument, c: Correction) -> CorrectionView:
    found = current_range(document, c)
    if found:
        stream = document.stories[c.story].stream
        start, end = found
        before, marked, after = (
            stream[max(0, start - CONTEXT) : start],
            stream[start:end],
            stream[end : end + CONTEXT],
        )
    else:
        before, marked, after = c.before, c.current_text, c.after
    return CorrectionView(c, round_name(c.round), shown(before), shown(marked), shown(after),
                          proposal(c), found is not None)  # fmt: skip


def proposal(c: Correction) -> str:
    old, new = shown(c.text), shown(c.replacement)
    match c.action:
        case "delete":
            return f"删除「{old}」"
        case "insert":
            return f"插入「{new}」"
        case "replace":
            return f"「{old}」改为「{new}」"
    return c.contents or "（无说明）"


def shown(text: str) -> str:
    return text.replace(PARAGRAPH_SEPARATOR, VISIBLE_BREAK)


def accept(document: PageDocument, keys: list[str], *, by: str = "", at: str = "") -> Outcome:
    """Apply each correction's text change to its story, in the order given."""
    done, failed = [], []
    for key in keys:
        c = find(document, key)
        if c.state == "applied":
            failed.append((c.id, "已采纳 (already applied)"))
            continue
        if c.action == "comment":
            _store(
                document,
                replace(c, state="applied", why="", decided_by=by, decided_at=at or now_iso()),
            )
            done.append(c.id)
            continue
        if not c.pinned:
            failed.append((c.id, f"未定位，无法自动修改 (not pinned: {c.unpinned_reason})"))
            continue
        if c.review:
            failed.append((c.id, f"待人工核对 (held for review): {c.review}"))
            continue
        found = current_range(document, c)
        if found is None:
            failed.append((c.id, "所标文字已改动，找不到 (the marked text is no longer there)"))
            continue
        _apply(document, c, *found, by=by, at=at or now_iso())
        done.append(c.id)
    return Outcome(tuple(done), tuple(failed))


def _apply(
    document: PageDocument, c: Correction, start: int, end: int, *, by: str, at: str
) -> None:
    document.replace_text(c.story, start, end, c.replacement)
    stream = document.stories[c.story].stream
    new_end = start + len(c.replacement)
    delta = new_end - end
    moved = []
    later = False  # past `c` in mark order
    for other in document.proof.corrections:
        if other.id == c.id:
            anchor = anchor_at(stream, start, new_end)
            other = replace(other, start=start, end=new_end, before=anchor.before,
                            after=anchor.after, state="applied", why="", decided_by=by,
                            decided_at=at)  # fmt: skip
            later = True
        elif other.story == c.story and other.pinned:
            other = _shifted(other, stream, start, end, delta, later)
        moved.append(other)
    document.set_proof(replace(document.proof, corrections=tuple(moved)))


def _shifted(
    other: Correction, stream: str, start: int, end: int, delta: int, later: bool
) -> Correction:
    """Where a range stands after [start, end) was replaced (length change `delta`).

    A range after the change moves by `delta`; one that overlaps the changed characters, or
    an insertion point strictly inside them, lost its text: held for review if still open.
    An insertion point at the point of another insertion stays before it if it came first
    in mark order, else moves after it. Context near the change is refreshed."""
    point = other.start == other.end
    if other.start >= end and not (point and other.start == end == start and not later):
        other = replace(other, start=other.start + delta, end=other.end + delta)
    elif other.end > start and other.start < end:
        if other.state == "open" and not other.review:
            other = replace(
                other, review="与已采纳的修改重叠 (overlaps a correction applied before)"
            )
        return other
    if (
        other.start - CONTEXT <= end + delta
        and other.end + CONTEXT >= start
        and stream[other.start : other.end] == other.current_text
    ):
        anchor = anchor_at(stream, other.start, other.end)
        other = replace(other, before=anchor.before, after=anchor.after)
    return other


def reject(
    document: PageDocument, keys: list[str], why: str, *, by: str = "", at: str = ""
) -> Outcome:
    """Keep the text as it is and record why (保留)."""
    if not why.strip():
        raise PasteupError("拒绝须说明理由 (a rejection needs a reason: --why)")
    done, failed = [], []
    for key in keys:
        c = find(document, key)
        if c.state == "applied" and c.action != "comment":
            failed.append(
                (c.id, "已采纳并改动正文，请先撤销 (already applied to the text; undo it first)")
            )
            continue
        _store(
            document,
            replace(c, state="rejected", why=why, decided_by=by, decided_at=at or now_iso()),
        )
        done.append(c.id)
    return Outcome(tuple(done), tuple(failed))


def reply(document: PageDocument, key: str, text: str, *, by: str = "", at: str = "") -> Correction:
    if not text.strip():
        raise PasteupError("回复不能为空 (a reply needs text)")
    c = find(document, key)
    updated = replace(c, replies=(*c.replies, Reply(by, at or now_iso(), text, origin="pasteup")))
    _store(document, updated)
    return updated


def open_ids(document: PageDocument, *, held: bool = True) -> list[str]:
    """Open corrections; with `held=False` only those safe to apply without a person
    (pinned or a comment, and not held for review): what `accept --all` takes."""
    return [
        c.id
        for c in document.proof.corrections
        if c.state == "open" and (held or (not c.review and (c.pinned or c.action == "comment")))
    ]


def _store(document: PageDocument, correction: Correction) -> None:
    document.set_proof(
        replace(
            document.proof,
            corrections=tuple(
                correction if c.id == correction.id else c for c in document.proof.corrections
            ),
        )
    )
