"""Placed lines to display-list pieces: glyph runs per font and the text map's lines.

Each paragraph's drawing is cached under its lines' identities and places and moved by
offset when text earlier in the story changed, so a keystroke redraws one paragraph.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter, itemgetter

from app.compose.flow import PlacedLine
from app.compose.layout import (
    Color,
    Finding,
    GlyphRun,
    Item,
    TextLine,
    from_pt,
)
from app.compose.typesetter import TypeSetter, cmyk
from app.model.story import Paragraph as StoryParagraph
from app.model.story import Story


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
    for number, group in groupby(placed, key=attrgetter("paragraph")):
        group = tuple(group)
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
        drawn = ts.drawn.get(key)
        if drawn is None:  # drawn at offset 0, moved to the paragraph's offset below
            drawn = ts.drawn[key] = (
                *_draw_paragraph(group, text, look, block_id, story.id),
                group,
            )  # the lines stay alive while their ids are keys
        runs, text_lines, used, found, _ = drawn
        base = starts[number]
        if base:  # text typed in an earlier paragraph only moves these offsets
            runs = [_shifted_run(r, base) for r in runs]
            text_lines = [_shifted_line(t, base) for t in text_lines]
            found = [_moved_finding(f, base) for f in found]
        items.extend(runs)
        lines.extend(text_lines)
        fonts.update(used)
        findings.extend(found)
    return tuple(items), tuple(lines), frozenset(fonts)


def _shifted_run(r: GlyphRun, base: int) -> GlyphRun:
    return GlyphRun(r.font, r.size, r.color, r.y, r.glyphs, r.xs, r.advances, r.text, r.clusters,
                    r.block, r.story, r.char_start + base)  # fmt: skip


def _shifted_line(t: TextLine, base: int) -> TextLine:
    return TextLine(t.block, t.story, t.frame, t.paragraph, t.start + base, t.end + base, t.text,
                    t.x, t.baseline, t.width, t.top, t.bottom, t.char_x)  # fmt: skip


def _moved_finding(finding: Finding, base: int) -> Finding:
    args = tuple((k, v + base if k == "offset" else v) for k, v in finding.args)
    return dataclasses.replace(finding, args=args)


def _draw_paragraph(
    group: Sequence[PlacedLine], text: str, look: tuple[int, Color], block_id: str, story_id: str
) -> tuple[tuple[GlyphRun, ...], tuple[TextLine, ...], frozenset[str], tuple[Finding, ...]]:
    """One paragraph's runs, text-map lines and findings, offsets counted from its start."""
    size, color = look
    runs: list[GlyphRun] = []
    lines: list[TextLine] = []
    fonts: set[str] = set()
    findings: list[Finding] = []
    reported: set[int] = set()
    for p in group:
        line = p.line
        x0, baseline = p.x, p.baseline
        for font, glyph_group in groupby(line.glyphs, key=attrgetter("font")):
            glyphs = list(glyph_group)
            if not font:  # no face draws it: reported once per character position
                for glyph in glyphs:
                    if glyph.start not in reported:
                        reported.add(glyph.start)
                        findings.append(
                            Finding(
                                "missing-glyph",
                                "error",
                                block_id,
                                story_id,
                                (("char", text[glyph.start]), ("offset", glyph.start)),
                            )
                        )
                continue
            gids, xs, advances, starts, ends = zip(
                *[(g.gid, g.x, g.advance, g.start, g.end) for g in glyphs], strict=True
            )
            first, last = min(starts), max(ends)
            runs.append(GlyphRun(
                font, size, color, baseline, gids, tuple([x0 + x for x in xs]), advances,
                text[first:last],
                tuple([(a - first, b - first) for a, b in zip(starts, ends, strict=True)]),
                block_id, story_id, first,
            ))  # fmt: skip
            fonts.add(font)
        if line.loose:
            findings.append(Finding("loose-line", "info", block_id, story_id,
                                    (("offset", line.start),)))  # fmt: skip
        if line.relaxed:
            findings.append(Finding("relaxed-rule", "info", block_id, story_id,
                                    (("rule", line.relaxed), ("offset", line.end))))  # fmt: skip
        xs = tuple([(x0 + a, x0 + b) for a, b in line.char_x])
        left = min(xs)[0] if xs else x0 + line.x  # where the text starts, as aligned
        right = max(map(itemgetter(1), xs)) if xs else left
        lines.append(TextLine(
            block_id, story_id, p.frame, p.paragraph, line.start, line.end,
            line.text, left, baseline, right - left, p.top, p.bottom, xs,
        ))  # fmt: skip
    return tuple(runs), tuple(lines), frozenset(fonts), tuple(findings)
