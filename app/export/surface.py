"""The page being drawn: a ReportLab canvas plus where the layout's trim box sits on it.

Layout units are integers with the origin at the trim box's top-left, y down; PDF
user space is points with y up. Every coordinate goes through `x`/`y`/`length`, and
those only add integer offsets before the one `to_pt` conversion, so positions in
the file are the layout's exactly.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName
from reportlab.pdfgen.canvas import Canvas, ExtGState

from app.compose.layout import Color, to_pt
from app.export.colors import ProcessColors, ProofColors
from app.export.fonts import FontPlan, format_number
from app.export.pdfx import NO_INITIAL_FONT


class Surface:
    """The canvas with the trim box's offsets on it. A plain class rather than a dataclass:
    every export defines it, and the dataclass machinery costs ~1 ms a class to define."""

    __slots__ = ("canvas", "colors", "fonts", "ink_limit", "left", "overprint", "pdfx", "top")

    def __init__(
        self,
        canvas: Canvas,
        fonts: FontPlan,
        colors: ProcessColors | ProofColors,
        left: int,
        top: int,
        overprint: bool,
        ink_limit: float = 240.0,
        pdfx: str = "",
    ) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.colors = colors
        self.left = left  # lu from the MediaBox's left edge to the trim's left edge
        self.top = top  # lu from the MediaBox's bottom edge to the trim's top edge
        self.overprint = overprint  # honour `Color.overprint` (print only)
        self.ink_limit = ink_limit  # photos converted for print keep within it (percent)
        self.pdfx = pdfx  # the PDF/X level the file keeps ("1a", "4"); "" for proofs, previews

    def x(self, value: int) -> str:
        return format_number(to_pt(self.left + value))

    def y(self, value: int) -> str:
        return format_number(to_pt(self.top - value))

    def length(self, value: int) -> str:
        return format_number(to_pt(value))

    def emit(self, code: str) -> None:
        self.canvas._code.append(code)

    def begin(self, fill: Color | None = None, stroke: Color | None = None) -> None:
        """Open a graphics state with these colours and their overprint settings: one state
        names both `/op` (fill) and `/OP` (stroke), since a state that sets only `/OP` makes
        fills overprint too (PDF 32000-1 §8.6.7)."""
        self.canvas.saveState()
        fill_over = self.overprint and fill is not None and fill.overprint
        stroke_over = self.overprint and stroke is not None and stroke.overprint
        if fill_over or stroke_over:
            self.canvas._extgstate.overprint(self.canvas, fill_over, stroke_over)
        if fill is not None:
            self.emit(self.colors.fill(fill))
        if stroke is not None:
            self.emit(self.colors.stroke(stroke))

    def end(self) -> None:
        self.canvas.restoreState()


_OVERPRINT = "PasteupOverprint"


class OverprintStates(ExtGState):
    """ReportLab's graphics states, plus ours: each sets `/op`, `/OP` and `/OPM` together.
    (ReportLab writes one key per state, so a stroke's `/OP true` alone overprinted fills.)"""

    def overprint(self, canvas: Canvas, fill: bool, stroke: bool) -> None:
        key = (_OVERPRINT, fill, stroke)
        name = self._c.setdefault(key, f"GSop{int(fill)}{int(stroke)}")
        canvas._code.append(f"/{name} gs")

    def getState(self):
        states = {}
        for key, name in self._c.items():
            if key[0] == _OVERPRINT:
                _, fill, stroke = key
                states[name] = PDFDictionary(
                    {
                        "Type": PDFName("ExtGState"),
                        "op": "true" if fill else "false",
                        "OP": "true" if stroke else "false",
                        "OPM": 1,
                    }
                )
            else:
                states[name] = PDFDictionary(dict((key,)))
        return PDFDictionary(states) if states else None


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
    canvas = Canvas(
        buffer,
        pagesize=(to_pt(media[0]), to_pt(media[1])),
        pdfVersion=version,
        initialFontName=NO_INITIAL_FONT,
        pageCompression=1,
        trimBox=_points(x, y, x + w, y + h),
        bleedBox=_points(x - bleed, y - bleed, x + w + bleed, y + h + bleed),
    )
    canvas._extgstate = OverprintStates()
    return canvas


def _points(*values: int) -> tuple[float, ...]:
    return tuple(to_pt(v) for v in values)
