"""The page being drawn: a ReportLab canvas plus where the layout's trim box sits on it.

Layout units are integers with the origin at the trim box's top-left, y down; PDF
user space is points with y up. Every coordinate goes through `x`/`y`/`length`, and
those only add integer offsets before the one `to_pt` conversion, so positions in
the file are the layout's exactly.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from app.compose.layout import Color, to_pt
from app.export.colors import ProcessColors, ProofColors
from app.export.fonts import FontPlan, format_number
from app.export.pdfx import NO_INITIAL_FONT


class Surface:
    """The canvas with the trim box's offsets on it. A plain class rather than a dataclass:
    every export defines it, and the dataclass machinery costs ~1 ms a class to define."""

    __slots__ = ("canvas", "colors", "fonts", "left", "overprint", "top")

    def __init__(
        self,
        canvas: Canvas,
        fonts: FontPlan,
        colors: ProcessColors | ProofColors,
        left: int,
        top: int,
        overprint: bool,
    ) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.colors = colors
        self.left = left  # lu from the MediaBox's left edge to the trim's left edge
        self.top = top  # lu from the MediaBox's bottom edge to the trim's top edge
        self.overprint = overprint  # honour `Color.overprint` (print only)

    def x(self, value: int) -> str:
        return format_number(to_pt(self.left + value))

    def y(self, value: int) -> str:
        return format_number(to_pt(self.top - value))

    def length(self, value: int) -> str:
        return format_number(to_pt(value))

    def emit(self, code: str) -> None:
        self.canvas._code.append(code)

    def begin(self, fill: Color | None = None, stroke: Color | None = None) -> None:
        """Open a graphics state with these colours (and their overprint settings)."""
        self.canvas.saveState()
        if self.overprint and fill is not None and fill.overprint:
            self.canvas._setFillOverprint(True)
            self.canvas._setOverprintMask(True)
        if self.overprint and stroke is not None and stroke.overprint:
            self.canvas._setStrokeOverprint(True)
            self.canvas._setOverprintMask(True)
        if fill is not None:
            self.emit(self.colors.fill(fill))
        if stroke is not None:
            self.emit(self.colors.stroke(stroke))

    def end(self) -> None:
        self.canvas.restoreState()


def open_canvas(
    buffer,
    media: tuple[int, int],
    trim: tuple[int, int, int, int],
    bleed: int,
    version: tuple[int, int],
) -> Canvas:
    """A one-page canvas with MediaBox `media`, TrimBox `trim` (x, y, w, h from the
    bottom-left, lu) and a BleedBox `bleed` beyond it; no non-embedded initial font."""
    rl_config.useA85 = 0  # JPEG and font data stay binary: ASCII85 would add 25 %
    x, y, w, h = trim
    return Canvas(
        buffer,
        pagesize=(to_pt(media[0]), to_pt(media[1])),
        pdfVersion=version,
        initialFontName=NO_INITIAL_FONT,
        pageCompression=1,
        trimBox=_points(x, y, x + w, y + h),
        bleedBox=_points(x - bleed, y - bleed, x + w + bleed, y + h + bleed),
    )


def _points(*values: int) -> tuple[float, ...]:
    return tuple(to_pt(v) for v in values)
