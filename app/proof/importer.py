"""Importing an annotated proof into the page document: read, check, pin, re-anchor, merge.

The embedded text map says which page and which version the proof shows. Marks are
pinned on that version's layout, then carried into the current story text: unchanged
text keeps its offsets, changed text is found again by content (`anchor.locate`).
Re-importing the same file, or a later save of it, updates the corrections it already
brought in (same stable ids) and never undoes a decision taken in Pasteup.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from app.compose.textmap import TextMap, load_textmap
from app.errors import PasteupError
from app.model import PageDocument, content_hash
from app.model.proofing import Correction, ProofState
from app.proof.anchor import anchor_at, locate
from app.proof.damage import Damage, find_damage, undo_rewrite
from app.proof.limits import unsafe_text_reason
from app.proof.marks import AREA_MARKS, POINT_NOTES, TEXT_MARKUP, Mark, group_marks
from app.proof.pdfread import Box, Problem, read_proof_pdf
from app.proof.pinning import (
    PageSpace,
    Pin,
    Placed,
    not_pinned,
    pin_area,
    pin_caret,
    pin_near,
    pin_note_point,
    pin_text_markup,
)
from app.proof.rounds import page_key


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str
    proof_round: int
    older_version: bool  # the proof shows an earlier version of the page
    corrections: tuple[Correction, ...]  # every mark in the file, as now stored
    added: int
    updated: int
    problems: tuple[Problem, ...]  # malformed annotations, skipped
    damage: Damage  # what a re-writer dropped from the file, if anything


def import_proof(document: PageDocument, pdf: Path | bytes, name: str = "") -> ImportReport:
    """Read `pdf`, store its marks as corrections in `document` (via set_proof)."""
    label = name or str(pdf)
    proof = read_proof_pdf(pdf, label)
    if proof.textmap is None:
        raise PasteupError(
            f"{label}: 不是 Pasteup 校样，没有内嵌文本映射 (not a Pasteup proof: no embedded text map)"
        )
    textmap = load_textmap(proof.textmap, label)
    _check_lines(textmap, label)
    older = _check_identity(document, textmap, label)
    trim = proof.trim_boxes[0] if proof.trim_boxes else None
    space = PageSpace(textmap, _trim_shift(textmap, trim))
    proof_round = max(1, textmap.proof_round)
    damage = find_damage(proof.annotations)
    annotations, turned = undo_rewrite(proof.annotations, textmap, trim)
    if annotations is not proof.annotations:  # moved back onto the exported page
        space = PageSpace(textmap)
    imported = []
    for mark in group_marks(annotations):
        placed = not_pinned(turned) if turned else _place(mark, space)
        correction = _correction(mark, placed, textmap, document, proof_round)
        correction = replace(correction, id=_identity(mark, space, textmap))
        imported.append(_hold(correction, damage))
    known = {c.id: c for c in document.proof.corrections}
    imported = [_unclashed(c, known) for c in _distinct(imported)]
    merged, added, updated = _merge(document.proof, imported)
    document.set_proof(merged)
    stored = {c.id: c for c in merged.corrections}
    return ImportReport(
        source=label,
        proof_round=proof_round,
        older_version=older,
        corrections=tuple(stored[c.id] for c in imported),
        added=added,
        updated=updated,
        problems=proof.problems,
        damage=damage,
    )


def _check_lines(textmap: TextMap, label: str) -> None:
    """A text map whose lines do not hold one box per character cannot pin anything."""
    for line in textmap.lines:
        if len(line.text) != len(line.char_lefts) or line.end - line.start != len(line.text):
            raise PasteupError(
                f"{label}: 内嵌文本映射已损坏 (corrupt embedded text map): "
                f"line {line.story}:{line.start} has {len(line.char_lefts)} boxes "
                f"for {len(line.text)} characters"
            )


def _identity(mark: Mark, space: PageSpace, textmap: TextMap) -> str:
    """A correction's id from what it is, on which proof: the version and round the proof
    shows, the page, the subtype, the viewer's /NM, the author, the time it was made (or
    its words) and where it sits, to the point, in layout units. Viewers reuse /NM in every
    file (MuPDF's fitz-A0 …), so /NM alone would merge two proofreaders' marks; re-saving
    (qpdf, pikepdf, a viewer, a page rotation, Ghostscript's translation) keeps all of it."""
    main = mark.main
    shapes = [q for a in mark.members for q in a.quads] or [main.rect]
    where = ";".join(",".join(str(round(v / 64)) for v in space.box(q)) for q in shapes)
    basis = "|".join([textmap.document_hash, str(textmap.proof_round), str(main.page),
                      mark.type, main.name, main.author, main.created or main.contents, where])  # fmt: skip
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _distinct(imported: list[Correction]) -> list[Correction]:
    """Two marks identical in every respect in one file are still two marks."""
    seen: set[str] = set()
    out = []
    for c in imported:
        cid, n = c.id, 0
        while cid in seen:
            n += 1
            cid = hashlib.sha1(f"{c.id}|{n}".encode()).hexdigest()[:8]
        seen.add(cid)
        out.append(replace(c, id=cid))
    return out


def _hold(c: Correction, damage: Damage) -> Correction:
    """Hold for review what must not be applied as it reads: new text that may not go into
    a story, and every text change in a proof whose re-writer dropped carets or links (a
    deletion may have been half of a replacement; Ghostscript was seen to alter note text)."""
    reason = unsafe_text_reason(c.replacement) if c.action in ("insert", "replace") else ""
    if not reason and damage and c.action == "delete":
        reason = f"校样经过改写，{damage.reason}：此删除可能原是替换 (may have been a replacement)"
    elif not reason and damage and c.action != "comment":
        reason = f"校样经过改写，{damage.reason}：批注文字可能已被改动 (its text may be altered)"
    return replace(c, review=reason) if reason else c


def _check_identity(document: PageDocument, textmap: TextMap, label: str) -> bool:
    """True for an older version of this page; a proof of another page is an error."""
    if textmap.document_hash == content_hash(document):
        return False
    if any(r.document_hash == textmap.document_hash for r in document.proof.rounds):
        return True
    shared = [s for s in textmap.stories if s in document.stories]
    if textmap.page == page_key(document) and shared:
        return True
    raise PasteupError(
        f"{label}: 不是本版的校样 (a proof of another page: {textmap.page or '?'}, "
        f"本版 this page: {page_key(document)})"
    )


def _trim_shift(textmap: TextMap, trim: Box | None) -> tuple[float, float]:
    """How far a re-saver moved the page: the trim box's top-left now vs. at export."""
    if trim is None:
        return 0.0, 0.0
    dx, dy = trim[0] - textmap.placement.left_pt, trim[3] - textmap.placement.top_pt
    return (dx, dy) if abs(dx) > 0.01 or abs(dy) > 0.01 else (0.0, 0.0)


def _place(mark: Mark, space: PageSpace) -> Placed:
    main = mark.main
    if main.page != 1:
        return not_pinned(
            f"在校样第 {main.page} 页，文本映射只有第 1 页 (the text map covers page 1)"
        )
    match mark.action:
        case "replace" | "delete" if mark.strikeouts():
            quads = tuple(q for a in mark.strikeouts() for q in a.quads)
            return pin_text_markup(space, quads)
        case "insert" if main.subtype == "Caret":
            return pin_caret(space, main.rect)
        case "insert" if main.subtype == "FreeText" and main.points:  # its callout's tip
            x, y = main.points[0]
            return pin_note_point(space, (x, y, x, y))
        case "insert" if main.subtype in POINT_NOTES:
            return pin_note_point(space, main.rect)
        case "insert":  # 前加… / 后加… on a marked range
            placed = pin_text_markup(space, main.quads)
            if placed.pin is None:
                return placed
            at = placed.pin.start if mark.insert_at == "before" else placed.pin.end
            return Placed(replace(placed.pin, start=at, end=at))
    if main.subtype in TEXT_MARKUP:
        return pin_text_markup(space, main.quads)
    if main.subtype == "Caret":
        return pin_caret(space, main.rect)
    if main.subtype in AREA_MARKS:
        return pin_area(space, _bounds(main.points) if main.points else main.rect)
    if main.points and main.subtype in ("FreeText", "Line"):
        # A callout or arrow points at the text with its first (FreeText) or last (Line) point.
        x, y = main.points[0] if main.subtype == "FreeText" else main.points[-1]
        return pin_near(space, (x, y, x, y))
    if main.subtype == "Text":  # a sticky note's anchor is its icon's top-left corner
        x, y = main.rect[0], main.rect[3]
        return pin_near(space, (x, y, x, y))
    return pin_near(space, main.rect)


def _bounds(points: tuple[tuple[float, float], ...]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _correction(
    mark: Mark, placed: Placed, textmap: TextMap, document: PageDocument, proof_round: int
) -> Correction:
    main = mark.main
    base = Correction(
        id=main.id,
        round=proof_round,
        type=mark.type,
        action=mark.action,
        author=main.author,
        created=main.created,
        modified=max((a.modified for a in mark.members), default=""),
        page=main.page,
        contents=mark.contents,
        replacement=mark.replacement,
        viewer_state=mark.viewer_state,
        replies=mark.replies,
    )
    pin, reason = _carry_over(placed, textmap, document)
    if pin is None:
        return replace(base, unpinned_reason=reason)
    anchor = anchor_at(document.stories[pin.story].stream, pin.start, pin.end)
    return replace(base, story=pin.story, block=pin.block, start=pin.start, end=pin.end,
                   text=anchor.text, before=anchor.before, after=anchor.after)  # fmt: skip


def _carry_over(placed: Placed, textmap: TextMap, document: PageDocument) -> tuple[Pin | None, str]:
    """The pin in the exported text → the same characters in the story as it is now."""
    pin = placed.pin
    if pin is None:
        return None, placed.reason
    if pin.story not in textmap.stories:
        return None, "不是稿件文字，如页眉 (not story text, e.g. a running head)"
    if pin.story not in document.stories:
        return None, f"稿件 {pin.story} 已不在本版 (story no longer on the page)"
    now = document.stories[pin.story].stream
    then = textmap.stories.get(pin.story, now)
    if then == now:
        return pin, ""
    start = locate(now, anchor_at(then, pin.start, pin.end))
    if start is None:
        return None, "所标文字在校样后已改动，无法定位 (the marked text changed since this proof)"
    return replace(pin, start=start, end=start + (pin.end - pin.start)), ""


def _merge(state: ProofState, imported: list[Correction]) -> tuple[ProofState, int, int]:
    """New marks are added; known ones refresh what the PDF says but keep Pasteup's decision."""
    known = {c.id: c for c in state.corrections}
    fresh = {c.id: c for c in imported}
    added = sum(1 for c in imported if c.id not in known)
    merged = []
    for old in state.corrections:
        new = fresh.get(old.id)
        merged.append(old if new is None else _refresh(old, new))
    merged.extend(c for c in imported if c.id not in known)
    updated = sum(1 for c in imported if c.id in known and _refresh(known[c.id], c) != known[c.id])
    return replace(state, corrections=tuple(merged)), added, updated


def _unclashed(new: Correction, known: dict[str, Correction]) -> Correction:
    """An 8-digit id that happens to name another stored mark gets another id."""
    cid, n = new.id, 0
    while cid in known and _who_what(known[cid]) != _who_what(new):
        n += 1
        cid = hashlib.sha1(f"{new.id}|clash|{n}".encode()).hexdigest()[:8]
    return replace(new, id=cid) if cid != new.id else new


def _who_what(c: Correction) -> tuple:
    return c.round, c.type, c.author, c.created, c.page


def _refresh(old: Correction, new: Correction) -> Correction:
    own_replies = tuple(r for r in old.replies if r.origin == "pasteup")
    pdf_replies = new.replies
    refreshed = replace(
        old,
        contents=new.contents,
        modified=new.modified,
        viewer_state=new.viewer_state,
        replies=pdf_replies + tuple(r for r in own_replies if r not in pdf_replies),
    )
    if old.state == "open" and not old.pinned and new.pinned:
        return replace(refreshed, story=new.story, block=new.block, start=new.start,
                       end=new.end, text=new.text, before=new.before, after=new.after,
                       unpinned_reason="", replacement=new.replacement,
                       action=new.action)  # fmt: skip
    return refreshed
