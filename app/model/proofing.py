"""Proof rounds and corrections as saved in the page document.

The proofing package (app/proof) owns the behaviour; this module only holds the data
and its JSON codec so the page document can carry it. A correction keeps both where
it is (`start`/`end` in the story's character stream) and what it marks (`text` with
`before`/`after` context), so it can be found again after the story changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.model.fields import Where, as_choice, as_dict, as_int, as_list, as_note, as_str

ACTIONS = ("delete", "insert", "replace", "comment")
STATES = ("open", "applied", "rejected")


_DIGITS = "〇一二三四五六七八九"


def round_name(number: int) -> str:
    """一校, 二校 … 十校, 十一校 … 九十九校; past that in digits (no desk goes there)."""
    if not 1 <= number <= 99:
        return f"{number}校"
    tens, ones = divmod(number, 10)
    numeral = ("" if tens < 2 else _DIGITS[tens]) + ("十" if tens else "")
    return numeral + (_DIGITS[ones] if ones else "") + "校"


@dataclass(frozen=True, slots=True)
class Reply:
    """A note in a correction's thread: from the proofreader's PDF or from layout staff."""

    author: str
    date: str  # ISO 8601
    text: str
    origin: str = "pdf"  # "pdf" (read from an annotated proof) or "pasteup"


@dataclass(frozen=True, slots=True)
class Correction:
    id: str  # stable annotation id (see app/proof/pdfread.py)
    round: int  # the proof round the mark was made on
    type: str  # annotation subtype(s), e.g. "StrikeOut" or "Caret+StrikeOut"
    action: str  # one of ACTIONS
    author: str
    created: str
    modified: str
    page: int  # page of the proof PDF, 1-based
    contents: str  # what the proofreader wrote
    replacement: str = ""  # text to put in (insert / replace)
    story: str = ""  # "" = not pinned
    block: str = ""
    start: int = 0  # where it is now in the story's character stream
    end: int = 0
    text: str = ""  # the marked text as the proofreader saw it
    before: str = ""  # context for finding it again
    after: str = ""
    unpinned_reason: str = ""
    review: str = ""  # why it is held for a person to look at: never applied by `accept --all`
    state: str = "open"  # one of STATES
    why: str = ""  # reason for rejecting
    decided_by: str = ""
    decided_at: str = ""
    viewer_state: str = ""  # review state set in the PDF viewer (Accepted, Rejected, …)
    replies: tuple[Reply, ...] = ()

    @property
    def pinned(self) -> bool:
        return bool(self.story)

    @property
    def held(self) -> bool:
        """Not safe to apply without a person: not pinned, or pinned but held for review."""
        return not self.pinned or bool(self.review)

    @property
    def current_text(self) -> str:
        """What stands at [start, end) now: the new text once applied, else the marked text."""
        return (
            self.replacement if self.state == "applied" and self.action != "comment" else self.text
        )


@dataclass(frozen=True, slots=True)
class ProofRound:
    """A proof export: what every story said and where every block sat, for `proof diff`."""

    number: int  # 1 = 一校, 2 = 二校, 3 = 三校 …
    started: str  # ISO 8601
    document_hash: str  # app.model.content_hash at export
    stories: tuple[tuple[str, str], ...]  # (story id, character stream)
    blocks: tuple[tuple[str, tuple[int, int, int, int]], ...]  # (block id, rect in 1/64 pt)


@dataclass(frozen=True, slots=True)
class SignOff:
    """付印: the page released for print after the given round."""

    by: str
    at: str
    round: int
    document_hash: str


@dataclass(frozen=True, slots=True)
class ProofState:
    rounds: tuple[ProofRound, ...] = ()
    corrections: tuple[Correction, ...] = ()
    signed_off: SignOff | None = None


# -- reading -----------------------------------------------------------------------------------
def proof_from_json(value: Any, where: Where) -> ProofState:
    data = as_dict(value, where, ("rounds", "corrections", "signed_off"))
    signed = data.get("signed_off")
    state = ProofState(
        rounds=tuple(as_list(data.get("rounds", []), where.key("rounds"), _round)),
        corrections=tuple(
            as_list(data.get("corrections", []), where.key("corrections"), _correction)
        ),
        signed_off=None if signed is None else _sign_off(signed, where.key("signed_off")),
    )
    _check_unique(state, where)
    return state


def _round(value: Any, where: Where) -> ProofRound:
    data = as_dict(value, where, ("number", "started", "document_hash", "stories", "blocks"),
                   required=("number", "document_hash", "stories"))  # fmt: skip
    stories_at, blocks_at = where.key("stories"), where.key("blocks")
    stories = as_dict(data["stories"], stories_at, _keys(data["stories"]))
    blocks = as_dict(data.get("blocks", {}), blocks_at, _keys(data.get("blocks", {})))
    return ProofRound(
        number=as_int(data["number"], where.key("number"), minimum=1),
        started=as_note(data.get("started", ""), where.key("started")),
        document_hash=as_str(data["document_hash"], where.key("document_hash"), empty=False),
        stories=tuple((k, as_note(v, stories_at.key(k))) for k, v in stories.items()),
        blocks=tuple((k, _rect(v, blocks_at.key(k))) for k, v in blocks.items()),
    )


def _rect(value: Any, where: Where) -> tuple[int, int, int, int]:
    numbers = as_list(value, where, lambda v, w: as_int(v, w))
    if len(numbers) != 4:
        raise where.error(f"expected [x, y, w, h], got {len(numbers)} numbers")
    return numbers[0], numbers[1], numbers[2], numbers[3]


_CORRECTION_TEXT = ("type", "author", "created", "modified", "contents", "replacement", "story",
                    "block", "text", "before", "after", "unpinned_reason", "review", "why",
                    "decided_by", "decided_at", "viewer_state")  # fmt: skip


def _correction(value: Any, where: Where) -> Correction:
    fields = ("id", "round", "action", "page", "start", "end", "state", "replies",
              *_CORRECTION_TEXT)  # fmt: skip
    data = as_dict(value, where, fields, required=("id", "round", "action"))
    texts = {k: as_note(data.get(k, ""), where.key(k)) for k in _CORRECTION_TEXT}
    correction = Correction(
        id=as_str(data["id"], where.key("id"), empty=False),
        round=as_int(data["round"], where.key("round"), minimum=1),
        action=as_choice(data["action"], where.key("action"), ACTIONS),
        page=as_int(data.get("page", 1), where.key("page"), minimum=1),
        start=as_int(data.get("start", 0), where.key("start"), minimum=0),
        end=as_int(data.get("end", 0), where.key("end"), minimum=0),
        state=as_choice(data.get("state", "open"), where.key("state"), STATES),
        replies=tuple(as_list(data.get("replies", []), where.key("replies"), _reply)),
        **texts,
    )
    if correction.end < correction.start:
        raise where.key("end").error(f"end {correction.end} is before start {correction.start}")
    return correction


def _reply(value: Any, where: Where) -> Reply:
    data = as_dict(value, where, ("author", "date", "text", "origin"), required=("text",))
    return Reply(
        author=as_note(data.get("author", ""), where.key("author")),
        date=as_note(data.get("date", ""), where.key("date")),
        text=as_note(data["text"], where.key("text")),
        origin=as_choice(data.get("origin", "pdf"), where.key("origin"), ("pdf", "pasteup")),
    )


def _sign_off(value: Any, where: Where) -> SignOff:
    data = as_dict(value, where, ("by", "at", "round", "document_hash"),
                   required=("round", "document_hash"))  # fmt: skip
    return SignOff(
        by=as_note(data.get("by", ""), where.key("by")),
        at=as_note(data.get("at", ""), where.key("at")),
        round=as_int(data["round"], where.key("round"), minimum=1),
        document_hash=as_str(data["document_hash"], where.key("document_hash"), empty=False),
    )


def _keys(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, dict) else ()


def _check_unique(state: ProofState, where: Where) -> None:
    seen: set[str] = set()
    for i, correction in enumerate(state.corrections):
        if correction.id in seen:
            raise where.key("corrections").index(i).error(f"duplicate id {correction.id!r}")
        seen.add(correction.id)
    numbers = [r.number for r in state.rounds]
    if numbers != sorted(set(numbers)):
        raise where.key("rounds").error(f"round numbers must increase, got {numbers}")


# -- writing -----------------------------------------------------------------------------------
def proof_to_json(state: ProofState) -> dict:
    out: dict[str, Any] = {
        "rounds": [
            {
                "number": r.number,
                "started": r.started,
                "document_hash": r.document_hash,
                "stories": dict(r.stories),
                "blocks": {block: list(rect) for block, rect in r.blocks},
            }
            for r in state.rounds
        ],
        "corrections": [_correction_to_json(c) for c in state.corrections],
    }
    if state.signed_off:
        s = state.signed_off
        out["signed_off"] = {"by": s.by, "at": s.at, "round": s.round,
                             "document_hash": s.document_hash}  # fmt: skip
    return out


def _correction_to_json(c: Correction) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "round": c.round, "action": c.action, "page": c.page,
                           "start": c.start, "end": c.end, "state": c.state}  # fmt: skip
    out.update({k: getattr(c, k) for k in _CORRECTION_TEXT if getattr(c, k)})
    if c.replies:
        out["replies"] = [
            {"author": r.author, "date": r.date, "text": r.text, "origin": r.origin}
            for r in c.replies
        ]
    return out
