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

from bisect import bisect_left
from dataclasses import dataclass, replace

from app.errors import PasteupError
from app.model import PageDocument
from app.model.proofing import Correction, Reply
from app.model.story import PARAGRAPH_SEPARATOR
from app.proof.anchor import CONTEXT, Anchor, anchor_at, locate
from app.proof.limits import unsafe_text_reason
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


def accept(
    document: PageDocument, keys: list[str], *, by: str = "", at: str = "", reviewed: bool = False
) -> Outcome:
    """Apply each correction's text change to its story. All are located in the text as it
    is before any of them is applied, then applied together: a correction that overlaps one
    earlier in `keys` is held for review instead, and insertions at one point go in in mark
    order. The result is what applying them one by one would give, in one pass per story.
    `reviewed`: a person checked these marks, so those held for review are applied too —
    except new text that may not go into a story (`limits.unsafe_text_reason`)."""
    at = at or now_iso()
    by_id = {c.id: c for c in document.proof.corrections}
    order = {cid: n for n, cid in enumerate(by_id)}
    done: dict[str, None] = {}  # ordered set
    failed: list[tuple[str, str]] = []
    decided: dict[str, Correction] = {}
    changes: dict[str, list[tuple[int, int, int, Correction]]] = {}
    for key in keys:
        c = by_id.get(key) or find(document, key)
        c = decided.get(c.id, c)
        if c.state == "applied" or c.id in done:
            failed.append((c.id, "已采纳 (already applied)"))
        elif c.action == "comment":
            decided[c.id] = replace(c, state="applied", why="", decided_by=by, decided_at=at)
            done[c.id] = None
        elif not c.pinned:
            failed.append((c.id, f"未定位，无法自动修改 (not pinned: {c.unpinned_reason})"))
        elif c.review and (not reviewed or unsafe_text_reason(c.replacement)):
            failed.append((c.id, f"待人工核对 (held for review): {c.review}"))
        elif (found := current_range(document, c)) is None:
            failed.append((c.id, "所标文字已改动，找不到 (the marked text is no longer there)"))
        elif _overlaps(changes.get(c.story, []), *found):
            reason = "与已采纳的修改重叠 (overlaps a correction applied before)"
            decided[c.id] = replace(c, review=reason)
            failed.append((c.id, f"待人工核对 (held for review): {reason}"))
        else:
            changes.setdefault(c.story, []).append((*found, order[c.id], c))
            done[c.id] = None
    for story, planned in changes.items():
        decided.update(_apply_all(document, story, planned, decided, by=by, at=at))
    if decided:
        document.set_proof(replace(document.proof, corrections=tuple(
            decided.get(c.id, c) for c in document.proof.corrections)))  # fmt: skip
    return Outcome(tuple(done), tuple(failed))


def _overlaps(planned: list[tuple[int, int, int, Correction]], start: int, end: int) -> bool:
    """Would [start, end) change characters another planned change changes (an insertion
    point strictly inside a range counts, one at its edge does not)?"""
    for a, b, _, _ in planned:
        if a < end and start < b:
            return True
        if (start == end and a < start < b) or (a == b and start < a < end):
            return True
    return False


def _apply_all(
    document: PageDocument,
    story_id: str,
    planned: list[tuple[int, int, int, Correction]],
    decided: dict[str, Correction],
    *,
    by: str,
    at: str,
) -> dict[str, Correction]:
    """Make the planned changes to one story and move every other range in it."""
    planned.sort(key=lambda p: (p[0], p[1] > p[0], p[2]))  # same point: mark order
    story = document.stories[story_id]
    for start, end, _, c in reversed(planned):
        story = story.replace_text(start, end, c.replacement)
    document.set_story(story)
    stream = story.stream
    order = {c.id: n for n, c in enumerate(document.proof.corrections)}
    starts = [p[0] for p in planned]
    deltas = [0]
    for start, end, _, c in planned:
        deltas.append(deltas[-1] + len(c.replacement) - (end - start))
    out: dict[str, Correction] = {}
    for n, (start, _end, _, c) in enumerate(planned):
        new_start = start + deltas[n]
        new_end = new_start + len(c.replacement)
        anchor = anchor_at(stream, new_start, new_end)
        out[c.id] = replace(c, start=new_start, end=new_end, before=anchor.before,
                            after=anchor.after, state="applied", why="", decided_by=by,
                            decided_at=at)  # fmt: skip
    for other in document.proof.corrections:
        other = decided.get(other.id, other)
        if other.id in out or other.story != story_id or not other.pinned:
            continue
        moved = _moved(other, planned, starts, deltas, order[other.id])
        if moved is None:
            if other.state == "open" and not other.review:
                out[other.id] = replace(
                    other, review="与已采纳的修改重叠 (overlaps a correction applied before)"
                )
            continue
        shifted = replace(other, start=moved, end=moved + other.end - other.start)
        if stream[shifted.start : shifted.end] == shifted.current_text:
            anchor = anchor_at(stream, shifted.start, shifted.end)
            shifted = replace(shifted, before=anchor.before, after=anchor.after)
        if shifted != other or other.id in decided:
            out[other.id] = shifted
    return out


def _moved(
    other: Correction,
    planned: list[tuple[int, int, int, Correction]],
    starts: list[int],
    deltas: list[int],
    mark: int,
) -> int | None:
    """Where `other` (mark number `mark`) starts once the planned changes are made, or None
    if one of them changes characters it marks. An insertion at the start of a range goes
    before it; at an insertion point, before it only if it came earlier in mark order."""
    start, end = other.start, other.end
    first = bisect_left(starts, start)
    if first and planned[first - 1][1] > start:
        return None  # a change before it reaches into it
    count = first
    for n in range(first, len(planned)):
        a, b, their_mark, _ = planned[n]
        if start == end:
            if a > start or b > a or their_mark > mark:
                break
        elif a >= end:
            break
        elif b > a or a > start:
            return None
        count = n + 1
    return start + deltas[count]


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
