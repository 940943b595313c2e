"""U3 and U4 of cjk-composition.md (d), and context resolution (§1.4)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from uniseg.linebreak import line_break_boundaries

from app.compose.classes import CL, CONN, DASH, ELL, MID, NAMES, OP, SOL, H, L
from app.compose.classify import classify
from app.compose.config import KINSOKU_LEVELS, PUNCT_STYLES, Settings
from app.compose.metrics import SpecMetrics
from app.compose.paragraph import compose_paragraph
from app.compose.segment import LEGAL, build_units

METRICS = SpecMetrics()
NO_INDENT = Settings(first_line_indent=Fraction(0))
# §1.3 at the GB level; ・ stands for MID, ～ for CONN (weak rules, relaxed only when too loose).
NO_START = "。．，、：；？！‼⁇⁈⁉｡､”’）］｝〕〉》」』】〗〙〛〞〟｠｣％‰‱℃℉°′″￠"
NO_END = "“‘（［｛〔〈《「『【〖〘〚〝｟｢"


def breaks(text: str, settings: Settings = NO_INDENT) -> set[int]:
    """Character offsets where a line may break (legal boundaries)."""
    units = build_units(text, METRICS, settings)
    return {units.starts[k] for k in range(1, len(units)) if units.brk[k] == LEGAL}


@pytest.mark.parametrize("style", PUNCT_STYLES)
@pytest.mark.parametrize("level", [lv for lv in KINSOKU_LEVELS if lv != "none"])
def test_u3_comma_never_starts_a_line(style, level):
    settings = NO_INDENT.but(punct_style=style, kinsoku_level=level)
    lines = compose_paragraph("一二三四五六七八九十，", 10 * METRICS.em, METRICS, settings).lines
    assert len(lines) >= 2  # the comma cannot fit on line 1 in any style: a break is forced
    assert all(not line.text.startswith("，") for line in lines), [x.text for x in lines]


@pytest.mark.parametrize(
    ("mark", "level"),
    # POST signs (％ ℃ …) are line-start forbidden from the GB level up, not at basic.
    [
        (m, lv)
        for lv in ("basic", "gb", "strict")
        for m in NO_START
        if not (lv == "basic" and m in "％‰‱℃℉°′″￠")
    ],
)
def test_u3_no_start_marks(mark, level):
    text = "一二三四五六七八九十" + mark + "一二"
    settings = NO_INDENT.but(kinsoku_level=level)
    lines = compose_paragraph(text, 10 * METRICS.em, METRICS, settings).lines
    assert all(not line.text.startswith(mark) for line in lines), [x.text for x in lines]


@pytest.mark.parametrize("mark", NO_END)
def test_u3_no_end_marks(mark):
    text = "一二三四五六七八九" + mark + "十一二" + ("”" if mark == "“" else "")
    lines = compose_paragraph(text, 10 * METRICS.em, METRICS, NO_INDENT).lines
    assert all(not line.text.rstrip().endswith(mark) for line in lines), [x.text for x in lines]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北京·上海", {1, 3, 4}),
        ("价格为￥100元", {1, 2, 3, 7}),
        ("涨幅5%。", {1, 2}),
        ("1/2", set()),
        ("G20", set()),
        ("50km", set()),
    ],
)
def test_u4_break_opportunities(text, expected):
    assert breaks(text) == expected


@pytest.mark.parametrize(
    "word",
    ["1/2", "G20", "50km", "well-known", "and/or", "Hi!Bye", "New York City", "1,234.56",
     "12:30", "http://a.b/c?d&e", "(x)y", "JavaScript", "e-mail a-5", "x — y"],
)  # fmt: skip
def test_u4_latin_runs_follow_uax14(word):
    ours = breaks(word)
    theirs = {b for b in line_break_boundaries(word) if b < len(word)}
    assert ours == theirs


@pytest.mark.parametrize(
    ("text", "index", "cls"),
    [
        ("北京·上海", 2, MID),
        ("Jean·Paul", 4, L),
        ("北京—上海", 2, CONN),
        ("1949—1986年", 4, CONN),
        ("word—word", 4, L),
        ("目标——建设", 2, DASH),
        ("目标――建设", 2, DASH),
        ("开口……好吧", 2, ELL),
        ("wait… what", 4, L),
        ("本报／张三", 2, SOL),
        ("他说“好”", 2, OP),
        ("他说“好”", 4, CL),
        ("“Hello”", 0, L),
        ("Children’s", 8, L),
        ("：“Hello world”是", 13, CL),
        ("中文", 0, H),
    ],
)
def test_context_resolution(text, index, cls):
    classified = classify(text)
    position = classified.starts.index(index)
    assert NAMES[classified.classes[position]] == NAMES[cls]


def test_quote_follows_its_partner_in_chinese_paragraphs():
    classified = classify("“Hello”，他说")
    assert classified.classes[0] == OP
    assert classified.classes[classified.starts.index(6)] == CL


def test_u2_grid_mode_pads_latin_to_whole_em():
    settings = NO_INDENT.but(grid_mode=True)
    (line,) = compose_paragraph("他说Python很好用。", 10 * METRICS.em, METRICS, settings).lines
    assert line.char_x[line.text.index("很")][0] == 6 * METRICS.em
    assert line.char_x[line.text.index("。")][0] == 9 * METRICS.em


def test_u1_spaces_next_to_han_become_the_autospace():
    (line,) = compose_paragraph("他说 Python 很好用", 30 * METRICS.em, METRICS, NO_INDENT).lines
    assert line.natural == 8 * METRICS.em + METRICS.em // 2
    assert line.char_x[line.text.index("P")][0] == 2 * METRICS.em + METRICS.em // 4
