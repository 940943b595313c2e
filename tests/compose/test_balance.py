"""平衡分栏: an article's last frame ends its columns level, and still sets all its text."""

from __future__ import annotations

from collections import Counter

from app.compose.composer import Composer
from app.model import ArticleBlock, GridFrame, PageMeta, Paragraph, Story, load_layout
from app.model.newpage import new_page

BODY = "今年以来，我市持续推进城乡融合发展，新建改建农村公路一百二十公里，沿线群众出行更加便利。"


def _columns(balance: bool) -> tuple[Counter, int]:
    document = new_page(load_layout("tabloid-6col"), PageMeta(), running_head=False)
    story = Story("a", tuple(Paragraph("正文", BODY) for _ in range(5)))
    document.add_story(story)
    block = ArticleBlock("a", "a", (GridFrame(0, 3, 0, 40),), balance=balance)
    document.insert_block(block)
    layout = Composer().compose(document)
    frame = next(f for f in layout.blocks if f.block == "a")
    columns = Counter({i: 0 for i in range(len(frame.frames))})
    for line in layout.lines:
        x = line.x
        column = next(i for i, c in enumerate(frame.frames) if c.x <= x < c.x + c.w)
        columns[column] += 1
    assert len(columns) == 3
    return columns, sum(len(line.text) for line in layout.lines)


def test_balanced_columns_end_level_with_the_same_text():
    plain, plain_chars = _columns(False)
    level, level_chars = _columns(True)
    assert level_chars == plain_chars  # nothing lost, nothing overset
    assert max(plain.values()) - min(plain.values()) > 1  # unbalanced: one column ends short
    assert max(level.values()) - min(level.values()) <= 1
