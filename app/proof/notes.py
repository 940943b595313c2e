"""Chinese correction notes read as instructions: 「改为××」 on a strike-out is a replacement.

Viewers without a caret tool (Evince, Papers, pdf.js) leave a proofreader two ways to ask
for new text: a note on a strike-out or highlight (改为…, 应为…, 删去) or a sticky note at
the point (此处加…). Only a note that is one such instruction and nothing else is read as
one; anything else — two instructions, a question, an explanation — stays a comment for a
person to decide. docs/proofing.md lists the phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TEXT = r"(?:[「“\"『《‘](?P<quoted>.+)[」”\"』》’]|(?P<plain>.+?))"
_END = r"[。.!！]?"
_REPLACE = re.compile(rf"^(?:改为|改成|应为|应是|更正为|换成|改作)[:：]?\s*{_TEXT}{_END}$")
_DELETE = re.compile(rf"^(?:删|删去|删除|删掉|去掉){_END}$")
_INSERT = re.compile(
    rf"^(?P<where>此处|前|后)?(?:加上|补上|插入|加|补|添|增)[:：]?\s*{_TEXT}{_END}$"
)
# An unquoted text with these is a question, a choice or several clauses: a person decides.
_DOUBT = re.compile(r"[?？]|或者|还是|是否|待定|核实|[,，;；]")


@dataclass(frozen=True, slots=True)
class Instruction:
    action: str  # "replace" | "delete" | "insert"
    text: str  # the new text ("" for delete)
    where: str = ""  # for insert: "here" (a point), "before" or "after" (a marked range)


def read_instruction(note: str) -> Instruction | None:
    """The instruction `note` states, or None when it is not exactly one clear instruction."""
    note = note.strip()
    if not note or "\n" in note:
        return None
    if _DELETE.match(note):
        return Instruction("delete", "")
    if match := _REPLACE.match(note) or _INSERT.match(note):
        text = _new_text(match)
        if text is None:
            return None
        if match.re is _REPLACE:
            return Instruction("replace", text)
        where = {"此处": "here", "前": "before", "后": "after"}.get(match.group("where") or "", "")
        return Instruction("insert", text, where or "here")
    return None


def _new_text(match: re.Match[str]) -> str | None:
    """Quoted text is taken as it is; unquoted text only when it is one character or reads
    as plain words."""
    if match.group("quoted") is not None:
        return match.group("quoted")
    text = match.group("plain").strip()
    if not text or (len(text) > 1 and _DOUBT.search(text)):
        return None
    return text
