"""The e-paper's HTML: one page per newspaper page and an index, plain HTML5.

A page is its image with a link over each article region (percent positions, so it scales to
any screen) and every article as an `<article>` shown by CSS `:target` — clicking a region
opens it with no script at all; `epaper.js` only adds keyboard closing and highlights an
article's other regions. Texts are the stories' paragraphs exactly, escaped, with
`white-space: pre-wrap` so that not even a double space is lost.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from app.compose.layout import PageLayout, Rect
from app.epaper.articles import Article, title_of
from app.model.styles import HEADLINE_ROLES

ROLE_CLASSES = {
    "引题": "kicker",
    "主题": "headline",
    "副题": "deck",
    "作者": "byline",
    "正文": "body",
    "小标题": "subhead",
    "图说": "caption",
    "栏头": "section",
    "拼音": "pinyin",
    "报眉": "folio",
}


class PageLink(NamedTuple):
    """How the site names a page: its file, its label (第2版 要闻) and its images."""

    href: str
    label: str
    image: str
    thumbnail: str
    image_size: tuple[int, int]
    thumbnail_size: tuple[int, int]


def page_html(
    paper: str,
    pages: Sequence[PageLink],
    index: int,
    layout: PageLayout,
    articles: Sequence[Article],
    photos: dict[str, tuple[str, tuple[int, int]]],
) -> str:
    """The HTML of `pages[index]`. `photos`: story id → (image file, pixel size)."""
    link = pages[index]
    regions = "\n".join(
        _region(article, number, region.rect, layout)
        for article in articles
        for number, region in enumerate(article.regions)
    )
    texts = "\n".join(
        _article(article, pages, index, photos.get(article.story)) for article in articles
    )
    width, height = link.image_size
    nav = _page_nav(pages, index)
    return _document(
        f"{paper} {link.label}",
        f"""<header class="bar">
<a class="home" href="index.html">{escape(paper)} · 目录</a>
<h1>{escape(link.label)}</h1>
{nav}
</header>
<main>
<div class="sheet">
<img class="page" src="{escape(link.image)}" width="{width}" height="{height}" alt="{escape(link.label)} 版面">
{regions}
</div>
<section class="articles" aria-label="本版文章">
{texts}
</section>
</main>""",
    )


def index_html(paper: str, date: str, pages: Sequence[PageLink]) -> str:
    items = "\n".join(
        f"""<li><a href="{escape(link.href)}"><img src="{escape(link.thumbnail)}" \
width="{link.thumbnail_size[0]}" height="{link.thumbnail_size[1]}" alt=""><span>{escape(link.label)}</span></a></li>"""
        for link in pages
    )
    title = " ".join(part for part in (paper, date) if part) or "数字报"
    return _document(
        f"{title} 数字报",
        f"""<header class="bar">
<h1>{escape(title)}</h1>
</header>
<main>
<ul class="pages">
{items}
</ul>
</main>""",
    )


def _document(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="epaper.css">
</head>
<body>
{body}
<script src="epaper.js"></script>
</body>
</html>
"""


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def anchor(story: str) -> str:
    """The story id as it appears in ids and links: itself when plain ASCII, else a digest
    (ids may hold no spaces, and fragments should not need escaping). The same story gets the
    same anchor on every page of an edition."""
    if _PLAIN_ID.fullmatch(story):
        return story
    return "s" + hashlib.sha256(story.encode("utf-8")).hexdigest()[:12]


def _percent(value: int, whole: int) -> str:
    return f"{value * 100 / whole:.3f}%"


def _region(article: Article, number: int, rect: Rect, layout: PageLayout) -> str:
    style = (
        f"left:{_percent(rect.x, layout.width)};top:{_percent(rect.y, layout.height)};"
        f"width:{_percent(rect.w, layout.width)};height:{_percent(rect.h, layout.height)}"
    )
    label = escape(title_of(article))
    return (
        f'<a class="region" id="r-{anchor(article.story)}-{number}" href="#a-{anchor(article.story)}"'
        f' data-story="{anchor(article.story)}" style="{style}" aria-label="{label}"></a>'
    )


def _article(
    article: Article,
    pages: Sequence[PageLink],
    index: int,
    photo: tuple[str, tuple[int, int]] | None,
) -> str:
    paragraphs = list(article.paragraphs)
    head_count = 0
    while head_count < len(paragraphs) and paragraphs[head_count][0] in HEADLINE_ROLES:
        head_count += 1
    head = "\n".join(_paragraph(role, text) for role, text in paragraphs[:head_count])
    body = "\n".join(_paragraph(role, text) for role, text in paragraphs[head_count:])
    parts = ['<a class="close" href="#" aria-label="关闭">×</a>']
    if head:
        parts.append(f'<header class="head">\n{head}\n</header>')
    if photo is not None:
        source, (width, height) = photo
        parts.append(
            f'<figure class="photo"><img src="{escape(source)}" width="{width}" '
            f'height="{height}" alt="{escape(title_of(article))}"></figure>'
        )
    parts.append(f'<div class="text">\n{body}\n</div>')
    elsewhere = [number for number in article.pages if number != index]
    if elsewhere:
        links = " ".join(
            f'<a href="{escape(pages[number].href)}#a-{anchor(article.story)}">'
            f"{'上接' if number < index else '下转'}{escape(pages[number].label)}</a>"
            for number in elsewhere
        )
        parts.append(f'<nav class="jumps" aria-label="转版">{links}</nav>')
    inner = "\n".join(parts)
    return (
        f'<article class="article" id="a-{anchor(article.story)}" '
        f'data-story="{anchor(article.story)}">\n{inner}\n</article>'
    )


def _paragraph(role: str, text: str) -> str:
    css = ROLE_CLASSES.get(role, "body")
    tag = "h2" if role == "主题" else "p"
    return f'<{tag} class="{css}" data-role="{escape(role)}">{escape(text, quote=False)}</{tag}>'


def _page_nav(pages: Sequence[PageLink], index: int) -> str:
    links = []
    if index > 0:
        links.append(f'<a rel="prev" href="{escape(pages[index - 1].href)}">上一版</a>')
    if index + 1 < len(pages):
        links.append(f'<a rel="next" href="{escape(pages[index + 1].href)}">下一版</a>')
    return f'<nav class="turn" aria-label="翻版">{" ".join(links)}</nav>' if links else ""
