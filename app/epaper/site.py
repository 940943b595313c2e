"""The e-paper (数字报) as a static folder: pages, articles, index; no server, no external assets.

`write_epaper` takes a sequence of composed pages — one page, or an edition's pages in order —
exports each page's print PDF (the plant's file, placeholders marked rather than refused),
renders it with pdftoppm while the next page's PDF is made, and writes per page an image, a
thumbnail, photo crops and an HTML page whose article regions come from the text map
(`articles.py`, `html.py`), then `index.html`, `epaper.css` and `epaper.js`.

The output folder is created if missing; an existing folder is written into only if it is
empty or an earlier e-paper (it holds `MARKER`), so no user file is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from app.epaper.articles import EpaperPage, page_articles
from app.epaper.html import PageLink, index_html, page_html
from app.epaper.render import crop, finish_render, start_render, thumbnail
from app.errors import PasteupError
from app.export.output import write_atomically
from app.export.placeholders import placeholders
from app.export.print_pdf import export_print_pdf
from app.publish import edition_label, print_options

MARKER = ".pasteup-epaper"
STATIC = ("epaper.css", "epaper.js")


class EpaperOptions(NamedTuple):
    dpi: int = 150  # the page image's resolution
    thumbnail_width: int = 360  # pixels, for the index


class EpaperResult(NamedTuple):
    pages: int
    articles: int
    placeholders: tuple[str, ...]  # block ids of placeholder photos shown marked


DEFAULT_OPTIONS = EpaperOptions()


def write_epaper(
    pages: Sequence[EpaperPage], folder: Path, options: EpaperOptions = DEFAULT_OPTIONS
) -> EpaperResult:
    if not pages:
        raise PasteupError(f"{folder}: 没有版面 (no pages to publish)")
    _claim(folder)
    links = [_link(page, number) for number, page in enumerate(pages)]
    renders = []
    pending = None
    marked: list[str] = []
    for number, page in enumerate(pages):  # each page's PDF is made while the last renders
        marked += [image.block for image in placeholders(page.layout)]
        pdf = export_print_pdf(page.layout, print_options(page.document, mark_placeholders=True))
        started = start_render(pdf, page.layout, options.dpi, folder / links[number].image)
        if pending is not None:
            renders.append(finish_render(pending))
        pending = started
    assert pending is not None  # there was at least one page
    renders.append(finish_render(pending))
    finished = []
    for link, rendering in zip(links, renders, strict=True):
        small = thumbnail(rendering, folder / link.thumbnail, options.thumbnail_width)
        finished.append(
            link._replace(image_size=(rendering.width, rendering.height), thumbnail_size=small)
        )
    total = 0
    paper = pages[0].document.meta.paper
    for number, (page, rendering) in enumerate(zip(pages, renders, strict=True)):
        articles = page_articles(pages, number)
        total += len(articles)
        photos = {}
        pictured = [(a.story, a.photo) for a in articles if a.photo is not None]
        for count, (story, photo) in enumerate(pictured):
            name = f"{Path(finished[number].image).stem}-photo-{count + 1}.jpg"
            photos[story] = (name, crop(rendering, photo.rect, folder / name))
        html = page_html(paper, finished, number, page.layout, articles, photos)
        write_atomically(folder / finished[number].href, html.encode("utf-8"))
    meta = pages[0].document.meta
    index = index_html(paper, meta.fields()["date"], finished)
    write_atomically(folder / "index.html", index.encode("utf-8"))
    static = resources.files("app.epaper") / "static"
    for name in STATIC:
        write_atomically(folder / name, (static / name).read_bytes())
    return EpaperResult(len(pages), total, tuple(marked))


def _link(page: EpaperPage, number: int) -> PageLink:
    meta = page.document.meta
    label = " ".join(p for p in (edition_label(meta.edition), meta.page_name) if p)
    stem = f"page-{number + 1:02d}"
    return PageLink(
        f"{stem}.html",
        label or f"第{number + 1}页",
        f"{stem}.jpg",
        f"{stem}-thumb.jpg",
        (0, 0),
        (0, 0),
    )


def _claim(folder: Path) -> None:
    """Make `folder` ours: create it, or accept it if empty or an earlier e-paper."""
    try:
        if folder.exists() and not folder.is_dir():
            raise PasteupError(f"{folder}: 不是文件夹 (not a folder)")
        if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
            raise PasteupError(
                f"{folder}: 文件夹不空，也不是数字报输出，未写入 (folder is not empty and not an "
                "earlier e-paper: nothing written; give a new or empty folder)"
            )
        folder.mkdir(exist_ok=True)
        (folder / MARKER).write_text("Pasteup e-paper output\n", encoding="utf-8")
    except OSError as error:
        raise PasteupError(f"{folder}: 无法写入 (cannot write): {error.strerror}") from None
