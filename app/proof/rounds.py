"""Proof rounds (一校, 二校, 三校 …), their status, sign-off (付印) and what changed between them.

Each proof export records a round: the version hash, every story's text and every
block's rectangle. That is enough to say, later, which text changed between any two
rounds and which regions of the page the proofreader must check again (核红).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from dataclasses import dataclass, replace

from app.compose.layout import PageLayout
from app.errors import PasteupError
from app.model import PageDocument, content_hash
from app.model.blocks import block_stories
from app.model.proofing import ProofRound, SignOff, round_name

ROUND_NAMES = tuple(round_name(n) for n in (1, 2, 3))  # the editor's translated names


def page_key(document: PageDocument) -> str:
    """The page a proof shows, as the text map's `page` field records it."""
    meta = document.meta
    page_id = getattr(document, "page_id", "")
    if page_id:  # a page of an edition: its stable id, which a change of plan leaves alone
        return f"{meta.paper}|{meta.date}|{page_id}"
    return f"{meta.paper}|{meta.date}|{meta.edition}|{meta.page_name}"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def next_round_number(document: PageDocument) -> int:
    """The round the next proof export belongs to: the last one again while the page is
    unchanged since it (the same proof sent again), else the one after."""
    rounds = document.proof.rounds
    if not rounds:
        return 1
    if rounds[-1].document_hash == content_hash(document):
        return rounds[-1].number
    return rounds[-1].number + 1


def start_round(document: PageDocument, layout: PageLayout, at: str = "") -> ProofRound:
    """Record a proof export; its `.number` is `next_round_number` as the text map carries it.

    A changed page starts the next round (一校, 二校, 三校 …) and voids a sign-off; an unchanged
    page keeps its round, so marks on either copy of that proof belong to one round."""
    proof = document.proof
    version = content_hash(document)
    number = next_round_number(document)
    if proof.rounds and proof.rounds[-1].number == number:
        return proof.rounds[-1]
    new_round = ProofRound(
        number=number,
        started=at or now_iso(),
        document_hash=version,
        stories=tuple((story.id, story.stream) for story in document.stories.values()),
        blocks=tuple(
            (frame.block, (frame.rect.x, frame.rect.y, frame.rect.w, frame.rect.h))
            for frame in layout.blocks
        ),
    )
    signed = (
        proof.signed_off if proof.signed_off and proof.signed_off.document_hash == version else None
    )
    document.set_proof(replace(proof, rounds=(*proof.rounds, new_round), signed_off=signed))
    return new_round


@dataclass(frozen=True, slots=True)
class ReaderCount:
    round: int
    author: str
    open: int
    applied: int
    rejected: int


@dataclass(frozen=True, slots=True)
class ProofStatus:
    rounds: tuple[ProofRound, ...]
    counts: tuple[ReaderCount, ...]  # per round and proofreader
    unpinned_open: int
    held_open: int  # open and held for review (not pinned, or pinned with a reason to look)
    changed_since_last_round: bool  # the page differs from the last proof sent out
    signed_off: SignOff | None

    @property
    def open(self) -> int:
        return sum(c.open for c in self.counts)


def proof_status(document: PageDocument) -> ProofStatus:
    tally: Counter[tuple[int, str, str]] = Counter(
        (c.round, c.author, c.state) for c in document.proof.corrections
    )
    keys = sorted({(r, a) for r, a, _ in tally})
    proof = document.proof
    return ProofStatus(
        rounds=proof.rounds,
        counts=tuple(
            ReaderCount(r, a, tally[r, a, "open"], tally[r, a, "applied"], tally[r, a, "rejected"])
            for r, a in keys
        ),
        unpinned_open=sum(1 for c in proof.corrections if c.state == "open" and not c.pinned),
        held_open=sum(
            1 for c in proof.corrections if c.state == "open" and c.held and c.action != "comment"
        ),
        changed_since_last_round=bool(proof.rounds)
        and proof.rounds[-1].document_hash != content_hash(document),
        signed_off=proof.signed_off,
    )


def overset_blocks(layout: PageLayout) -> tuple[tuple[str, int], ...]:
    """(block, characters that do not fit) for every block whose text runs out of its frame."""
    return tuple((b.block, b.overset_chars) for b in layout.blocks if b.overset_chars > 0)


def overset_after_corrections(
    document: PageDocument, layout: PageLayout
) -> tuple[tuple[str, int], ...]:
    """Overset blocks holding a story that accepted corrections changed: what a proof export
    must say, since the proofreader's insertions pushed that text out of its frame."""
    corrected = {c.story for c in document.proof.corrections
                 if c.state == "applied" and c.action != "comment"}  # fmt: skip
    stories = {b.id: block_stories(b) for b in document.blocks}
    return tuple(
        (block, chars)
        for block, chars in overset_blocks(layout)
        if corrected.intersection(stories.get(block, ()))
    )


def sign_off(
    document: PageDocument, by: str, at: str = "", layout: PageLayout | None = None
) -> SignOff:
    """付印: allowed only when every correction is decided (none held for review), the last
    proof shows this version and, given the page's `layout`, no text is overset."""
    status = proof_status(document)
    if not status.rounds:
        raise PasteupError("无法付印：尚未出过校样 (cannot sign off: no proof round yet)")
    overset = overset_blocks(layout) if layout is not None else ()
    if overset:
        named = ", ".join(f"{block} +{chars}" for block, chars in overset)
        raise PasteupError(f"无法付印：有稿件超排 (cannot sign off: text is overset: {named})")
    if status.held_open:
        raise PasteupError(
            f"无法付印：{status.held_open} 条校对意见待人工核对 "
            f"(cannot sign off: {status.held_open} corrections are held for review)"
        )
    if status.open:
        raise PasteupError(
            f"无法付印：还有 {status.open} 条校对意见未处理 "
            f"(cannot sign off: {status.open} corrections are still open)"
        )
    last = status.rounds[-1]
    if status.changed_since_last_round:
        raise PasteupError(
            f"无法付印：{round_name(last.number)}后版面已改动，请先出校样核红 "
            f"(cannot sign off: the page changed since round {last.number}; export a proof first)"
        )
    signed = SignOff(by=by, at=at or now_iso(), round=last.number, document_hash=last.document_hash)
    document.set_proof(replace(document.proof, signed_off=signed))
    return signed


@dataclass(frozen=True, slots=True)
class TextChange:
    kind: str  # "insert" | "delete" | "replace"
    old_start: int
    old_text: str
    new_start: int
    new_text: str


@dataclass(frozen=True, slots=True)
class StoryDiff:
    story: str
    changes: tuple[TextChange, ...]  # empty when only added or removed
    added: bool = False
    removed: bool = False


@dataclass(frozen=True, slots=True)
class RoundDiff:
    old: ProofRound
    new: ProofRound
    stories: tuple[StoryDiff, ...]
    regions: tuple[tuple[str, tuple[int, int, int, int]], ...]  # changed blocks, rect (lu)


def round_diff(document: PageDocument, old_number: int, new_number: int) -> RoundDiff:
    """Text changes per story between two rounds and the block rectangles they touch."""
    rounds = {r.number: r for r in document.proof.rounds}
    for number in (old_number, new_number):
        if number not in rounds:
            known = ", ".join(str(n) for n in rounds) or "无 none"
            raise PasteupError(f"没有第 {number} 轮校样 (no proof round {number}; rounds: {known})")
    old, new = rounds[old_number], rounds[new_number]
    old_texts, new_texts = dict(old.stories), dict(new.stories)
    diffs = []
    for story in dict.fromkeys([*old_texts, *new_texts]):
        if story not in new_texts:
            diffs.append(StoryDiff(story, (), removed=True))
        elif story not in old_texts:
            diffs.append(StoryDiff(story, (), added=True))
        elif old_texts[story] != new_texts[story]:
            diffs.append(StoryDiff(story, text_changes(old_texts[story], new_texts[story])))
    changed_stories = {d.story for d in diffs}
    old_rects, new_rects = dict(old.blocks), dict(new.blocks)
    story_of = {b.id: block_stories(b) for b in document.blocks}
    regions = []
    for block in dict.fromkeys([*old_rects, *new_rects]):
        moved = old_rects.get(block) != new_rects.get(block)
        if moved or changed_stories.intersection(story_of.get(block, ())):
            regions.append((block, new_rects.get(block) or old_rects[block]))
    return RoundDiff(old, new, tuple(diffs), tuple(regions))


def text_changes(old: str, new: str) -> tuple[TextChange, ...]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return tuple(
        TextChange(tag, i1, old[i1:i2], j1, new[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
