"""`space_before` / `space_after` of a paragraph style: whole body lines on the grid."""

from __future__ import annotations

from app.compose.composer import Composer
from app.compose.layout import from_pt
from app.model import ArticleBlock, GridFrame, PageMeta, Paragraph, Story, load_layout
from app.model.newpage import new_page

BODY = "今年以来，我市持续推进城乡融合发展，新建改建农村公路一百二十公里。"


def _tops(overrides: dict) -> dict[int, int]:
    document = new_page(load_layout("tabloid-6col"), PageMeta(), running_head=False)
    document = type(document)(
        meta=document.meta,
        layout=document.layout,
        style_overrides=overrides,
        stories={},
        blocks=[],
    )
    story = Story(
        "a",
        (Paragraph("正文", BODY), Paragraph("小标题", "沿线群众得实惠"), Paragraph("正文", BODY)),
    )
    document.add_story(story)
    document.insert_block(ArticleBlock("a", "a", (GridFrame(0, 2, 0, 30),)))
    layout = Composer().compose(document)
    tops: dict[int, int] = {}
    for line in layout.lines:
        tops.setdefault(line.paragraph, line.top)
    return tops


def test_space_before_and_after_move_the_following_lines_by_whole_lines():
    plain = _tops({})
    spaced = _tops({"小标题": {"space_before": 1, "space_after": 2}})
    pitch = from_pt(load_layout("tabloid-6col").grid.line_pitch)
    assert spaced[0] == plain[0]
    assert round((spaced[1] - plain[1]) / pitch) == 1
    assert round((spaced[2] - plain[2]) / pitch) == 3
