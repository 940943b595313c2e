"""Placed lines to display-list pieces: glyph runs per font and the text map's lines.

Each paragraph's drawing is cached under its lines' identities and places and moved by
offset when text earlier in the story changed, so a keystroke redraws one paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, groupby
from operator import attrgetter, not_

from app.compose.flow import PlacedLine
from app.compose.layout import (
    Color,
    Finding,
    GlyphRun,
    Item,
    TextLine,
    from_pt,
    maker,
)
from app.compose.paragraph import Line
from app.compose.typesetter import TypeSetter, cmyk
from app.model.story import Paragraph as StoryParagraph
from app.model.story import Story

_glyph_run, _text_line = maker(GlyphRun), maker(TextLine)


def draw_lines(
    placed: Sequence[PlacedLine],
    paragraphs: Sequence[StoryParagraph],
    starts: list[int],
    block_id: str,
    story: Story,
    ts: TypeSetter,
    findings: list[Finding],
) -> tuple[tuple[Item, ...], tuple[TextLine, ...], frozenset[str]]:
    """Glyph runs (one per font change within a line) and text-map lines for placed lines.

    Each paragraph's drawing is cached under its lines' identities and places, so after a
    keystroke only the paragraphs that changed or moved on the page are drawn again.
    """
    items: list[Item] = []
    lines: list[TextLine] = []
    fonts: set[str] = set()
    for number, grouped in groupby(placed, key=attrgetter("paragraph")):
        group = tuple(grouped)
        text = paragraphs[number].text
        style = ts.styles[paragraphs[number].role]
        look = (from_pt(style.size), cmyk(style.color))
        key = (
            block_id,
            story.id,
            text,
            look,
            tuple((id(p.line), p.x, p.baseline, p.top, p.bottom, p.frame) for p in group),
        )
        base = starts[number]
        drawn = ts.drawn.get(key)
        if drawn is None:
            drawn = ts.drawn[key] = (
                *_draw_paragraph(group, text, look, block_id, story.id, base),
                base,
                group,
            )  # the lines stay alive while their ids are keys
        runs, text_lines, used, found, drawn_base, _ = drawn
        if base != drawn_base:  # text typed in an earlier paragraph only moves offsets
            moved = base - drawn_base
            runs = [r._replace(char_start=r.char_start + moved) for r in runs]
            text_lines = [t._replace(start=t.start + moved, end=t.end + moved) for t in text_lines]
            found = [_moved_finding(f, moved) for f in found]
        items.extend(runs)
        lines.extend(text_lines)
        fonts.update(used)
        findings.extend(found)
    return tuple(items), tuple(lines), frozenset(fonts)


def _moved_finding(finding: Finding, moved: int) -> Finding:
    args = tuple(
        (k, v + moved if k == "offset" and isinstance(v, int) else v) for k, v in finding.args
    )
    return finding._replace(args=args)


def _draw_paragraph(
    group: Sequence[PlacedLine],
    text: str,
    look: tuple[int, Color],
    block_id: str,
    story_id: str,
    base: int,
) -> tuple[tuple[GlyphRun, ...], tuple[TextLine, ...], frozenset[str], tuple[Finding, ...]]:
    """One paragraph's runs, text-map lines and findings; `base` is its offset in the story."""
    size, color = look
    runs: list[GlyphRun] = []
    lines: list[TextLine] = []
    fonts: set[str] = set()
    findings: list[Finding] = []
    reported: set[int] = set()
    for p in group:
        line = p.line
        x0, baseline = p.x, p.baseline
        origin = x0 + line.origin  # of the line's glyph origins and character edges
        line_fonts = line.fonts
        font = line_fonts[0] if line_fonts else ""
        clusters = line.clusters
        if (
            font
            and line_fonts.count(font) == len(line_fonts)
            and clusters[0][0] == 0
            and clusters[-1][1] == len(line.text)
        ):  # one face draws the whole line: the common case
            runs.append(_glyph_run((
                font, size, color, baseline, line.gids, line.xs, line.advances, line.text,
                clusters, block_id, story_id, base + line.start, origin,
            )))  # fmt: skip
            fonts.add(font)
        elif line_fonts:
            _draw_runs(line, origin, baseline, look, block_id, story_id, base, runs, fonts)
            for i in compress(range(len(line_fonts)), map(not_, line_fonts)):
                at = line.start + clusters[i][0]  # no face draws it: reported once
                if at not in reported:
                    reported.add(at)
                    findings.append(Finding("missing-glyph", "error", block_id, story_id,
                                            (("char", text[at]), ("offset", base + at))))  # fmt: skip
        if line.loose:
            findings.append(Finding("loose-line", "info", block_id, story_id,
                                    (("offset", base + line.start),)))  # fmt: skip
        if line.relaxed:
            findings.append(Finding("relaxed-rule", "info", block_id, story_id,
                                    (("rule", line.relaxed), ("offset", base + line.end))))  # fmt: skip
        lefts, rights = line.char_lefts, line.char_rights
        left = origin + line.left if lefts else x0 + line.x  # where the text starts
        right = origin + line.right if lefts else left
        lines.append(_text_line((
            block_id, story_id, p.frame, p.paragraph, base + line.start, base + line.end,
            line.text, left, baseline, right - left, p.top, p.bottom, lefts, rights, origin,
        )))  # fmt: skip
    return tuple(runs), tuple(lines), frozenset(fonts), tuple(findings)


def _draw_runs(
    line: Line,
    origin: int,
    baseline: int,
    look: tuple[int, Color],
    block_id: str,
    story_id: str,
    base: int,
    runs: list[GlyphRun],
    fonts: set[str],
) -> None:
    """A line of several faces: one run per stretch of glyphs in one face."""
    size, color = look
    index = 0
    for font, stretch in groupby(line.fonts):
        count = len(tuple(stretch))
        end = index + count
        if font:
            clusters = line.clusters[index:end]
            first = min(a for a, _ in clusters)
            last = max(b for _, b in clusters)
            runs.append(GlyphRun(
                font, size, color, baseline, line.gids[index:end], line.xs[index:end],
                line.advances[index:end], line.text[first:last],
                tuple([(a - first, b - first) for a, b in clusters]), block_id, story_id,
                base + line.start + first, origin,
            ))  # fmt: skip
            fonts.add(font)
        index = end
