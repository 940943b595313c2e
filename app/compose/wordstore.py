"""Word starts of headline texts, remembered across processes.

Loading the segmenter's dictionary (jieba) costs ~0.6 s, more than the rest of a fresh export,
and a page is exported again and again with its headlines unchanged (every proof round, the
plate). A text's word starts depend only on the text and the segmenter's version, so they are
kept in one small JSON file beside the font hashes (`app.fonts.filehash`); any trouble
reading or writing it only costs the segmenting it would have saved.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

from app.fonts.filehash import read_cache_file, write_cache_file

CACHE_NAME = "headline-words.json"
CACHE_FORMAT = 1
MAX_ENTRIES = 4096

_stored: dict[str, list[int]] | None = None  # this process's copy of the file


def word_starts(text: str, segment: Callable[[str], frozenset[int]]) -> frozenset[int]:
    """`segment(text)`, from the cache when this segmenter version has seen the text."""
    global _stored
    if _stored is None:
        _stored = _read()
    known = _stored.get(text)
    if known is not None:
        return frozenset(known)
    starts = segment(text)
    _stored.pop(text, None)
    _stored[text] = sorted(starts)
    _write(_stored)
    return starts


def _segmenter() -> str:
    try:
        return "jieba " + version("jieba")
    except PackageNotFoundError:
        return "jieba"


def _read() -> dict[str, list[int]]:
    data = read_cache_file(CACHE_NAME, CACHE_FORMAT)
    if data is None or data.get("segmenter") != _segmenter():
        return {}
    words = data.get("words")
    if not isinstance(words, dict):
        return {}
    return {
        text: starts
        for text, starts in words.items()
        if isinstance(starts, list)
        and all(isinstance(s, int) and 0 <= s <= len(text) for s in starts)
    }


def _write(words: dict[str, list[int]]) -> None:
    """Keep the newest MAX_ENTRIES texts."""
    kept = dict(list(words.items())[-MAX_ENTRIES:])
    write_cache_file(CACHE_NAME, {"format": CACHE_FORMAT, "segmenter": _segmenter(), "words": kept})
