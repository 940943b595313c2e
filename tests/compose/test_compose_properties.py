"""Property tests over random Chinese/Latin/punctuation text, widths and settings (issue 3)."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.compose.classes import DASH, ELL
from app.compose.classify import classify
from app.compose.config import KINSOKU_LEVELS, PUNCT_STYLES, Settings
from app.compose.justify import set_line
from app.compose.linebreak import break_lines
from app.compose.measure import LineMeasure
from app.compose.metrics import SpecMetrics
from app.compose.paragraph import Line, _emit, _Natural, compose_paragraph
from app.compose.segment import build_units

# Unambiguous marks only, so the lists of cjk-composition §1.3 apply to characters directly.
NO_START_STRONG = set("。．，、：；？！）］｝〕〉》」』】〗〙〛") | set(",.;:!?)]}")
NO_START_WEAK = set("・～")  # MID, CONN: a relaxed (weak) rule may put them first
NO_END = set("（［｛〔〈《「『【〖")
GB_NO_START_STRONG = set("％")  # POST, from the GB level up
GB_WEAK = set("／")  # SOL at either edge, from the GB level up

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
PUNCT = "，。、：；？！）》」】（《「【・～／％——……"
LATIN = "abcdefgXYZ0123456789 -/.,"
ALPHABET = HAN[:60] + PUNCT * 3 + LATIN * 2

texts = st.text(alphabet=ALPHABET, min_size=1, max_size=120).filter(lambda t: t.strip())
styles = st.sampled_from(PUNCT_STYLES)
levels = st.sampled_from(("basic", "gb", "strict"))


def _settings(style: str, level: str, hang: bool, indent: int) -> Settings:
    return Settings(
        punct_style=style,
        kinsoku_level=level,
        line_end_punct="hang" if hang else "trim",
        first_line_indent=Fraction(indent),
    )


def _class_at(text: str, offset: int) -> int:
    """The engine class of the cluster starting at `offset`, resolved in its whole paragraph."""
    classified = classify(text)
    return classified.classes[classified.starts.index(offset)]


def _compose(text, em, width_em, style, level, hang, indent):
    metrics = SpecMetrics(em=em)
    measure = width_em * em // 4
    return compose_paragraph(text, measure, metrics, _settings(style, level, hang, indent))


common = dict(
    text=texts,
    em=st.sampled_from([672, 1000, 1680, 577]),
    width_em=st.integers(min_value=12, max_value=80),  # quarter em: 3 to 20 em
    style=styles,
    level=levels,
    hang=st.booleans(),
    indent=st.sampled_from([0, 2]),
)
profile = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@profile
@given(**common)
def test_lines_give_back_the_text(text, em, width_em, style, level, hang, indent):
    paragraph = _compose(text, em, width_em, style, level, hang, indent)
    assert "".join(line.text for line in paragraph.lines) == text
    ends = [line.end for line in paragraph.lines]
    assert [0, *ends[:-1]] == [line.start for line in paragraph.lines]


@profile
@given(**common)
@example(  # a lone em dash after Han at the end is a Latin dash: it may start a line
    text="0—一—", em=672, width_em=12, style="quanjiao", level="strict", hang=False, indent=0
)
@example(  # a Latin em dash may be broken after, but not before a full stop
    text="0《一—.0", em=672, width_em=12, style="quanjiao", level="strict", hang=False, indent=2
)
def test_kinsoku_holds_unless_relaxed_and_reported(text, em, width_em, style, level, hang, indent):
    lines = _compose(text, em, width_em, style, level, hang, indent).lines
    for before, after in itertools.pairwise(lines):
        if before.emergency:
            continue
        first = after.text[0]
        last = before.text.rstrip()[-1:] if before.text.strip() else ""
        gb = level != "basic"
        assert first not in NO_START_STRONG, (before.text, after.text)
        assert last not in NO_END, (before.text, after.text)
        assert not (gb and first in GB_NO_START_STRONG), (before.text, after.text)
        if not before.relaxed:
            assert first not in NO_START_WEAK, (before.text, after.text)
            assert not (gb and (first in GB_WEAK or last in GB_WEAK)), (before.text, after.text)
            if level == "strict":  # a dash or ellipsis *mark*; a lone Latin em dash may start
                assert _class_at(text, after.start) not in (DASH, ELL), (before.text, after.text)
        assert not before.text.endswith("—") or not after.text.startswith("—")
        assert not before.text.endswith("…") or not after.text.startswith("…")


@profile
@given(**common)
@example(  # a 2-em dash alone on an indented first line: one unit, nothing to spread
    text="——0", em=672, width_em=17, style="quanjiao", level="basic", hang=False, indent=2
)
def test_justified_lines_fill_the_measure(text, em, width_em, style, level, hang, indent):
    for line in _compose(text, em, width_em, style, level, hang, indent).lines:
        if line.emergency:
            continue
        assert line.width <= line.measure
        visible = [i for i, ch in enumerate(line.text) if not ch.isspace()]
        if line.hanging:
            visible = visible[:-1]
        if line.last or len(visible) < 2 or len(classify(line.text.strip()).classes) < 2:
            continue  # one unit (a character, a —— or …… run) has no gap to justify
        assert abs(line.width - line.measure) <= 1, line
        right = line.char_x[visible[-1]][1]
        assert abs(right - (line.x + line.measure)) <= 1, line


@profile
@given(**common)
def test_every_coordinate_is_an_int(text, em, width_em, style, level, hang, indent):
    for line in _compose(text, em, width_em, style, level, hang, indent).lines:
        values = [line.x, line.measure, line.natural, line.width]
        for glyph in line.glyphs:
            values += [glyph.x, glyph.advance, glyph.start, glyph.end]
        for left, right in line.char_x:
            values += [left, right]
        for _, amounts in line.adjustments:
            values += list(amounts)
        assert all(type(v) is int for v in values)
        assert len(line.char_x) == line.end - line.start


@given(text=texts, width_em=st.integers(min_value=12, max_value=80))
@settings(max_examples=100, deadline=None)
def test_glyphs_advance_to_the_next_origin(text, width_em):
    metrics = SpecMetrics(em=672)
    paragraph = compose_paragraph(text, width_em * 168, metrics)
    for line in paragraph.lines:
        for glyph, following in zip(line.glyphs, line.glyphs[1:], strict=False):
            assert glyph.x + glyph.advance == following.x


def test_styles_and_levels_are_all_covered():
    assert set(PUNCT_STYLES) == {"quanjiao", "kaiming", "banjiao", "hangmobanjiao", "plain"}
    assert set(KINSOKU_LEVELS) == {"none", "basic", "gb", "strict"}


@profile
@given(
    **common,
    align=st.sampled_from(["justify", "left", "center", "right", "even"]),
    last_align=st.sampled_from(["left", "center", "right", "justify"]),
)
def test_lines_cut_from_the_natural_paragraph_equal_lines_set_one_by_one(
    text, em, width_em, style, level, hang, indent, align, last_align
):
    """A line that needs no adjustment is a slice of the paragraph set at natural width; it must
    be exactly the line that `set_line` and `_emit` make of it."""
    metrics = SpecMetrics(em=em)
    options = _settings(style, level, hang, indent).but(align=align, last_line_align=last_align)
    units = build_units(text, metrics, options)
    measure = LineMeasure(units, options)
    natural = _Natural.of(units, measure)
    breaks = break_lines(units, measure, lambda _i: width_em * em // 4)
    for brk in breaks if natural else ():
        cut = natural.line(brk, 0)
        if cut is not None:
            one_by_one = _emit(units, brk, set_line(measure, brk, align), 0)
            assert (cut.char_x, cut.glyphs) == (one_by_one.char_x, one_by_one.glyphs)
            relative = ("xs", "advances", "char_lefts", "char_rights", "left", "right", "origin")
            fields = [f for f in Line._fields if f not in relative]
            for line in (cut, one_by_one):
                assert (line.left, line.right) == (min(line.char_lefts), max(line.char_rights))
            assert cut.origin + cut.left == one_by_one.origin + one_by_one.left
            assert cut.origin + cut.right == one_by_one.origin + one_by_one.right
            assert [getattr(cut, f) for f in fields] == [getattr(one_by_one, f) for f in fields]
