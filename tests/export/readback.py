"""Reading exported PDFs back with tools that share no code with the writer."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def qpdf_check(path: Path) -> None:
    result = run_tool("qpdf", "--check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def pdffonts(path: Path) -> list[dict[str, str]]:
    result = run_tool("pdffonts", str(path))
    assert result.returncode == 0, result.stderr
    rows = []
    for line in result.stdout.splitlines()[2:]:
        fields = line.split()
        # name, type (may be two words), encoding, emb, sub, uni, object id, generation
        rows.append(
            {
                "name": fields[0],
                "type": " ".join(fields[1:-6]),
                "encoding": fields[-6],
                "emb": fields[-5],
                "sub": fields[-4],
                "uni": fields[-3],
            }
        )
    return rows


def pdftotext(path: Path) -> str:
    result = run_tool("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")
    assert result.returncode == 0, result.stderr
    return result.stdout


def squeeze(text: str) -> str:
    return "".join(text.split())


def ghostscript_messages(path: Path) -> str:
    """Everything Ghostscript says while rendering the file (empty means clean)."""
    result = run_tool(
        "gs",
        "-q",
        "-dNOPAUSE",
        "-dBATCH",
        "-dPDFSTOPONERROR",
        "-dPDFSTOPONWARNING",
        "-sDEVICE=nullpage",
        str(path),
    )
    return (
        f"exit {result.returncode}: {result.stdout}{result.stderr}"
        if (result.returncode or result.stdout.strip() or result.stderr.strip())
        else ""
    )


@dataclass(frozen=True)
class PlacedGlyph:
    font: str
    size: float
    code: int
    x: float  # PDF user space, points
    y: float


def _widths(font: pikepdf.Dictionary) -> tuple[dict[int, float], float]:
    descendant = font.DescendantFonts[0]
    default = float(descendant.get("/DW", 1000))
    widths: dict[int, float] = {}
    w = list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for offset, value in enumerate(w[i + 1]):
                widths[first + offset] = float(value)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                widths[cid] = float(w[i + 2])
            i += 3
    return widths, default


def placed_glyphs(path: Path) -> list[list[PlacedGlyph]]:
    """Every TJ/Tj of page 1 as the glyph origins it produces, from /W and the TJ numbers."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        fonts = {name: _widths(page.Resources.Font[name]) for name in page.Resources.Font}
        shows: list[list[PlacedGlyph]] = []
        font, size, x, y = "", 0.0, 0.0, 0.0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                font, size = str(operands[0]), float(operands[1])
            elif op == "Tm":
                x, y = float(operands[4]), float(operands[5])
            elif op in ("TJ", "Tj"):
                widths, default = fonts[font]
                elements = operands[0] if op == "TJ" else [operands[0]]
                glyphs = []
                for element in elements:
                    if isinstance(element, pikepdf.String):
                        data = bytes(element)
                        for k in range(0, len(data), 2):
                            code = int.from_bytes(data[k : k + 2], "big")
                            glyphs.append(PlacedGlyph(font, size, code, x, y))
                            x += widths.get(code, default) / 1000 * size
                    else:
                        x -= float(element) / 1000 * size
                shows.append(glyphs)
        return shows


RGB_OPERATORS = {"rg", "RG"}


def colour_report(path: Path) -> dict[str, set[str]]:
    """Colour operators and colour spaces in every content stream and image of the file."""
    report: dict[str, set[str]] = {"operators": set(), "spaces": set(), "images": set()}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            _scan(page, report)
            for xobject in page.Resources.get("/XObject", {}).values():
                if xobject.Subtype == "/Image":
                    report["images"].add(str(xobject.ColorSpace))
                else:
                    _scan(xobject, report)
            for space in page.Resources.get("/ColorSpace", {}).values():
                report["spaces"].add(str(space[0] if isinstance(space, pikepdf.Array) else space))
    return report


def _scan(container, report) -> None:
    for operands, operator in pikepdf.parse_content_stream(container):
        op = str(operator)
        if op in ("rg", "RG", "k", "K", "g", "G", "sc", "scn", "SC", "SCN", "cs", "CS"):
            report["operators"].add(op)
            if op in ("cs", "CS"):
                report["spaces"].add(str(operands[0]))
