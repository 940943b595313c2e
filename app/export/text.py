"""Glyph runs as one `TJ` array each, at the layout's positions.

The text matrix is set once at the run's first glyph origin; between glyphs the
array carries `font width − set advance` in thousandths of an em, so a reader that
applies /W and the TJ numbers lands on the engine's x to far better than 1/64 pt.
Consecutive runs of one colour share a graphics state and a text object.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.compose.layout import GlyphRun
from app.export.surface import Surface

_ADJUSTMENT_DIGITS = 4


def draw_runs(surface: Surface, runs: Sequence[GlyphRun]) -> None:
    """Draw runs that all have the colour of the first."""
    surface.begin(fill=runs[0].color)
    code = ["BT"]
    current_font = None
    for run in runs:
        if not run.glyphs:
            continue
        font = surface.fonts.font(run.font)
        if (run.font, run.size) != current_font:
            code.append(f"/{font.resource} {surface.length(run.size)} Tf")
            current_font = (run.font, run.size)
        code.append(f"1 0 0 1 {surface.x(run.x + run.xs[0])} {surface.y(run.y)} Tm")
        shown = f"[{_array(run, font.codes, font.widths)}] TJ"
        if surface.fonts.actual_text(run):
            actual = run.text.encode("utf-16-be").hex().upper()
            shown = f"/Span <</ActualText <FEFF{actual}>>> BDC {shown} EMC"
        code.append(shown)
    code.append("ET")
    surface.emit("\n".join(code))
    surface.end()


def _array(run: GlyphRun, codes: dict[int, str], widths: dict[int, int]) -> str:
    per_lu = 1000 / run.size  # thousandths of an em per layout unit
    xs, glyphs = run.xs, run.glyphs
    # justified CJK repeats a few (width, step) pairs along a line: format each pair once
    numbers: dict[tuple[int, int], str] = {}
    parts: list[str] = []
    for i in range(len(glyphs) - 1):
        gid = glyphs[i]
        parts.append(codes[gid])
        pair = (widths[gid], xs[i + 1] - xs[i])
        number = numbers.get(pair)
        if number is None:
            number = numbers[pair] = _adjustment(pair[0] - pair[1] * per_lu)
        parts.append(number)
    parts.append(codes[glyphs[-1]])
    return "".join(parts)


def _adjustment(value: float) -> str:
    """A TJ number, 4 decimals at most; "" when it rounds to nothing."""
    value = round(value, _ADJUSTMENT_DIGITS)
    return f"{value:.{_ADJUSTMENT_DIGITS}f}".rstrip("0").rstrip(".") if value else ""
