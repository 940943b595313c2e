"""The newsroom word list: found across line breaks, never across paragraphs."""

from __future__ import annotations

import pytest

from app.compose.composer import Composer
from app.errors import PasteupError
from app.export.wordlist import read_word_list, word_findings
from app.model import ArticleBlock, GridFrame, PageMeta, Paragraph, Story, load_layout
from app.model.newpage import new_page


def _layout(*paragraphs: str):
    document = new_page(load_layout("tabloid-6col"), PageMeta(), running_head=False)
    document.add_story(Story("a", tuple(Paragraph("正文", p) for p in paragraphs)))
    document.insert_block(ArticleBlock("a", "a", (GridFrame(0, 1, 0, 40),)))
    return Composer().compose(document)


def test_words_are_found_across_lines_but_not_paragraphs(tmp_path):
    words = tmp_path / "w.txt"
    words.write_text("截止 → 截至\n# 注释\n部份->部分\n禁用词\n", encoding="utf-8")
    entries = read_word_list(words)
    assert entries == (("截止", "截至"), ("部份", "部分"), ("禁用词", ""))
    filler = "甲" * 6  # with the 2-字 indent, a one-column tabloid line holds 9 字
    layout = _layout(filler + "截止到今天。", "这是禁用", "词开头的段。")
    assert [line.text for line in layout.lines][:2] == [filler + "截", "止到今天。"]
    found = word_findings(layout, entries)
    assert [(f.code, f.arg("word")) for f in found] == [("word-confused", "截止")]
    with pytest.raises(PasteupError, match="UTF-8"):
        bad = tmp_path / "bad.txt"
        bad.write_bytes("截止".encode("gb18030"))
        read_word_list(bad)
