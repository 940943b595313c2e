"""Find and replace across the page's stories, in the order their blocks sit on the page.

A match is (story, start, end) in the story's character stream; with `regex` the pattern
is a Python regular expression (never across a paragraph break: `.` does not match it).
全部替换 is one undo step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from app.editor.commands.actions import EditActions
from app.editor.commands.undo import SetStory
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model import PageDocument


@dataclass(frozen=True, slots=True)
class Match:
    story: str
    start: int
    end: int


def compile_pattern(text: str, regex: bool) -> re.Pattern:
    try:
        return re.compile(text if regex else re.escape(text))
    except re.error as error:
        raise PasteupError(tr("正则表达式有误：{message}", message=str(error))) from None


def story_order(document: PageDocument) -> list[str]:
    order = [getattr(b, "story", "") for b in document.blocks]
    seen = dict.fromkeys(s for s in order if s in document.stories)
    return list(seen) + [s for s in document.stories if s not in seen]


def find_all(document: PageDocument, pattern: re.Pattern) -> list[Match]:
    found = []
    for story_id in story_order(document):
        for match in pattern.finditer(document.stories[story_id].stream):
            if match.end() > match.start():
                found.append(Match(story_id, match.start(), match.end()))
    return found


def find_next(document: PageDocument, pattern: re.Pattern, after: Match | None) -> Match | None:
    """The first match after `after` (wrapping round to the page's first), or None."""
    matches = find_all(document, pattern)
    if not matches:
        return None
    if after is None:
        return matches[0]
    order = {s: i for i, s in enumerate(story_order(document))}
    key = (order.get(after.story, -1), after.start)
    for match in matches:
        if (order[match.story], match.start) > key:
            return match
    return matches[0]


def replace_all(edit: EditActions, pattern: re.Pattern, replacement: str, regex: bool) -> int:
    document = edit.document
    commands: list[QUndoCommand] = []
    count = 0
    for story_id in story_order(document):
        story = document.stories[story_id]
        hits = [m for m in pattern.finditer(story.stream) if m.end() > m.start()]
        if not hits:
            continue
        changed = story
        for hit in reversed(hits):  # from the end, so earlier offsets stay true
            text = hit.expand(replacement) if regex else replacement
            changed = changed.replace_text(hit.start(), hit.end(), text.replace("\n", "\u2029"))
        commands.append(SetStory(document, changed, tr("全部替换")))
        count += len(hits)
    edit.session.macro(tr("全部替换 {count} 处", count=count), commands)
    return count
