"""The newsroom's word list (词表): banned or commonly confused words, checked in preflight.

A word list is a UTF-8 text file, one entry a line: `错词` (banned: never print it) or
`错词 → 正词` / `错词 -> 正词` / `错词<TAB>正词` (confused: suggest the right one); `#` starts a
comment. The check runs over each story's composed text in reading order, so a word broken
across two lines is still found; each hit is a warning on the block that prints it.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.compose.layout import Finding, PageLayout
from app.errors import PasteupError

Entry = tuple[str, str]  # (word, suggestion or "")
MAX_ENTRIES = 100_000
_ARROW = re.compile(r"\s*(?:→|->|\t)\s*")


def read_word_list(path: Path) -> tuple[Entry, ...]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise PasteupError(f"{path}: 文件不存在 (file not found)") from None
    except UnicodeDecodeError:
        raise PasteupError(f"{path}: 词表应为 UTF-8 文本 (word list must be UTF-8)") from None
    entries: list[Entry] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = _ARROW.split(line, maxsplit=1)
        entries.append((parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""))
        if len(entries) > MAX_ENTRIES:
            raise PasteupError(f"{path}: 词表过长 (more than {MAX_ENTRIES} entries)")
    return tuple(e for e in entries if e[0])


def word_findings(layout: PageLayout, entries: tuple[Entry, ...]) -> list[Finding]:
    if not entries:
        return []
    by_story: dict[str, list] = {}
    for line in layout.lines:
        by_story.setdefault(line.story, []).append(line)
    pattern = re.compile(
        "|".join(re.escape(w) for w, _ in sorted(entries, key=lambda e: -len(e[0])))
    )
    suggestions = dict(entries)
    found: list[Finding] = []
    for story, lines in by_story.items():
        lines.sort(key=lambda line: line.start)
        text, owners, end = "", [], None
        for line in lines:
            if end is not None and line.start != end:  # a paragraph break: words stop there
                text += "\u2029"
                owners.append(line.block)
            text += line.text
            owners += [line.block] * len(line.text)
            end = line.start + len(line.text)
        for match in pattern.finditer(text):
            word = match.group(0)
            args = (("word", word), ("suggestion", suggestions.get(word, "")))
            code = "word-confused" if suggestions.get(word) else "word-banned"
            found.append(Finding(code, "warning", owners[match.start()], story, args))
    return found
