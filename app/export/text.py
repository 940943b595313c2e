"""Glyph runs as one `TJ` array each, at the layout's positions.

The text matrix is set once at the run's first glyph origin; between glyphs the
array carries `font width − set advance` in thousandths of an em, so a reader that
applies /W and the TJ numbers lands on the engine's x to far better than 1/64 pt.
"""

from __future__ import annotations

from app.compose.layout import GlyphRun
from app.export.surface import Surface

_ADJUSTMENT_DIGITS = 4


def draw_run(surface: Surface, run: GlyphRun) -> None:
    if not run.glyphs:
        return
    font = surface.fonts.font(run.font)
    per_lu = 1000 / run.size  # thousandths of an em per layout unit
    codes, widths = font.codes, font.widths
    array: list[str] = []
    last = len(run.glyphs) - 1
    for i, gid in enumerate(run.glyphs):
        array.append(codes[gid])
        if i < last:
            adjustment = round(
                widths[gid] - (run.xs[i + 1] - run.xs[i]) * per_lu, _ADJUSTMENT_DIGITS
            )
            if adjustment:
                array.append(f"{adjustment:.{_ADJUSTMENT_DIGITS}f}".rstrip("0").rstrip("."))
    actual_text = surface.fonts.actual_text(run)
    surface.begin(fill=run.color)
    if actual_text:
        surface.emit(
            f"/Span <</ActualText <FEFF{run.text.encode('utf-16-be').hex().upper()}>>> BDC"
        )
    surface.emit(
        f"BT /{font.resource} {surface.length(run.size)} Tf "
        f"1 0 0 1 {surface.x(run.xs[0])} {surface.y(run.y)} Tm [{''.join(array)}] TJ ET"
    )
    if actual_text:
        surface.emit("EMC")
    surface.end()
