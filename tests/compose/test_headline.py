"""Headline and byline breaking (issue 14): at word and phrase boundaries, lines balanced, an
explicit break or space honoured, a name in a byline never split."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from app.compose.composer import Composer
from app.compose.config import Settings
from app.compose.headline import word_starts
from app.compose.metrics import SpecMetrics
from app.compose.paragraph import compose_paragraph
from app.model import read_document
from app.model.styles import HEADLINE_ROLES

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"
METRICS = SpecMetrics(1680)
EM = METRICS.em
HEADLINE = Settings(
    composer="headline", align="center", last_line_align="center", first_line_indent=0
)
BYLINE = Settings(composer="byline", align="left", first_line_indent=0)


@pytest.fixture(scope="module")
def sample_lines():
    """(role, paragraph text, its lines' texts) of every paragraph on the sample page."""
    document = read_document(SAMPLE)
    layout = Composer().compose(document)
    lines = defaultdict(list)
    for line in layout.lines:
        lines[line.story, line.paragraph].append(line.text)
    found = []
    for (story, index), texts in lines.items():
        if story in document.stories:
            paragraph = document.stories[story].paragraphs[index]
            found.append((paragraph.role, paragraph.text, texts))
    return found


def _breaks(texts: list[str]) -> list[int]:
    offsets, at = [], 0
    for text in texts[:-1]:
        at += len(text)
        offsets.append(at)
    return offsets


def test_sample_headlines_and_subheads_break_between_words(sample_lines):
    seen = 0
    for role, text, texts in sample_lines:
        if role not in (*HEADLINE_ROLES, "小标题") or len(texts) < 2:
            continue
        seen += 1
        assert "".join(texts) == text
        words = word_starts(text)
        for at in _breaks(texts):
            assert text[at - 1] == " " or at in words, (text, texts)
    assert seen >= 5  # the lead 主题 and the four 小标题


def test_sample_lead_headline_is_balanced(sample_lines):
    [texts] = [t for role, text, t in sample_lines if role == "主题" and text.startswith("榆次")]
    assert len(texts) == 2
    lengths = [len(t.strip()) for t in texts]
    assert abs(lengths[0] - lengths[1]) <= 3, texts
    assert not texts[0].endswith("开发")  # the break the greedy breaker made


def test_sample_subheads_break_at_the_editors_space(sample_lines):
    subheads = [t for role, _, t in sample_lines if role == "小标题"]
    assert len(subheads) == 4
    for texts in subheads:
        assert len(texts) == 2 and texts[0].endswith(" "), texts


def test_sample_bylines_never_split_a_name(sample_lines):
    for role, text, texts in sample_lines:
        if role != "作者":
            continue
        for at in _breaks(texts):
            assert text[at - 1] == " ", texts


def test_balanced_at_word_boundaries_against_the_greedy_fill():
    text = "国务院常务会议研究部署进一步优化营商环境措施"
    greedy = compose_paragraph(text, 12 * EM, METRICS, HEADLINE.but(composer="greedy"))
    lines = compose_paragraph(text, 12 * EM, METRICS, HEADLINE).lines
    assert [len(line.text) for line in greedy.lines] == [12, 10]
    assert len(lines) == 2
    words = word_starts(text)
    assert lines[1].start in words
    assert abs(len(lines[0].text) - len(lines[1].text)) <= 4


def test_an_explicit_break_or_space_wins():
    spaced = compose_paragraph("科技创新引领 产业升级", 8 * EM, METRICS, HEADLINE).lines
    assert [line.text.strip() for line in spaced] == ["科技创新引领", "产业升级"]
    forced = compose_paragraph("坚持稳中求进\u2028推动高质量发展", 20 * EM, METRICS, HEADLINE)
    assert [line.text.rstrip("\u2028") for line in forced.lines] == [
        "坚持稳中求进",
        "推动高质量发展",
    ]


def test_a_byline_breaks_only_between_names():
    text = "本报记者 欧阳振华 司马相如 诸葛孔明 上官婉儿"
    for width in range(9, 24):
        lines = compose_paragraph(text, width * EM, METRICS, BYLINE).lines
        assert "".join(line.text for line in lines) == text
        for line in lines[:-1]:
            assert line.text.endswith(" "), (width, [x.text for x in lines])


def test_a_word_longer_than_the_measure_still_breaks_and_keeps_the_text():
    text = "中华人民共和国全国人民代表大会常务委员会"
    lines = compose_paragraph(text, 5 * EM, METRICS, HEADLINE).lines
    assert "".join(line.text for line in lines) == text
    assert all(line.width <= 5 * EM for line in lines)
