"""What a proofreader meant: annotations grouped into marks, each with one action.

Viewers spread one correction over several annotations. Acrobat's "replace text" is a
Caret (/IT /Replace, the new text in /Contents) grouped with a StrikeOut over the old
text (/IRT + /RT /Group, /IT /StrikeOutTextEdit); a review state is a reply (/IRT) with
/State and /StateModel; a discussion is replies with /IRT. This module folds those into
one `Mark` per correction (newspaper.md §4.3 maps GB/T 14706 marks to annotations).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.model.proofing import Reply
from app.model.story import PARAGRAPH_SEPARATOR
from app.proof.damage import INTEGRITY_PREFIX
from app.proof.notes import read_instruction
from app.proof.pdfread import PdfAnnotation

TEXT_MARKUP = frozenset({"Highlight", "Underline", "Squiggly", "StrikeOut", "Redact"})
AREA_MARKS = frozenset({"Square", "Circle", "Ink", "Polygon", "PolyLine"})
# /NM of the annotations Pasteup writes when answering back (app/proof/answer.py).
ANSWER_PREFIX = "pasteup-answer-"
STATE_PREFIX = "pasteup-state-"


@dataclass(frozen=True, slots=True)
class Mark:
    """One correction as the proofreader made it: the main annotation, its group, its thread."""

    main: PdfAnnotation  # the annotation whose id names the correction
    members: tuple[PdfAnnotation, ...]  # main first, then grouped parts (/RT /Group)
    action: str  # delete | insert | replace | comment
    replacement: str
    replies: tuple[Reply, ...]
    viewer_state: str  # the latest review state set in the viewer, or ""
    # where an insertion goes: "point" (caret tip, note anchor), or "before"/"after" the range
    # a text-markup annotation covers (a note 前加…/后加… on a highlight)
    insert_at: str = "point"

    @property
    def type(self) -> str:
        return "+".join(dict.fromkeys(a.subtype for a in self.members))

    @property
    def contents(self) -> str:
        """The proofreader's words; a replace group's new text is `replacement`, not a note."""
        if self.action in ("insert", "replace"):
            texts = [a.contents for a in self.members if a.subtype != "Caret"]
        else:
            texts = [a.contents for a in self.members]
        return "\n".join(dict.fromkeys(t for t in texts if t))

    def strikeouts(self) -> tuple[PdfAnnotation, ...]:
        return tuple(a for a in self.members if a.subtype == "StrikeOut")

    def caret(self) -> PdfAnnotation | None:
        return next((a for a in self.members if a.subtype == "Caret"), None)


def group_marks(annotations: tuple[PdfAnnotation, ...]) -> list[Mark]:
    """Fold groups, replies and state changes into the marks they belong to."""
    annotations = tuple(a for a in annotations if not a.name.startswith(INTEGRITY_PREFIX))
    by_id = {a.id: a for a in annotations}
    members: dict[str, list[PdfAnnotation]] = {}
    threads: dict[str, list[PdfAnnotation]] = {}
    for annot in annotations:
        root = _root(annot, by_id)
        if root is annot:
            members.setdefault(annot.id, []).insert(0, annot)
        elif annot.reply_type == "Group" and annot.subtype != "Text":
            members.setdefault(root.id, []).append(annot)
        else:
            threads.setdefault(root.id, []).append(annot)
    marks = []
    for root_id, group in members.items():
        if group[0].name.startswith(ANSWER_PREFIX):
            marks.extend(_replies_to_answer(group[0], threads.get(root_id, [])))
            continue
        main = _main_of(group)
        ordered = (main, *[a for a in group if a is not main])
        thread = sorted(threads.get(root_id, []), key=lambda a: a.modified or a.created)
        action, replacement, insert_at = _action(ordered)
        marks.append(
            Mark(
                main=main,
                members=ordered,
                action=action,
                replacement=replacement,
                replies=tuple(
                    Reply(a.author, a.modified or a.created, a.contents)
                    for a in thread
                    if not a.state and a.contents
                ),
                viewer_state=next(
                    (a.state for a in reversed(thread) if a.state and a.state_model != "Marked"),
                    "",
                ),
                insert_at=insert_at,
            )
        )
    return marks


def _replies_to_answer(answer: PdfAnnotation, thread: list[PdfAnnotation]) -> list[Mark]:
    """Pasteup's own answer is not a correction, but a proofreader's reply to it is one
    (核红 found the change wrong): a comment placed where the answer is."""
    marks = []
    for reply in thread:
        if reply.name.startswith(STATE_PREFIX) or not (reply.contents or reply.state):
            continue
        text = reply.contents if not reply.state else f"核红：{reply.state} {reply.contents}"
        placed = replace(reply, rect=answer.rect, contents=text.strip(), in_reply_to="")
        marks.append(Mark(placed, (placed,), "comment", "", (), ""))
    return marks


def _root(annot: PdfAnnotation, by_id: dict[str, PdfAnnotation]) -> PdfAnnotation:
    """Follow /IRT up to the annotation that started the thread (cycles stop the walk)."""
    seen = {annot.id}
    while annot.in_reply_to in by_id and annot.in_reply_to not in seen:
        annot = by_id[annot.in_reply_to]
        seen.add(annot.id)
    return annot


def _main_of(group: list[PdfAnnotation]) -> PdfAnnotation:
    """A replace group is named by its caret whichever way the /IRT points (viewers differ)."""
    carets = [a for a in group if a.subtype == "Caret"]
    return carets[0] if carets and len(group) > 1 else group[0]


def _action(members: tuple[PdfAnnotation, ...]) -> tuple[str, str, str]:
    """(action, new text, where an insertion goes) of a group of annotations."""
    kinds = {a.subtype for a in members}
    caret = next((a for a in members if a.subtype == "Caret"), None)
    if caret is not None:
        inserted = _inserted_text(caret)
        if "StrikeOut" in kinds:
            return "replace", inserted, "point"
        if inserted:
            return "insert", inserted, "point"
        return "comment", "", "point"
    main = members[0]
    if len(members) == 1 and main.contents and main.subtype in INSTRUCTABLE:
        return _noted(main)
    if kinds == {"StrikeOut"}:
        return "delete", "", "point"
    return "comment", "", "point"


# Annotations whose note may be an instruction (notes.py): struck or marked text, a sticky
# note, a text box (pdf.js writes FreeText where the reader clicked).
INSTRUCTABLE = frozenset({"StrikeOut", "Highlight", "Underline", "Squiggly", "Text", "FreeText"})
POINT_NOTES = frozenset({"Text", "FreeText"})


def _noted(annot: PdfAnnotation) -> tuple[str, str, str]:
    """What a note on a strike-out, a highlight or at a point asks for; a note that is not
    one clear instruction leaves the mark a comment (a strike-out too: 「改为××」 that could
    not be read must not become a deletion)."""
    instruction = read_instruction(annot.contents)
    if instruction is None:
        return "comment", "", "point"
    text = instruction.text.replace("\r\n", "\n").replace("\n", PARAGRAPH_SEPARATOR)
    if annot.subtype in POINT_NOTES:
        if instruction.action == "insert" and instruction.where == "here":
            return "insert", text, "point"
        return "comment", "", "point"
    if instruction.action == "insert":
        if instruction.where in ("before", "after"):
            return "insert", text, instruction.where
        return "comment", "", "point"  # 加… on a marked range: before it or after it?
    return instruction.action, text, "point"


def _inserted_text(caret: PdfAnnotation) -> str:
    """A caret's text; line breaks and /Sy /P (另起段) become paragraph breaks in the story."""
    text = caret.contents.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\n", PARAGRAPH_SEPARATOR)
    if caret.symbol == "P" and not text.startswith(PARAGRAPH_SEPARATOR):
        text = PARAGRAPH_SEPARATOR + text
    return text
