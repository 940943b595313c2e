"""Builds benchmarks/corpus/: real Chinese prose for benchmarks/quality.py.

    apt-get install debian-handbook debian-reference-zh-cn
    git clone https://github.com/LCTT/TranslateProject /tmp/lctt
    git clone https://github.com/tallusil/luxun-novel-analysis /tmp/luxun
    git clone https://github.com/johncodes404/china-provincial-gov-reports-2026 /tmp/reports
    .venv/bin/python tools/build_corpus.py [--lctt /tmp/lctt] [--luxun /tmp/luxun] \
        [--reports /tmp/reports]

`tune.txt`: the zh-CN translation of *The Debian Administrator's Handbook* (package
debian-handbook, GPL-2.0+ or CC-BY-SA-3.0). `heldout.txt`: the zh-CN translation of *Debian
Reference* (package debian-reference-zh-cn, GPL-2+), which the breaker's prices were never
tuned on; nor on `articles.txt`: Linux 中国's translations of opensource.com articles
(CC-BY-SA-4.0), newest first, at most `PER_ARTICLE` paragraphs each, Markdown reduced to its
text; nor on `literature.txt`: 鲁迅's 《呐喊》 and 《彷徨》 (public domain), the editors' notes
and their marks left out; nor on `news.txt`: the 2026 work reports of the provincial
governments (state documents, outside copyright by Art. 5 of the PRC Copyright Law), as the
newspapers print them, in the order of the repository's province list, at most `PER_ARTICLE`
paragraphs each, from the address 各位代表 on (the commits used are in the README). One paragraph a line: every HTML
paragraph (`<p>` or `<div class="para">`), Markdown paragraph line or indented paragraph of at
least 30 characters whose characters are at least half Han, whitespace runs made one space, in
document order, until the split holds `LIMIT` characters. A split whose source is not given or
not installed is left as it is. Sources and licences: benchmarks/corpus/README.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "corpus"
LIMIT = 40_000
HANDBOOK = Path("/usr/share/doc/debian-handbook/html/zh-CN")
REFERENCE = Path("/usr/share/debian-reference")
PER_ARTICLE = 6
NOTE_MARKS = "".join(map(chr, range(0x2460, 0x2474))) + "".join(map(chr, range(0x2474, 0x2488)))


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
    return _kept(parser.found)


def _kept(found: list[str]) -> list[str]:
    """Whitespace runs made one space; at least 30 characters, at least half of them Han."""
    kept = []
    for text in found:
        text = re.sub(r"\s+", " ", text).strip()
        han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        if len(text) >= 30 and han * 2 >= len(text):
            kept.append(text)
    return kept


def _read(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def _markdown_text(line: str) -> str:
    """A Markdown paragraph line as the reader sees it (ruby as 词（gloss）)."""
    line = re.sub(r"!\[[^\]]*\](\([^)]*\)|\[[^\]]*\])", "", line)
    line = re.sub(r"\[([^\]]*)\](\([^)]*\)|\[[^\]]*\])", r"\1", line)
    line = re.sub(r"<ruby>(.*?)<rt>(.*?)</rt></ruby>", r"\1（\2）", line)
    line = re.sub(r"<[^>]+>", "", line)
    line = re.sub(r"(\*\*|__|`)", "", line)
    return line.replace("\\_", "_").replace("\\*", "*").removeprefix("> ")


def _lctt(repo: Path) -> list[list[str]]:
    """Per opensource.com article in `published/`, newest first: its prose paragraphs."""
    names = _git(repo, "grep", "-lz", 'via: "https://opensource.com', "HEAD", "--", "published")
    articles = []
    for name in sorted(names.strip("\0").split("\0"), reverse=True):
        found, fenced = [], False
        for line in _git(repo, "show", name).splitlines():
            if line.startswith("```"):
                fenced = not fenced
            skip = fenced or not line.strip() or line.startswith(("[", "#", "=", "-", "*", "|"))
            if not skip and not re.match(r"\d+\. ", line) and "原创编译" not in line:
                found.append(_markdown_text(line))
        articles.append(_kept(found)[:PER_ARTICLE])
    return articles


def _luxun(repo: Path) -> list[list[str]]:
    """《呐喊》 then 《彷徨》: paragraphs indented two ideographic or four ASCII spaces, their wrapped
    lines joined; the editors' notes (unindented, after □注释 or 注释：) and note marks dropped."""
    books = []
    for book in ("呐喊", "彷徨"):
        found: list[str] = []
        current: list[str] | None = None
        for line in _git(repo, "show", f"HEAD:data/combined/{book}.txt").splitlines():
            line = line.rstrip()
            starts = re.match(r"(\u3000\u3000|    )(?![\s\u3000])", line)
            if starts:
                current = [line.strip()]
                found.append("")
            elif (
                current is not None
                and line
                and not line[0].isspace()
                and line[0] not in (NOTE_MARKS + "□〔注")
            ):
                current.append(line)
            else:
                current = None
            if current is not None:
                found[-1] = "".join(current)
        books.append(_kept([re.sub(f"[{NOTE_MARKS}]", "", text) for text in found]))
    return books


def _reports(repo: Path) -> list[list[str]]:
    """Per province, in `provinces_31.json`'s order: the report's paragraphs after the address
    (各位代表…), the page's headers, captions and related links before it left out."""
    reports = []
    for entry in json.loads(_git(repo, "show", "HEAD:provinces_31.json")):
        name = f"HEAD:output/2026_raw_text/2026_{entry['province']}_政府工作报告.csv"
        rows = csv.DictReader(io.StringIO(_git(repo, "show", name).lstrip("\ufeff")))
        lines = next(rows)["full_text"].splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("各位代表"))
        reports.append(_kept(lines[start + 1 :])[:PER_ARTICLE])
    return reports


def _split(sources: list[list[str]]) -> list[str]:
    out: list[str] = []
    total = 0
    seen: set[str] = set()
    for source in sources:
        for text in source:
            if text in seen:
                continue
            seen.add(text)
            out.append(text)
            total += len(text)
            if total >= LIMIT:
                return out
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lctt", type=Path, help="a clone of LCTT/TranslateProject")
    parser.add_argument("--luxun", type=Path, help="a clone of tallusil/luxun-novel-analysis")
    parser.add_argument(
        "--reports", type=Path, help="a clone of johncodes404/china-provincial-gov-reports-2026"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    splits = {}
    if HANDBOOK.is_dir():
        splits["tune.txt"] = [_prose(_read(p)) for p in sorted(HANDBOOK.glob("sect.*.html"))]
    if REFERENCE.is_dir():
        splits["heldout.txt"] = [_prose(_read(p)) for p in sorted(REFERENCE.glob("ch*.zh-cn.html"))]
    if args.lctt:
        splits["articles.txt"] = _lctt(args.lctt)
    if args.luxun:
        splits["literature.txt"] = _luxun(args.luxun)
    if args.reports:
        splits["news.txt"] = _reports(args.reports)
    for name, sources in splits.items():
        paragraphs = _split(sources)
        (OUT / name).write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        print(name, len(paragraphs), "paragraphs", sum(map(len, paragraphs)), "characters")


if __name__ == "__main__":
    main()
