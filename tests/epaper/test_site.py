"""The e-paper site for a sequence of pages, read as files (no browser): pages in order, the
index, and a story set on two pages linked both ways."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.commands.export import compose_document
from app.epaper.articles import EpaperPage, page_articles
from app.epaper.site import EpaperOptions, write_epaper
from app.errors import PasteupError
from app.model import read_document

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"


def two_pages():
    first = read_document(SAMPLE)
    second = read_document(SAMPLE)
    second.meta = dataclasses.replace(second.meta, edition="3", page_name="综合")
    for block in list(second.blocks):  # page 3 keeps only the lead story: a jump
        if getattr(block, "story", "lead") != "lead" and block.kind != "running-head":
            second.remove_block(block.id)
    return [EpaperPage(doc, compose_document(doc)) for doc in (first, second)]


def test_a_story_on_two_pages_is_linked_both_ways(tmp_path):
    pages = two_pages()
    result = write_epaper(pages, tmp_path / "site", EpaperOptions(dpi=36))
    assert result.pages == 2
    site = tmp_path / "site"
    one = (site / "page-01.html").read_text(encoding="utf-8")
    three = (site / "page-02.html").read_text(encoding="utf-8")
    assert 'href="page-02.html#a-lead"' in one and "下转第3版 综合" in one
    assert 'href="page-01.html#a-lead"' in three and "上接第2版 要闻" in three
    assert 'rel="next" href="page-02.html"' in one and 'rel="prev" href="page-01.html"' in three
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="(page-\d+\.html)"', index) == ["page-01.html", "page-02.html"]
    assert [a.story for a in page_articles(pages, 1)] == ["lead"]


def test_writing_again_into_an_earlier_epaper_is_allowed(tmp_path):
    pages = two_pages()[:1]
    write_epaper(pages, tmp_path / "site", EpaperOptions(dpi=36))
    write_epaper(pages, tmp_path / "site", EpaperOptions(dpi=36))
    assert (tmp_path / "site" / "page-01.html").is_file()


def test_story_ids_of_any_text_make_plain_anchors(tmp_path):
    document = read_document(SAMPLE)
    story = document.stories.pop("lead")
    document.stories["头条 一"] = dataclasses.replace(story, id="头条 一")
    document.update_block("lead", story="头条 一")
    write_epaper([EpaperPage(document, compose_document(document))], tmp_path, EpaperOptions(36))
    html = (tmp_path / "page-01.html").read_text(encoding="utf-8")
    ids = re.findall(r' id="([^"]*)"', html)
    assert ids and all(re.fullmatch(r"[A-Za-z0-9_-]+", value) for value in ids)
    (article,) = re.findall(r'<article class="article" id="(a-s[0-9a-f]{12})"', html)
    assert f'href="#{article}"' in html


class _Paragraphs(HTMLParser):
    """The text of every element carrying data-role inside one article, as a browser's DOM
    holds it (entities decoded)."""

    def __init__(self, article: str) -> None:
        super().__init__(convert_charrefs=True)
        self.article, self.inside, self.current = article, False, None
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article":
            self.inside = attributes.get("id") == self.article
        elif self.inside and "data-role" in attributes:
            self.current = ""

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside = False
        elif self.current is not None and tag in ("p", "h2"):
            self.texts.append(self.current)
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current += data


def test_markup_in_a_story_is_text_and_every_character_survives(tmp_path):
    document = read_document(SAMPLE)
    tricky = '<script>alert("x")</script> & &amp;  两个空格　全角 "quotes" \\ <b>'
    story = document.stories["zhengwu"]
    paragraphs = (story.paragraphs[0], dataclasses.replace(story.paragraphs[1], text=tricky))
    document.set_story(story.with_paragraphs(paragraphs + story.paragraphs[2:]))
    write_epaper([EpaperPage(document, compose_document(document))], tmp_path, EpaperOptions(36))
    html = (tmp_path / "page-01.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    parser = _Paragraphs("a-zhengwu")
    parser.feed(html)
    assert parser.texts == [p.text for p in document.stories["zhengwu"].paragraphs]


def test_an_output_path_that_is_a_file_is_refused_untouched(tmp_path):
    target = tmp_path / "site"
    target.write_text("mine", encoding="utf-8")
    pages = two_pages()[:1]
    with pytest.raises(PasteupError, match="not a folder"):
        write_epaper(pages, target, EpaperOptions(dpi=36))
    assert target.read_text(encoding="utf-8") == "mine"
