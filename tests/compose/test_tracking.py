"""A paragraph style's `tracking`: letter-spacing between units, in em, never after a line's end."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest

from app.compose.config import Settings
from app.compose.metrics import SpecMetrics
from app.compose.paragraph import compose_paragraph
from app.compose.styling import settings_for
from app.model.styles import ParagraphStyle

METRICS = SpecMetrics(1680)
EM = METRICS.em
HAN = "城乡融合发展新建改建农村公路一百二十公里沿线群众得实惠"  # 27 characters, no marks
LEFT = Settings(align="left", first_line_indent=Fraction(0))


def _one_line(text: str, settings: Settings):
    (line,) = compose_paragraph(text, 100 * EM, METRICS, settings).lines
    return line


@pytest.mark.parametrize("tracking", [Fraction(1, 10), Fraction(1, 4), Fraction(-1, 20)])
def test_a_tracked_line_is_wider_by_the_tracking_per_gap_and_none_after_its_end(tracking):
    plain = _one_line(HAN, LEFT)
    tracked = _one_line(HAN, LEFT.but(tracking=tracking))
    step = round(EM * tracking)
    gaps = len(HAN) - 1
    assert tracked.width - plain.width == gaps * step
    assert tracked.right - tracked.left == len(HAN) * EM + gaps * step
    # Every glyph one em plus the tracking from the one before; the text map's boxes follow.
    assert {b - a for a, b in pairwise(tracked.xs)} == {EM + step}
    boxes = tracked.char_x
    assert all(left2 - right1 == step for (_, right1), (left2, _) in pairwise(boxes))
    assert boxes[-1][1] == tracked.right  # the last box ends at the line's end: no tracking


@pytest.mark.parametrize("composer", ["paragraph", "greedy"])
def test_tracking_breaks_lines_earlier(composer):
    """Ten em: ten characters a line untracked, eight at a quarter em (8 + 7/4 ≤ 10 < 9 + 8/4),
    by both breakers; justified lines still fill the measure exactly."""
    settings = Settings(composer=composer, first_line_indent=Fraction(0))
    text = HAN * 2
    plain = compose_paragraph(text, 10 * EM, METRICS, settings)
    tracked = compose_paragraph(text, 10 * EM, METRICS, settings.but(tracking=Fraction(1, 4)))
    assert [line.end - line.start for line in plain.lines[:-1]] == [10] * 5
    assert [line.end - line.start for line in tracked.lines[:-1]] == [8] * 6
    assert "".join(line.text for line in tracked.lines) == text
    for line in tracked.lines[:-1]:
        assert line.right - line.left == 10 * EM
    last = tracked.lines[-1]
    count = last.end - last.start
    assert last.width == count * EM + (count - 1) * (EM // 4)


def test_a_dash_run_and_a_latin_word_take_tracking_between_units():
    """Units set one by one (a dash run is one unit): the tracking sits between units only."""
    text = "城乡——融合abc"
    plain = _one_line(text, LEFT)
    tracked = _one_line(text, LEFT.but(tracking=Fraction(1, 8)))
    units = 2 + 1 + 2 + 3  # 城 乡 —— 融 合 a b c
    assert tracked.width - plain.width == (units - 1) * (EM // 8)


def test_the_style_field_reaches_the_composer_in_em():
    settings = settings_for(ParagraphStyle(tracking=0.1), {})
    assert settings.tracking == Fraction(1, 10)
    assert settings_for(ParagraphStyle(), {}).tracking == 0
