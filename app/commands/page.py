"""`pasteup new` (a page from a layout or template) and `pasteup place` (put a manuscript in).

Both write the page atomically and never replace an existing file they were not asked to
change: `new` refuses a PAGE that exists; `place` keeps the previous version as NAME.bak.
"""

from __future__ import annotations

from pathlib import Path

from app.commands.work import add_store, page_work
from app.errors import PasteupError


def register(subparsers) -> None:
    new = subparsers.add_parser("new", help="新建版面 (a new page from a layout or template)")
    new.add_argument("page", type=Path, help="page file to create (.json)")
    source = new.add_mutually_exclusive_group()
    source.add_argument(
        "--layout", default="broadsheet-8col", help="版式 (grid), e.g. tabloid-6col"
    )
    source.add_argument("--template", type=Path, help="版式模板: a saved page template (.json)")
    new.add_argument("--paper", default="", help="报名")
    new.add_argument("--date", default="", help="日期 YYYY-MM-DD")
    new.add_argument("--page-number", dest="edition", default="", help="版次, e.g. 3")
    new.add_argument("--page-name", default="", help="版名, e.g. 要闻")
    new.add_argument("--no-running-head", dest="running_head", action="store_false")
    new.set_defaults(func=run_new)

    place = subparsers.add_parser("place", help="置入稿件 (.txt in any encoding, .docx)")
    place.add_argument("page", type=Path)
    place.add_argument("file", type=Path, help="manuscript: story file, plain text or .docx")
    place.add_argument("--block", help="put the text into this block (else a new article)")
    add_store(place, by=True)
    place.set_defaults(func=run_place)


def run_new(args) -> int:
    from app.model import PageMeta, load_layout, read_document, save_document
    from app.model.newpage import from_template, new_page

    if args.page.exists():
        raise PasteupError(f"{args.page}: 文件已存在，未覆盖 (file exists; not overwritten)")
    meta = PageMeta(
        paper=args.paper, date=args.date, edition=args.edition, page_name=args.page_name
    )
    if args.template is not None:
        document = from_template(read_document(args.template), meta)
    else:
        document = new_page(load_layout(args.layout), meta, args.running_head)
    save_document(document, args.page)
    print(f"{args.page}: {document.layout.name}, {len(document.blocks)} 块 (blocks)")
    return 0


def run_place(args) -> int:
    from app.model.manuscript import read_manuscript
    from app.model.place import place_story

    with page_work(args.page, args.store, args.by) as work:
        document = work.document
        source = args.file.resolve().as_posix() if args.store else _relative(args.file, args.page)
        manuscript = read_manuscript(args.file, "placed", source)
        block, story = place_story(document, manuscript.imported.story, args.block)
        if block is None:  # a story corrected, as a text editor holds it; else a new article
            work.lock("story", story.id)
        else:
            work.lock_page()
        if block is None:
            document.set_story(story)
            target = args.block
        else:
            document.add_story(story)
            document.insert_block(block)
            target = block.id
        work.save()
    print(f"{args.file} → {target}: {manuscript.report()}")
    return 0


def _relative(path: Path, page: Path) -> str:
    try:
        return path.resolve().relative_to(page.resolve().parent).as_posix()
    except ValueError:
        return str(path.resolve())
