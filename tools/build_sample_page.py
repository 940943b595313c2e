"""Rebuild assets/samples/news-page/page.json from its story files and the placement below.

The story files are the source of the text (imported exactly as `pasteup` imports any
story); this script only decides where each block sits on the broadsheet grid, as the
paper printed it. Run: .venv/bin/python tools/build_sample_page.py
"""

from __future__ import annotations

from pathlib import Path

from app.model import (
    ArticleBlock,
    CaptionBlock,
    GridFrame,
    PageDocument,
    PageMeta,
    PhotoBlock,
    RuleBlock,
    RunningHeadBlock,
    SectionHeadBlock,
    load_layout,
    save_document,
)
from app.model.storyfile import read_story_file

SAMPLE = Path(__file__).resolve().parents[1] / "assets" / "samples" / "news-page"


def build() -> PageDocument:
    layout = load_layout("broadsheet-8col")
    stories = {}
    for name in (
        "lead",
        "section-zhengwu",
        "zhengwu",
        "yingshang",
        "renda",
        "xiyun",
        "photo-caption",
    ):
        imported = read_story_file(SAMPLE / "stories" / f"{name}.txt", name, f"stories/{name}.txt")
        stories[name] = imported.story
    grid = layout.grid
    x_mid = grid.column_x(5) - grid.gutter / 2  # the column rule between lead and right stack
    blocks = [
        RunningHeadBlock("running-head"),
        ArticleBlock("lead", "lead", (GridFrame(col=0, span=5, line=0, depth=41),), head_lines=8),
        SectionHeadBlock(
            "section-zhengwu", "section-zhengwu", GridFrame(col=5, span=3, line=0, depth=5)
        ),
        ArticleBlock(
            "zhengwu", "zhengwu", (GridFrame(col=5, span=3, line=5, depth=17),), head_lines=3
        ),
        PhotoBlock(
            "photo",
            GridFrame(col=5, span=3, line=22, depth=16),
            "photo-placeholder.jpg",
            credit="本报通讯员 梁生仁 摄",
            placeholder=True,
            wrap=4.5,
        ),
        CaptionBlock(
            "photo-caption", "photo-caption", "photo", GridFrame(col=5, span=3, line=38, depth=5)
        ),
        ArticleBlock(
            "yingshang", "yingshang", (GridFrame(col=0, span=4, line=42, depth=32),), head_lines=7
        ),
        ArticleBlock(
            "renda", "renda", (GridFrame(col=4, span=4, line=44, depth=60),), head_lines=7
        ),
        ArticleBlock(
            "xiyun", "xiyun", (GridFrame(col=0, span=4, line=75, depth=29),), head_lines=4
        ),
        RuleBlock("rule-lead", x_mid, grid.line_top(0), x_mid, grid.line_top(43), weight=0.5),
        RuleBlock(
            "rule-mid",
            grid.margin_left,
            grid.line_top(42) - 4,
            grid.margin_left + grid.area_width,
            grid.line_top(42) - 4,
            weight=0.75,
        ),
    ]
    meta = PageMeta(
        paper="晋中日报",
        date="2026-01-09",
        edition="2",
        page_name="要闻",
        editors=(("责任编辑", "示例"), ("美编", "示例"), ("校对", "示例")),
    )
    return PageDocument(meta, layout, {}, stories, blocks)


if __name__ == "__main__":
    save_document(build(), SAMPLE / "page.json")
    (SAMPLE / "page.json.bak").unlink(missing_ok=True)
    print(SAMPLE / "page.json")
