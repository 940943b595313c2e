"""Page composition on the sample page: flow, text map, caching, wrap, overset, CLI."""

from __future__ import annotations

import collections
import dataclasses
import gc
import itertools
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from app.compose.composer import Composer
from app.compose.justify import set_line
from app.compose.layout import GlyphRun, Rect
from app.compose.linebreak import break_lines
from app.compose.measure import LineMeasure
from app.compose.paragraph import _emit, _Natural
from app.compose.segment import build_units
from app.compose.styling import metrics_for, settings_for
from app.fonts import default_registry
from app.model import GridFrame, read_document
from app.model.story import PARAGRAPH_SEPARATOR

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"
# GB level (cjk-composition §1.3), strong rules: never relaxed.
NO_START = set("。．，、：；？！‼⁇⁈⁉）］｝〕〉》」』】〗〙〛”’％")
NO_END = set("“‘（［｛〔〈《「『【〖〘〚")


@pytest.fixture(scope="module")
def sample():
    document = read_document(SAMPLE)
    composer = Composer()
    return document, composer, composer.compose(document)


def test_sample_page_has_no_overset_and_no_errors(sample):
    _, _, layout = sample
    assert [f for f in layout.findings if f.severity == "error"] == []
    articles = [b for b in layout.blocks if b.kind in ("article", "caption", "text")]
    assert len(articles) == 6
    assert all(b.overset_chars == 0 and b.overset_lines == 0 for b in articles)


def test_no_line_breaks_a_gb_rule(sample):
    _, _, layout = sample
    for line in layout.lines:
        text = line.text.rstrip(" ")
        assert text, line
        assert text[0] not in NO_START, (line.block, text)
        assert text[-1] not in NO_END, (line.block, text)
        assert not text.startswith("—") or text.startswith("——"), text  # dashes never split
        assert not text.endswith("—") or text.endswith("——") or line.text[-2:-1] != "—"


def test_text_map_covers_every_story_character_in_order(sample):
    document, _, layout = sample
    for story_id, story in document.stories.items():
        lines = [line for line in layout.lines if line.story == story_id]
        assert lines, story_id
        stream = story.stream
        rebuilt = []
        for paragraph_lines in _by_paragraph(lines):
            for a, b in itertools.pairwise(paragraph_lines):
                assert a.end == b.start  # no character lost or doubled between lines
            rebuilt.append(stream[paragraph_lines[0].start : paragraph_lines[-1].end])
        assert PARAGRAPH_SEPARATOR.join(rebuilt) == stream
        for line in lines:
            assert len(line.char_x) == line.end - line.start
            assert stream[line.start : line.end] == line.text


def test_glyph_runs_point_back_to_their_characters(sample):
    document, _, layout = sample
    runs = [item for item in layout.items if isinstance(item, GlyphRun) and item.story]
    assert runs
    for run in runs:
        stream = document.stories[run.story].stream if run.story in document.stories else None
        if stream is None:  # the running head's fields are not a story
            continue
        assert stream[run.char_start : run.char_start + len(run.text)] == run.text
        assert len(run.glyphs) == len(run.xs) == len(run.advances) == len(run.clusters)
        assert all(isinstance(v, int) for v in (run.y, run.size, *run.xs, *run.advances))
        assert list(run.xs) == sorted(run.xs)


def test_lines_sit_on_the_baseline_grid_inside_their_frames(sample):
    document, _, layout = sample
    grid = document.layout.grid
    pitch, top = round(grid.line_pitch * 64), round(grid.margin_top * 64)
    frames = {b.block: b for b in layout.blocks}
    body = [
        line
        for line in layout.lines
        if line.block == "renda"
        and document.stories["renda"].paragraphs[line.paragraph].role == "正文"
    ]
    assert body
    for line in body:
        assert (line.top - top) % pitch == 0, line  # every body line on the grid
        frame = frames["renda"].rect
        assert frame.x <= line.x and line.x + line.width <= frame.right + 64
        assert frame.y <= line.top and line.bottom <= frame.bottom


def test_one_story_edit_recomposes_one_block_and_matches_a_fresh_compose():
    document = read_document(SAMPLE)
    composer = Composer()
    composer.compose(document)
    document.replace_text("renda", 200, 200, "新增")
    edited = composer.compose(document)
    assert composer.recomposed == ("renda",)
    assert edited == Composer().compose(document)
    assert composer.compose(document) == edited and composer.recomposed == ()


def test_a_page_pass_files_what_it_keeps_as_old_and_leaves_the_collector_as_it_was():
    document = read_document(SAMPLE)
    assert gc.isenabled()
    layout = Composer().compose(document)
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(layout) in oldest and id(layout.lines[0]) in oldest
    gc.disable()  # a caller that holds the collector off keeps it off
    try:
        Composer().compose(document)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_lines_cut_from_the_natural_paragraph_equal_lines_set_one_by_one_in_real_fonts():
    """Every body paragraph of the sample page at two column widths, untracked and tracked:
    each line that `_Natural` cuts (fitting, E2 and E3, R4 only) is the line `set_line` and
    `_emit` set, to the lu."""
    document = read_document(SAMPLE)
    style = document.styles["正文"]
    metrics = metrics_for(default_registry(), document.layout.fonts, style)
    untracked = settings_for(style, document.layout.composition)
    kinds = collections.Counter()
    for settings, story in itertools.product(
        (untracked, untracked.but(tracking=Fraction(1, 8))), document.stories.values()
    ):
        for paragraph in story.paragraphs:
            units = build_units(paragraph.text, metrics, settings)
            measure = LineMeasure(units, settings)
            natural = _Natural.of(units, measure)
            for chars in (11, 14):
                for brk in break_lines(units, measure, lambda _i, w=chars * metrics.em: w):
                    cut = natural.line(brk, 0) if natural else None
                    if cut is None:
                        continue
                    kinds[cut.adjustments[0][0] if cut.adjustments else ""] += 1
                    one_by_one = _emit(units, brk, set_line(measure, brk, settings.align), 0)
                    assert (cut.char_x, cut.glyphs) == (one_by_one.char_x, one_by_one.glyphs)
                    assert cut.adjustments == one_by_one.adjustments
                    assert (cut.natural, cut.width, cut.loose) == (
                        one_by_one.natural,
                        one_by_one.width,
                        one_by_one.loose,
                    )
    assert kinds[""] > 500 and kinds["E3"] > 50 and kinds["E2"] > 20 and kinds["R4"] > 10


def test_text_wraps_around_a_photo_moved_into_an_article():
    document = read_document(SAMPLE)
    photo = document.block("photo")
    document.set_block(
        dataclasses.replace(photo, frame=GridFrame(col=5, span=2, line=60, depth=12))
    )
    layout = Composer().compose(document)
    zone = next(b for b in layout.blocks if b.block == "photo").rect
    renda = [line for line in layout.lines if line.block == "renda"]
    assert renda
    for line in renda:
        box = Rect(line.x, line.top, line.width, line.bottom - line.top)
        assert not box.intersects(zone), line.text


def test_overset_is_counted_in_characters_and_lines():
    document = read_document(SAMPLE)
    lead = document.block("lead")
    document.set_block(dataclasses.replace(lead, frames=(GridFrame(0, 5, 0, 30),)))
    layout = Composer().compose(document)
    frame = next(b for b in layout.blocks if b.block == "lead")
    placed = sum(line.end - line.start for line in layout.lines if line.block == "lead")
    story = document.stories["lead"]
    total = len(story.stream) - (len(story.paragraphs) - 1)
    assert frame.overset_lines > 0
    missing = total - placed - sum(len(p.text) for p in story.paragraphs[:1]) * 0
    assert 0 < frame.overset_chars <= missing
    finding = next(f for f in layout.findings if f.code == "overset")
    assert finding.block == "lead" and finding.arg("chars") == frame.overset_chars


def test_subheads_are_kept_with_the_next_paragraph(sample):
    document, _, layout = sample
    story = document.stories["renda"]
    lines = [line for line in layout.lines if line.block == "renda"]
    subheads = {i for i, p in enumerate(story.paragraphs) if p.role == "小标题"}
    assert len(subheads) == 4
    columns = next(b for b in layout.blocks if b.block == "renda").frames

    def column(line):
        return next(i for i, c in enumerate(columns) if c.x <= line.x < c.right)

    for i, (line, following) in enumerate(itertools.pairwise(lines)):
        if line.paragraph in subheads and following.paragraph != line.paragraph:
            # The paragraph after a subhead starts in the same column, right below it …
            assert column(following) == column(line) and following.top > line.top, line.text
            # … and has at least two lines there.
            after = lines[i + 2] if i + 2 < len(lines) else None
            assert after is not None and column(after) == column(following)


def test_headline_group_is_set_across_the_first_frame(sample):
    document, _, layout = sample
    frame = next(b for b in layout.blocks if b.block == "yingshang")
    heads = [line for line in layout.lines if line.block == "yingshang" and line.paragraph < 2]
    assert [document.stories["yingshang"].paragraphs[h.paragraph].role for h in heads] == [
        "主题",
        "副题",
    ]
    for head in heads:  # centred over the whole frame, not a column
        centre = head.x + head.width // 2
        assert abs(centre - (frame.rect.x + frame.rect.w // 2)) < 64 * 2


def test_compose_json_cli():
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "compose", str(SAMPLE), "--json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    blocks = {b["block"]: b for b in data["blocks"]}
    lead = blocks["lead"]
    assert lead["story"] == "lead" and lead["overset_chars"] == 0
    assert {"text", "x", "y", "width", "frame"} <= set(lead["lines"][0])
    assert lead["lines"][0]["text"].startswith("榆次太谷")


def _by_paragraph(lines):
    groups: dict[int, list] = {}
    for line in lines:
        groups.setdefault(line.paragraph, []).append(line)
    return [groups[k] for k in sorted(groups)]
