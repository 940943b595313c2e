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
    x_lead = grid.column_x(5) - grid.gutter / 2  # column rule between the lead and the right stack
    x_low = grid.column_x(4) - grid.gutter / 2
    y_low = grid.line_top(40) + grid.body_size / 2  # the rule above the lower half
    head = (("主题", (("size", "小二"), ("lines", 3))),)
    blocks = [
        RunningHeadBlock("running-head"),
        ArticleBlock("lead", "lead", (GridFrame(col=0, span=5, line=0, depth=40),), head_lines=8),
        SectionHeadBlock(
            "section-zhengwu", "section-zhengwu", GridFrame(col=5, span=3, line=0, depth=5)
        ),
        ArticleBlock(
            "zhengwu",
            "zhengwu",
            (GridFrame(col=5, span=3, line=5, depth=15),),
            head_lines=4,
            styles=head,
        ),
        ArticleBlock(
            "xiyun",
            "xiyun",
            (GridFrame(col=5, span=3, line=21, depth=19),),
            head_lines=5,
            styles=(("主题", (("size", "二号"), ("lines", 4))),),
        ),
        ArticleBlock(
            "yingshang",
            "yingshang",
            (GridFrame(col=0, span=4, line=41, depth=31),),
            head_lines=8,
            styles=(("主题", (("size", "一号"),)),),
        ),
        PhotoBlock(
            "photo",
            GridFrame(col=0, span=4, line=73, depth=27),
            "photo-placeholder.jpg",
            crop=(0.06, 0.0, 0.94, 1.0),
            placeholder=True,
            wrap=4.5,
        ),
        CaptionBlock(
            "photo-caption", "photo-caption", "photo", GridFrame(col=0, span=4, line=100, depth=4)
        ),
        ArticleBlock(
            "renda",
            "renda",
            (GridFrame(col=4, span=4, line=41, depth=63),),
            head_lines=9,
            styles=(("主题", (("size", "小一"),)),),
        ),
        RuleBlock("rule-lead", x_lead, grid.line_top(0), x_lead, grid.line_top(40) - 4),
        RuleBlock("rule-low", x_low, y_low + 4, x_low, grid.line_top(104)),
        RuleBlock(
            "rule-mid",
            grid.margin_left,
            y_low,
            grid.margin_left + grid.area_width,
            y_low,
            weight=0.75,
        ),
        RuleBlock(
            "rule-right",
            grid.column_x(5),
            grid.line_top(20) + 2,
            grid.column_x(5) + grid.span_width(3),
            grid.line_top(20) + 2,
            dash=(2.0, 2.0),
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
