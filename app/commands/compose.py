"""`pasteup compose` (the page's layout as JSON) and `pasteup fit` (算稿: how many lines a story
takes in a column of N characters)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.work import add_store, edition_work, page_work
from app.errors import PasteupError

if TYPE_CHECKING:
    from argparse import Namespace

    from app.compose.layout import PageLayout
    from app.model.story import Story

# The composer, fonts and model are imported when a command runs, not when the parser is
# built: every `pasteup` command builds the parser.

DEFAULT_LAYOUT = "broadsheet-8col"


def register(subparsers) -> None:
    compose = subparsers.add_parser("compose", help="排版并输出版面结构 (compose a page)")
    compose.add_argument("page", type=Path)
    compose.add_argument(
        "--json", action="store_true", help="the layout as JSON (docs/compose-json.md)"
    )
    add_store(compose)
    compose.set_defaults(func=run_compose)

    fit = subparsers.add_parser("fit", help="算稿：稿件在 N 字栏宽中占几行 (lines a story takes)")
    fit.add_argument("story", type=Path, help="稿件文件 (story text file)")
    fit.add_argument("--width", required=True, help="栏宽，如 11字 (column width in characters)")
    fit.add_argument("--style", default="正文", help="段落样式 (paragraph style), default 正文")
    fit.add_argument("--layout", default=DEFAULT_LAYOUT, help="版式 (layout name)")
    fit.add_argument("--json", action="store_true", help="machine-readable output")
    fit.add_argument(
        "--store",
        default="",
        metavar="URL",
        help="团队数据库：稿件写 版期/稿件编号 (the story is EDITION/STORY of an edition there)",
    )
    fit.set_defaults(func=run_fit)


def run_compose(args) -> int:
    from app.compose.edition import compose_page

    with page_work(args.page, args.store) as work:
        document = work.document
        layout = compose_page(document)
    if args.json:
        print(json.dumps(layout_json(document, layout), ensure_ascii=False))
    else:
        for frame in layout.blocks:
            lines = sum(1 for line in layout.lines if line.block == frame.block)
            state = f"超版 overset {frame.overset_chars} 字" if frame.overset_chars else ""
            print(f"{frame.block:<18} {frame.kind:<13} {lines:>4} 行  {state}")
        for finding in layout.findings:
            if finding.severity != "info":
                print(f"{finding.severity}: {finding.code} {finding.block} {dict(finding.args)}")
    return 1 if any(f.severity == "error" for f in layout.findings) else 0


def layout_json(document, layout: PageLayout) -> dict:
    """The layout in points, per block; the schema is documented in docs/compose-json.md."""
    from app.compose.layout import to_pt

    story_of = {b.id: getattr(b, "story", "") or None for b in document.blocks}
    lines_of: dict[str, list] = {}
    for line in layout.lines:
        lines_of.setdefault(line.block, []).append(
            {
                "text": line.text.replace("\u2029", ""),
                "x": to_pt(line.x),
                "y": to_pt(line.baseline),
                "width": to_pt(line.width),
                "frame": line.frame,
                "paragraph": line.paragraph,
                "start": line.start,
                "end": line.end,
                **({"jump": True} if not line.story else {}),  # 转版/接版 lines: no story text
            }
        )
    return {
        "page": str(document.path),
        "width": to_pt(layout.width),
        "height": to_pt(layout.height),
        "blocks": [
            {
                "block": frame.block,
                "type": frame.kind,
                "story": story_of.get(frame.block),
                "rect": [
                    to_pt(v) for v in (frame.rect.x, frame.rect.y, frame.rect.w, frame.rect.h)
                ],
                "lines": lines_of.get(frame.block, []),
                "overset_chars": frame.overset_chars,
                "overset_lines": frame.overset_lines,
                "underset_lines": frame.underset_lines,
            }
            for frame in layout.blocks
        ],
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "block": f.block,
                "story": f.story,
                **dict(f.args),
            }
            for f in layout.findings
        ],
        "fonts": [
            {"key": f.key, "path": f.path, "index": f.index, "sha256": f.sha256}
            for f in layout.fonts
        ],
    }


def _width_chars(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*(字)?\s*", text)
    if not match or int(match.group(1)) < 1:
        raise PasteupError(f"--width {text}: expected a number of characters such as 11字")
    return int(match.group(1))


def run_fit(args) -> int:
    from app.compose.config import varied
    from app.compose.paragraph import compose_paragraph
    from app.compose.styling import BREAKING, metrics_for, settings_for
    from app.fonts import default_registry
    from app.model.layouts import available_layouts, load_layout
    from app.model.styles import canonical_role

    chars = _width_chars(args.width)
    if args.layout not in available_layouts():
        raise PasteupError(
            f"--layout {args.layout}: unknown layout (known: {', '.join(available_layouts())})"
        )
    layout = load_layout(args.layout)
    role = canonical_role(args.style) or args.style
    style = layout.styles.get(role)
    if style is None:
        raise PasteupError(f"--style {args.style}: not a style of layout {args.layout}")
    story = _story(args)
    metrics = metrics_for(default_registry(), layout.fonts, style)
    settings = settings_for(style, layout.composition)
    if role in BREAKING:  # headlines and bylines break as the page sets them
        settings = varied(settings, (("composer", BREAKING[role]),))
    measure = chars * metrics.em
    paragraphs = []
    for paragraph in story.paragraphs:
        composed = compose_paragraph(paragraph.text, measure, metrics, settings)
        if composed.missing:
            offset = composed.missing[0]
            raise PasteupError(
                f"{args.story}: 字体缺字 (no font draws) “{paragraph.text[offset]}” "
                f"U+{ord(paragraph.text[offset]):04X}"
            )
        paragraphs.append(composed)
    total = sum(len(p.lines) for p in paragraphs)
    if args.json:
        print(json.dumps(_fit_json(args, chars, style.size, paragraphs, total), ensure_ascii=False))
        return 0
    print(f"{args.story.name}: {total} 行 (lines) × {chars} 字, {role} {style.size:g} pt")
    number = 0
    for composed in paragraphs:
        for line in composed.lines:
            number += 1
            flags = " ".join(
                flag for flag in ("loose", "emergency", "hanging") if getattr(line, flag)
            )
            print(f"{number:4d}  {line.text.rstrip()}" + (f"    [{flags}]" if flags else ""))
    return 0


def _story(args: Namespace) -> Story:
    """The story to fit: a story file, or with `--store` EDITION/STORY of a database edition."""
    from app.model.storyfile import read_story_file

    if not args.store:
        return read_story_file(args.story).story
    name, _, story_id = str(args.story).rstrip("/").rpartition("/")
    with edition_work(name.removesuffix("/stories"), args.store) as work:
        stories = work.edition.stories
    if story_id.removesuffix(".json") not in stories:
        raise PasteupError(f"{args.story}: 本期没有这篇稿件 (no such story in the edition)")
    return stories[story_id.removesuffix(".json")]


def _fit_json(args, chars: int, size: float, paragraphs, total: int) -> dict:
    from app.compose.report import paragraph_report

    return {
        "story": str(args.story),
        "width_chars": chars,
        "style": args.style,
        "size_pt": size,
        "lines": total,
        "paragraphs": [paragraph_report(composed) for composed in paragraphs],
    }
