"""Story files: markup, punctuation conversion, refusal of non-text input, NFC not NFKC."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from app.errors import PasteupError
from app.model import read_document
from app.model.storyfile import parse_story, read_story_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "assets" / "samples" / "news-page"
SEED = ROOT / "tests" / "data" / "news-page.txt"  # the seed text the sample page was made from


def test_roles_comments_and_body_lines():
    imported = parse_story(
        "%% a comment, with commas\n【引题】引题文字\n[head] 主题文字\n\n【署名】本报记者 张三\n正文第一段。\n",
        "s",
    )
    assert [(p.role, p.text) for p in imported.story.paragraphs] == [
        ("引题", "引题文字"),
        ("主题", "主题文字"),
        ("作者", "本报记者 张三"),
        ("正文", "正文第一段。"),
    ]


def test_half_width_punctuation_between_chinese_becomes_full_width():
    imported = parse_story("他说,今天(周五)开会;议题:预算?对!\n全年1,234.56亿元,时间12:30。\n", "s")
    first, second = (p.text for p in imported.story.paragraphs)
    assert first == "他说，今天（周五）开会；议题：预算？对！"
    assert second == "全年1,234.56亿元，时间12:30。"
    assert len(imported.conversions) == 8
    assert {(c.before, c.after) for c in imported.conversions} >= {(",", "，"), ("(", "（")}


def test_seed_commas_all_converted_and_every_character_kept():
    """The seed's 263 extraction commas: none survives between Chinese characters."""
    seed = SEED.read_text(encoding="utf-8")
    assert seed.count(",") == 263
    imported = parse_story(seed, "seed")
    text = "".join(p.text for p in imported.story.paragraphs)
    assert not re.search(r"[\u4e00-\u9fff],", text)
    assert sum(c.before == "," for c in imported.conversions) == 263
    # Nothing but the converted marks (and the ASCII space after them) changed.
    marks = str.maketrans("", "", ",;:?!()，；：？！（） ")
    seed_lines = [line.strip() for line in seed.splitlines() if line.strip()]
    for line, paragraph in zip(seed_lines, imported.story.paragraphs, strict=True):
        assert paragraph.text.translate(marks) == line.translate(marks)


def test_nfc_but_never_nfkc():
    imported = parse_story("e\u0301的，（）“”——……\n", "s")
    text = imported.story.paragraphs[0].text
    assert text == unicodedata.normalize("NFC", "e\u0301的，（）“”——……")
    assert "，" in text and "（" in text  # NFKC would have made these ASCII
    assert imported.normalised_lines == (1,)


def test_invalid_utf8_and_binary_are_refused(tmp_path):
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("中文稿件".encode("gbk"))
    with pytest.raises(PasteupError, match=r"gbk.txt: 不是 UTF-8 文本 .*invalid byte 0x"):
        read_story_file(bad)
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(PasteupError, match="binary file"):
        read_story_file(binary)
    with pytest.raises(PasteupError, match="unknown role tag"):
        parse_story("【大字报】文字\n", "s", "x.txt")


def test_sample_page_stories_equal_their_story_files():
    document = read_document(SAMPLE / "page.json")
    for story in document.stories.values():
        imported = read_story_file(SAMPLE / story.source, story.id, story.source)
        assert imported.story == story


def test_sample_page_holds_the_seed_articles():
    """Every seed paragraph (with commas made full width) appears in the sample's stories."""
    document = read_document(SAMPLE / "page.json")
    everything = "".join(p.text for s in document.stories.values() for p in s.paragraphs)
    seed = parse_story(SEED.read_text(encoding="utf-8"), "seed").story
    missing = [
        p.text
        for p in seed.paragraphs
        if p.text not in everything and p.text.removeprefix("义。") not in everything
    ]
    # Fragments cut at column breaks are re-joined, so each must still occur as a substring.
    assert missing == []
