"""`pasteup epaper PAGE|EDITION -o DIR`: a page, or an edition's pages in plan order, as a static
e-paper site (数字报). EDITION is an edition folder (or its edition.json); with `--store URL` an
edition's name in the team store, or EDITION/PAGE for one page.

Exit status: 0 written; 2 bad input (the page, the folder, a renderer failure), one line on
stderr. Placeholder photos are shown marked 「占位图 FPO」, and said so on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.work import add_store, edition_work, page_work

DPI_RANGE = (36, 600)


def register(subparsers) -> None:
    epaper = subparsers.add_parser(
        "epaper", help="输出数字报静态网站 (write the e-paper: a static site of the page(s))"
    )
    epaper.add_argument(
        "page", type=Path, help="page document (.json), or an edition folder / edition.json"
    )
    epaper.add_argument("-o", "--output", type=Path, required=True, help="folder to write")
    epaper.add_argument(
        "--dpi", type=_dpi, default=150, help="版面图分辨率 (page image resolution, default 150)"
    )
    add_store(epaper)
    epaper.set_defaults(func=run_epaper)


def _dpi(text: str) -> int:
    low, high = DPI_RANGE
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"expected a whole number {low}–{high}, got {text!r}")
    return value


def run_epaper(args) -> int:
    from app.epaper.site import EpaperOptions, write_epaper

    source = args.page
    if args.store and "/" not in str(source).strip("/"):
        pages = _edition_pages(source, args.store)
    elif not args.store and (source.is_dir() or source.name == "edition.json"):
        pages = _edition_pages(source if source.is_dir() else source.parent)
    else:
        pages = _one_page(source, args.store)
    result = write_epaper(pages, args.output, EpaperOptions(dpi=args.dpi))
    for block in result.placeholders:
        print(
            f"{args.page}: [{block}] 占位图已标出 (placeholder photo shown marked FPO)",
            file=sys.stderr,
        )
    print(
        f"{args.output}: 数字报 {result.pages} 版，{result.articles} 篇文章 "
        f"(e-paper: {result.pages} pages, {result.articles} articles) → index.html"
    )
    return 0


def _one_page(path: Path, store: str = "") -> list:
    from app.commands.export import compose_document
    from app.epaper.articles import EpaperPage

    with page_work(path, store) as work:
        document = work.document
        return [EpaperPage(document, compose_document(document))]


def _edition_pages(folder: Path, store: str = "") -> list:
    """Every page of the edition in plan order, composed together (jumps, ads, running heads)."""
    from app.compose.edition import EditionComposer
    from app.epaper.articles import EpaperPage

    with edition_work(folder, store) as work:
        edition = work.edition
        layouts = EditionComposer().compose(edition)
    return [
        EpaperPage(edition.page(page_id).document, layout)
        for page_id, layout in zip(layouts.ids, layouts.pages, strict=True)
    ]
