"""Builds benchmarks/corpus/: real Chinese prose for benchmarks/quality.py, from Debian packages.

    apt-get install debian-handbook debian-reference-zh-cn
    .venv/bin/python tools/build_corpus.py

`tune.txt`: the zh-CN translation of *The Debian Administrator's Handbook* (package
debian-handbook, GPL-2.0+ or CC-BY-SA-3.0). `heldout.txt`: the zh-CN translation of *Debian
Reference* (package debian-reference-zh-cn, GPL-2+), which the breaker's prices were never
tuned on. One paragraph a line: every HTML paragraph (`<p>` or `<div class="para">`) of at least 30 characters whose
characters are at least half Han, whitespace runs made one space, in document order, until the
split holds `LIMIT` characters. Sources and licences: benchmarks/corpus/README.md.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "corpus"
LIMIT = 40_000
HANDBOOK = Path("/usr/share/doc/debian-handbook/html/zh-CN")
REFERENCE = Path("/usr/share/debian-reference")


class _Paragraphs(HTMLParser):
    """The text of every paragraph: a `<p>`, or DocBook's `<div class="para">`."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []  # tags open inside the current paragraph
        self.current: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.open:
            self.open.append(tag)
        elif tag == "p" or (tag == "div" and dict(attrs).get("class") == "para"):
            self.open, self.current = [tag], []

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()
            if not self.open:
                self.found.append("".join(self.current))

    def handle_data(self, data):
        if self.open:
            self.current.append(data)


def _prose(html: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(html)
    kept = []
    for text in parser.found:
        text = re.sub(r"\s+", " ", text).strip()
        han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        if len(text) >= 30 and han * 2 >= len(text):
            kept.append(text)
    return kept


def _read(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def _split(files: list[Path]) -> list[str]:
    out: list[str] = []
    total = 0
    seen: set[str] = set()
    for path in files:
        for text in _prose(_read(path)):
            if text in seen:
                continue
            seen.add(text)
            out.append(text)
            total += len(text)
            if total >= LIMIT:
                return out
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    handbook = sorted(HANDBOOK.glob("sect.*.html"))
    reference = sorted(REFERENCE.glob("ch*.zh-cn.html"))
    for name, files in (("tune.txt", handbook), ("heldout.txt", reference)):
        paragraphs = _split(files)
        (OUT / name).write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        print(name, len(paragraphs), "paragraphs", sum(map(len, paragraphs)), "characters")


if __name__ == "__main__":
    main()
