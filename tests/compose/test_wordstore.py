"""Headline word starts are remembered across processes, and a damaged store only costs time."""

from __future__ import annotations

from app.compose import wordstore
from app.compose.headline import _segment
from app.fonts.filehash import cache_dir


def _fresh_process() -> None:
    wordstore._stored = None  # what a new process starts with: only the file


def test_a_text_segmented_once_is_read_back_in_the_next_process():
    calls = []

    def segment(text: str) -> frozenset[int]:
        calls.append(text)
        return _segment(text)

    text = "综改区晋中开发区传达全国两会精神"
    first = wordstore.word_starts(text, segment)
    _fresh_process()
    assert wordstore.word_starts(text, segment) == first == _segment(text)
    assert calls == [text]


def test_a_damaged_store_is_segmented_again(tmp_path):
    text = "市五届人大五次会议代表建议办理工作亮点回眸"
    wordstore.word_starts(text, _segment)
    (cache_dir() / wordstore.CACHE_NAME).write_text('{"format": 1, "words": [', "utf-8")
    _fresh_process()
    assert wordstore.word_starts(text, _segment) == _segment(text)
