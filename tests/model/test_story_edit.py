"""Edits on a story's character stream, the one operation proof and editor share."""

from hypothesis import given
from hypothesis import strategies as st

from app.model.story import PARAGRAPH_SEPARATOR, Paragraph, Story

STORY = Story(
    "s", (Paragraph("主题", "标题"), Paragraph("正文", "第一段。"), Paragraph("正文", "第二段。"))
)


def test_replace_inside_split_and_join():
    assert STORY.replace_text(3, 5, "首").paragraphs[1].text == "首段。"
    split = STORY.replace_text(5, 5, PARAGRAPH_SEPARATOR)
    assert [p.role for p in split.paragraphs] == ["主题", "正文", "正文", "正文"]
    joined = STORY.replace_text(2, 3, "")
    assert [(p.role, p.text) for p in joined.paragraphs] == [
        ("主题", "标题第一段。"),
        ("正文", "第二段。"),
    ]


@given(st.integers(0, 12), st.integers(0, 12), st.text("甲乙，。\u2029", max_size=6))
def test_stream_replacement_is_exact(a, b, text):
    start, end = sorted((a, b))
    stream = STORY.stream
    assert STORY.replace_text(start, end, text).stream == stream[:start] + text + stream[end:]
