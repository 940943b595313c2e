"""`pasteup validate`, `pasteup info` and `pasteup import-story`: the page document itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.commands.work import add_store, page_work

# The model is imported when a command runs, not when the parser is built: every `pasteup`
# command builds the parser.


def register(subparsers) -> None:
    validate = subparsers.add_parser("validate", help="检查版面文件 (check a page file)")
    validate.add_argument("page", type=Path)
    add_store(validate)
    validate.set_defaults(func=run_validate)

    info = subparsers.add_parser("info", help="版面概况：稿件与字数 (blocks, stories, counts)")
    info.add_argument("page", type=Path)
    info.add_argument("--json", action="store_true", help="machine-readable output")
    add_store(info)
    info.set_defaults(func=run_info)

    story = subparsers.add_parser(
        "import-story", help="读入稿件文件并报告标点转换 (read a story file)"
    )
    story.add_argument("story", type=Path)
    story.add_argument("--json", action="store_true")
    story.set_defaults(func=run_import_story)


def run_validate(args) -> int:
    from app.model import content_hash

    with page_work(args.page, args.store) as work:
        document = work.document
    print(
        f"{args.page}: OK — {len(document.blocks)} blocks, {len(document.stories)} stories, "
        f"layout {document.layout.name}, version {content_hash(document)}"
    )
    return 0


def run_info(args) -> int:
    from app.model import content_hash
    from app.model.blocks import PhotoBlock, block_frames

    with page_work(args.page, args.store) as work:
        document = work.document
    used_by = {getattr(b, "story", ""): b.id for b in document.blocks}
    stories: list[dict[str, Any]] = [
        {
            "id": s.id,
            "block": used_by.get(s.id, ""),
            "paragraphs": len(s.paragraphs),
            "chars": s.char_count(),
            "source": s.source,
            "roles": sorted({p.role for p in s.paragraphs}),
        }
        for s in document.stories.values()
    ]
    blocks = [
        {
            "id": b.id,
            "type": b.kind,
            "story": getattr(b, "story", ""),
            "frames": len(block_frames(b)),
        }
        for b in document.blocks
    ]
    outside = [  # pictures linked from outside the page's folder, by the user's choice
        {"block": b.id, "image": b.image}
        for b in document.blocks
        if isinstance(b, PhotoBlock) and b.outside_folder
    ]
    meta = document.meta
    if args.json:
        print(
            json.dumps(
                {
                    "page": str(args.page),
                    "paper": meta.paper,
                    "date": meta.date,
                    "edition": meta.edition,
                    "page_name": meta.page_name,
                    "layout": document.layout.name,
                    "version": content_hash(document),
                    "blocks": blocks,
                    "stories": stories,
                    "outside_folder": outside,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    grid = document.layout.grid
    print(
        f"{meta.paper} {meta.date} 第{meta.edition}版 {meta.page_name}  版本 {content_hash(document)}"
    )
    print(
        f"版式 {document.layout.name}: {document.layout.title}; {grid.columns} 栏 × "
        f"{grid.column_chars:g} 字, {grid.lines} 行/栏"
    )
    print(f"\n块 blocks ({len(blocks)})")
    for b in blocks:
        print(f"  {b['id']:<18} {b['type']:<13} {b['story']}")
    print(f"\n稿件 stories ({len(stories)})          段落  字数")
    for s in stories:
        print(f"  {s['id']:<24} {s['paragraphs']:>4} {s['chars']:>5}  {'、'.join(s['roles'])}")
    print(
        f"  {'合计 total':<24} {sum(s['paragraphs'] for s in stories):>4} "
        f"{sum(s['chars'] for s in stories):>5}"
    )
    if outside:
        print(f"\n版面文件夹之外的图片 pictures outside the page's folder ({len(outside)})")
        for entry in outside:
            print(f"  {entry['block']:<18} {entry['image']}")
    return 0


def run_import_story(args) -> int:
    from app.model.storyfile import read_story_file

    imported = read_story_file(args.story)
    story = imported.story
    if args.json:
        print(
            json.dumps(
                {
                    "story": story.id,
                    "chars": story.char_count(),
                    "paragraphs": [{"role": p.role, "text": p.text} for p in story.paragraphs],
                    "conversions": [
                        {"line": c.line, "column": c.column, "from": c.before, "to": c.after}
                        for c in imported.conversions
                    ],
                    "nfc_lines": list(imported.normalised_lines),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    print(f"{args.story}: {len(story.paragraphs)} 段, {story.char_count()} 字")
    print(f"标点转换 (punctuation made full width): {imported.summary()}")
    for c in imported.conversions[:20]:
        print(f"  行 {c.line} 列 {c.column}: {c.before} → {c.after}")
    if len(imported.conversions) > 20:
        print(f"  … 另 {len(imported.conversions) - 20} 处")
    return 0
