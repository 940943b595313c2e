"""Stories: the text of an article (or caption, section head …) as paragraphs with roles.

A story's *character stream* is its paragraphs' text joined with U+2029 (PARAGRAPH
SEPARATOR). The text map, proof corrections and editor cursors all index into it,
so an edit anywhere is one `replace(start, end, text)` on that stream.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

PARAGRAPH_SEPARATOR = "\u2029"


@dataclass(frozen=True, slots=True)
class Paragraph:
    role: str
    text: str


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    paragraphs: tuple[Paragraph, ...]
    source: str = ""  # the story file it was imported from, relative to the page file

    @property
    def stream(self) -> str:
        return PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    def char_count(self) -> int:
        """Characters as layout staff count them: without paragraph breaks or spaces."""
        return sum(len(p.text.replace(" ", "").replace("\u3000", "")) for p in self.paragraphs)

    def paragraph_starts(self) -> list[int]:
        """Offset of each paragraph's first character in the stream."""
        starts, offset = [], 0
        for paragraph in self.paragraphs:
            starts.append(offset)
            offset += len(paragraph.text) + 1
        return starts

    def replace_text(self, start: int, end: int, text: str) -> Story:
        """The story with stream[start:end] replaced by `text`.

        A U+2029 in `text` splits a paragraph (the new one keeps the role); removing a
        U+2029 joins two (the joined one keeps the first's role).
        """
        stream = self.stream
        if not 0 <= start <= end <= len(stream):
            raise IndexError(f"range {start}–{end} outside story {self.id!r} of {len(stream)}")
        new_stream = stream[:start] + text + stream[end:]
        roles = [p.role for p in self.paragraphs]
        # The paragraph index of each new paragraph: map through the untouched prefix/suffix.
        before = stream[:start].count(PARAGRAPH_SEPARATOR)
        removed = stream[start:end].count(PARAGRAPH_SEPARATOR)
        added = text.count(PARAGRAPH_SEPARATOR)
        new_roles = roles[: before + 1] + [roles[before]] * added + roles[before + 1 + removed :]
        texts = new_stream.split(PARAGRAPH_SEPARATOR)
        return replace(
            self, paragraphs=tuple(Paragraph(r, t) for r, t in zip(new_roles, texts, strict=True))
        )

    def with_paragraphs(self, paragraphs: tuple[Paragraph, ...]) -> Story:
        return replace(self, paragraphs=paragraphs)
