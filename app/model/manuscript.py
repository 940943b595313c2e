"""Manuscripts placed on a page: story files, plain text in any common encoding, Word files.

Everything ends in `parse_story`, so 【role】 tags, half-width punctuation and NFC are
handled the same whether the text came from a file, a .docx or the clipboard.

- Text: a BOM decides UTF-8/UTF-16; otherwise strict UTF-8; otherwise `charset-normalizer`
  guesses (newsroom systems still write GB18030/GBK). A guessed GBK or GB2312 is read as
  GB18030, its superset. The report names the encoding and says when it was guessed.
- Word (.docx, python-docx): a paragraph's style or its boldness gives its role. Before
  the first body paragraph: Title / Heading 1 / 标题 1 → 主题, Subtitle / Heading 2 → 副题,
  Heading 3 → 引题, a short line starting 本报/记者/通讯员/新华社 → 作者, a bold line → 主题
  (or 副题 after one); after it, any heading or bold line → 小标题. A paragraph that
  starts with a 【role】 tag keeps its tag. Empty paragraphs are dropped.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.errors import PasteupError
from app.model.storyfile import StoryImport, parse_story

TEXT_SUFFIXES = (".txt", ".text", ".story")
WORD_SUFFIXES = (".docx",)
MANUSCRIPT_SUFFIXES = TEXT_SUFFIXES + WORD_SUFFIXES
MAX_BYTES = 16 * 1024 * 1024  # a manuscript is words, not megabytes of them
_GB_FAMILY = {"gbk", "gb2312", "gb18030", "cp936", "hz"}
_CHINESE_CODECS = {"gb18030", "big5", "big5hkscs", "utf_16_le", "utf_16_be"}
_TAGGED = re.compile(r"^\s*[【\[][^】\]]{1,16}[】\]]")
_BYLINE = re.compile(r"^\s*(本报|记者|通讯员|新华社|人民日报|据)")


@dataclass(frozen=True, slots=True)
class Manuscript:
    """A placed manuscript: the story as imported, and how it was read (for the report)."""

    imported: StoryImport
    encoding: str  # "UTF-8", "GB18030", "UTF-16", "docx"
    guessed: bool  # the encoding came from the detector, not a BOM or a clean UTF-8 decode

    def report(self) -> str:
        """The import report shown after placing: encoding, counts, punctuation converted."""
        story = self.imported.story
        how = "（自动识别 detected）" if self.guessed else ""
        return (
            f"{self.encoding}{how}；{len(story.paragraphs)} 段，{story.char_count()} 字；"
            f"标点转换：{self.imported.summary()}"
        )


def read_manuscript(path: Path, story_id: str, source: str = "") -> Manuscript:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PasteupError(f"{path}: 文件不存在 (file not found)") from None
    except OSError as error:
        raise PasteupError(f"{path}: 无法读取 (cannot read): {error.strerror}") from None
    if size > MAX_BYTES:
        raise PasteupError(f"{path}: 稿件过大 (manuscript larger than {MAX_BYTES >> 20} MB)")
    if path.suffix.lower() in WORD_SUFFIXES:
        text = _docx_text(path)
        return Manuscript(
            parse_story(text, story_id, str(path), source or path.name), "docx", False
        )
    text, encoding, guessed = decode_text(path.read_bytes(), str(path))
    return Manuscript(
        parse_story(text, story_id, str(path), source or path.name), encoding, guessed
    )


def decode_text(raw: bytes, name: str) -> tuple[str, str, bool]:
    """(text, encoding name, guessed) of a plain-text manuscript."""
    for bom, codec, label in (
        (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
        (b"\xff\xfe", "utf-16", "UTF-16"),
        (b"\xfe\xff", "utf-16", "UTF-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), label, False
            except UnicodeDecodeError:
                raise PasteupError(f"{name}: {label} 文本已损坏 (damaged {label} text)") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:
            return text, "UTF-8", False
    from charset_normalizer import from_bytes

    # The detector's candidates, then GB18030 and BOM-less UTF-16: a short Chinese manuscript
    # is often taken for Korean johab or Japanese cp932. Of those that decode, the one reading
    # most like Chinese or ASCII text wins, a Chinese encoding before others, then the
    # detector's order.
    candidates = [m.encoding for m in from_bytes(raw)] + ["gb18030", "utf_16_le", "utf_16_be"]
    best: tuple[tuple[float, bool, int], str, str] | None = None
    for index, encoding in enumerate(candidates):
        codec = "gb18030" if encoding.lower().replace("-", "_") in _GB_FAMILY else encoding
        try:
            text = raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        rank = (_plausibility(text), codec in _CHINESE_CODECS, -index)
        if best is None or rank > best[0]:
            best = (rank, codec, text)
    if best is None or best[0][0] < 0.9:
        raise PasteupError(f"{name}: 不是文本稿件，或编码无法识别 (binary or unknown encoding)")
    _, codec, text = best
    label = "GB18030" if codec == "gb18030" else codec.upper().replace("_", "-")
    return text, label, True


def _plausibility(text: str) -> float:
    """The share of characters a Chinese manuscript is made of (Han, CJK marks, ASCII)."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if ("\u4e00" <= ch <= "\u9fff")
        or ("\u3000" <= ch <= "\u303f")
        or ("\uff00" <= ch <= "\uffef")
        or (" " <= ch <= "~")
        or ch in "\n\r\t“”‘’…—·"
    )
    return good / len(text)


def _docx_text(path: Path) -> str:
    """The Word document as story-file lines, each with its role tag."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise PasteupError(
            f"{path}: 不是 Word (.docx) 文件或已损坏 (not a readable .docx)"
        ) from None
    lines: list[str] = []
    body_started = False
    headline = 0
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split("\n")).strip()
        if not text:
            continue
        if _TAGGED.match(text):
            lines.append(text)
            body_started = body_started or "正文" in text[:6]
            continue
        role = _docx_role(paragraph, text, body_started, headline)
        if role in ("主题", "副题", "引题"):
            headline += 1
        if role == "正文":
            body_started = True
        lines.append(f"【{role}】{text}")
    return "\n".join(lines)


def _docx_role(paragraph, text: str, body_started: bool, headlines: int) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)
    heading = style.startswith(("heading", "标题")) or style in ("title", "subtitle")
    if body_started:
        return "小标题" if heading or (bold and len(text) <= 40) else "正文"
    if style in ("title", "heading 1", "标题", "标题 1"):
        return "主题"
    if style in ("subtitle", "heading 2", "副标题", "标题 2"):
        return "副题"
    if style in ("heading 3", "标题 3"):
        return "引题"
    if len(text) <= 40 and _BYLINE.match(text):
        return "作者"
    if bold and len(text) <= 60:
        return "副题" if headlines else "主题"
    return "正文"
