"""Story files: plain UTF-8 text with a small role markup (docs/story-files.md).

One paragraph per line; a line may start with a role tag such as 【主题】; `%%` starts a
comment line. Import normalises to NFC (never NFKC, which would turn full-width
punctuation into ASCII) and converts half-width , ; : ? ! ( ) between Chinese
characters to full width, reporting every change so an editor can check it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.errors import PasteupError
from app.model import limits
from app.model.files import read_regular
from app.model.story import Paragraph, Story
from app.model.styles import ROLES, canonical_role

_TAG = re.compile(r"^\s*[【\[]([^】\]]{1,16})[】\]]\s*")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def _is_chinese(ch: str) -> bool:
    """Han, CJK punctuation and full-width forms: the context that makes , a Chinese comma."""
    code = ord(ch)
    return (
        0x3400 <= code <= 0x9FFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or ch in "“”‘’…—·"
    )


@dataclass(frozen=True, slots=True)
class Conversion:
    """One half-width mark made full width: where it was and what it became."""

    line: int
    column: int
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class StoryImport:
    story: Story
    conversions: tuple[Conversion, ...]
    normalised_lines: tuple[int, ...]  # lines NFC changed

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for c in self.conversions:
            counts[f"{c.before}→{c.after}"] = counts.get(f"{c.before}→{c.after}", 0) + 1
        parts = [f"{k} ×{v}" for k, v in sorted(counts.items())]
        if self.normalised_lines:
            parts.append(f"NFC: {len(self.normalised_lines)} 行")
        return "，".join(parts) if parts else "无改动 (no changes)"


def read_story_file(path: Path, story_id: str | None = None, source: str = "") -> StoryImport:
    path = Path(path)
    raw = read_regular(path, limits.MAX_STORY_BYTES)
    if b"\x00" in raw[:8192]:
        raise PasteupError(f"{path}: 是二进制文件，不是文本稿件 (binary file, not a text story)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PasteupError(
            f"{path}: 不是 UTF-8 文本 (not UTF-8 text): invalid byte 0x{raw[error.start]:02x} "
            f"at offset {error.start}"
        ) from None
    return parse_story(text, story_id or path.stem, str(path), source or path.name)


def parse_story(text: str, story_id: str, name: str = "story", source: str = "") -> StoryImport:
    paragraphs: list[Paragraph] = []
    conversions: list[Conversion] = []
    normalised: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("%%") or not line.strip():
            continue
        role = "正文"
        tag = _TAG.match(line)
        if tag:
            role = canonical_role(tag.group(1)) or ""
            if not role:
                raise PasteupError(
                    f"{name}: line {number}: unknown role tag 【{tag.group(1)}】 "
                    f"(known: {'、'.join(ROLES)})"
                )
            line = line[tag.end() :]
        nfc = unicodedata.normalize("NFC", line)
        if nfc != line:
            normalised.append(number)
        body, changed = _full_width_punctuation(nfc.strip(), number, (tag.end() if tag else 0) + 1)
        conversions.extend(changed)
        problem = limits.text_problem(body)
        if problem:
            raise PasteupError(f"{name}: line {number}: {problem}")
        if body:
            paragraphs.append(Paragraph(role, body))
    if len(paragraphs) > limits.MAX_PARAGRAPHS:
        raise PasteupError(
            f"{name}: {len(paragraphs)} 段超过上限 (paragraphs over the limit of "
            f"{limits.MAX_PARAGRAPHS})"
        )
    if not paragraphs:
        raise PasteupError(f"{name}: 稿件没有正文 (the story has no text)")
    return StoryImport(
        Story(story_id, tuple(paragraphs), source), tuple(conversions), tuple(normalised)
    )


def _full_width_punctuation(line: str, number: int, column0: int) -> tuple[str, list[Conversion]]:
    """Half-width , ; : ? ! ( ) with Chinese on the relevant side become full width.

    A comma, semicolon, colon, ? or ! after a Chinese character converts (a following
    ASCII space is absorbed); ( converts before Chinese text, ) after it. Latin and
    numbers such as 1,234.56 or 12:30 keep their ASCII marks.
    """
    out: list[str] = []
    changes: list[Conversion] = []
    i = 0
    while i < len(line):
        ch = line[i]
        before = out[-1] if out else ""
        after = line[i + 1] if i + 1 < len(line) else ""
        convert = False
        if ch in ",;:?!":  # after Chinese, or before it unless inside a number (1,234)
            convert = (bool(before) and _is_chinese(before)) or (
                bool(after) and _is_chinese(after) and not before.isdigit()
            )
        elif ch == "(":
            convert = bool(after) and _is_chinese(after)
        elif ch == ")":
            convert = bool(before) and _is_chinese(before)
        if convert:
            out.append(_FULL_WIDTH[ch])
            changes.append(Conversion(number, column0 + i, ch, _FULL_WIDTH[ch]))
            if ch in ",;:?!)" and after == " " and i + 2 < len(line) and _is_chinese(line[i + 2]):
                i += 1  # the space after a converted mark was only the ASCII habit
        else:
            out.append(ch)
        i += 1
    return "".join(out), changes
