"""CJK fonts embedded as Type0 CID fonts addressed by glyph id, one font object per face.

Before anything is drawn, `FontPlan.collect` walks every glyph run so that each face
is subset once for the whole page. `FontPlan.embed` then writes, per face, a Type0
font with Identity-H encoding over a CIDFontType0 (CFF outlines, FontFile3
/CIDFontType0C) or a CIDFontType2 (TrueType outlines, FontFile2), exact /W widths,
and a ToUnicode CMap built from the runs' clusters, so extraction returns the
story's characters rather than whatever the font's cmap suggests.

A glyph that stands for different text in different places (or a cluster drawn with
several glyphs) cannot be told apart by ToUnicode; such runs carry an /ActualText
span instead (`FontPlan.actual_text`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFStreamFilterZCompress,
    PDFString,
)

from app.compose.layout import FontSource, GlyphRun, PageLayout
from app.export.deflate import DeflatedStream, Deflating
from app.fonts.registry import open_face
from app.fonts.subset import EmbeddedSubset, subset_for_embedding

PDF_UNITS_PER_EM = 1000
_CMAP_CHUNK = 100  # the CMap syntax allows at most 100 entries per bfchar block


class _Subset:
    """A subset with its program being compressed in a thread (`deflate.py`): the page is
    drawn meanwhile, and the program is needed only when the PDF is written."""

    def __init__(self, subset: EmbeddedSubset) -> None:
        self.subset = subset
        program = subset.cff_table if subset.outline == "cff" else subset.data
        assert program is not None
        self.program = Deflating(program)


@lru_cache(maxsize=32)
def _cached_subset(source: FontSource, gids: frozenset[int]) -> _Subset:
    """The subset and its Flate-compressed program. Re-exporting an unchanged page re-uses
    both (the key holds the face's hash); compressing a CJK font costs more than drawing."""
    return _Subset(subset_for_embedding(open_face(source.path, source.index), gids))


def subset_page_fonts(layout: PageLayout) -> None:
    """Subset every face the page uses now, for the writer to find them cached: a print
    export does this while its photos are still converting in their thread."""
    gids: dict[str, set[int]] = {}
    for item in layout.items:
        if isinstance(item, GlyphRun):
            gids.setdefault(item.font, set()).update(item.glyphs)
    sources = {source.key: source for source in layout.fonts}
    for key, glyphs in gids.items():
        _cached_subset(sources[key], frozenset(glyphs))


class EmbeddedFont:
    """One face as it appears in the PDF: its resource name, codes and widths. Filled in
    by `FontPlan`; a plain class rather than a dataclass, which would cost ~1 ms to define
    on every export."""

    __slots__ = (
        "codes",
        "compressed",
        "gids",
        "resource",
        "source",
        "subset",
        "unicode_for_gid",
        "widths",
    )

    def __init__(self, source: FontSource, resource: str) -> None:
        self.source = source
        self.resource = resource
        self.gids: set[int] = set()
        self.unicode_for_gid: dict[int, str] = {}
        self.subset: EmbeddedSubset | None = None
        self.compressed: _Subset | None = None  # the subset with its Flate-compressed program
        self.widths: dict[int, int] = {}  # gid → its /W width (1/1000 em)
        self.codes: dict[int, str] = {}  # gid → "<CID>" as a hex string


class FontPlan:
    """The faces a page uses, subset and embedded once each."""

    def __init__(self, fonts: Iterable[FontSource]) -> None:
        self._sources = {source.key: source for source in fonts}
        self._fonts: dict[str, EmbeddedFont] = {}

    def collect(self, run: GlyphRun) -> None:
        font = self._fonts.get(run.font)
        if font is None:
            source = self._sources[run.font]
            font = self._fonts[run.font] = EmbeddedFont(source, f"FC{len(self._fonts) + 1}")
        font.gids.update(run.glyphs)
        counts = _glyphs_per_cluster(run)
        mapping = font.unicode_for_gid
        for gid, cluster in zip(run.glyphs, run.clusters, strict=True):
            # A glyph seen only inside multi-glyph clusters maps to nothing; the
            # runs that use it carry /ActualText (see `actual_text`).
            if counts[cluster] == 1 and not mapping.get(gid):
                mapping[gid] = run.text[cluster[0] : cluster[1]]
            else:
                mapping.setdefault(gid, "")

    def font(self, key: str) -> EmbeddedFont:
        return self._fonts[key]

    def actual_text(self, run: GlyphRun) -> bool:
        """True when ToUnicode alone would not give back this run's characters in order."""
        mapping = self._fonts[run.font].unicode_for_gid
        covered = 0
        for gid, (start, end) in zip(run.glyphs, run.clusters, strict=True):
            if start == end and mapping[gid] == "":
                continue
            if start != covered or mapping[gid] != run.text[start:end]:
                return True
            covered = end
        return covered != len(run.text)

    def embed(self, doc) -> None:
        """Subset every face and add its font objects to the document's font resources."""
        resources = doc.idToObject["BasicFonts"].dict
        for font in self._fonts.values():
            font.compressed = _cached_subset(font.source, frozenset(font.gids))
            font.subset = font.compressed.subset
            code = font.subset.cid_for_gid
            font.widths = {gid: font.subset.widths[code[gid]] for gid in font.gids}
            font.codes = {gid: f"<{code[gid]:04X}>" for gid in font.gids}
            resources[font.resource] = doc.Reference(_type0_font(doc, font))


def _glyphs_per_cluster(run: GlyphRun) -> dict[tuple[int, int], int]:
    counts: dict[tuple[int, int], int] = {}
    for cluster in run.clusters:
        counts[cluster] = counts.get(cluster, 0) + 1
    return counts


def _type0_font(doc, font: EmbeddedFont) -> PDFDictionary:
    subset = font.subset
    assert subset is not None
    name = f"/{subset.base_font}"
    is_cff = subset.outline == "cff"
    stream_dict = {"Subtype": PDFName("CIDFontType0C")} if is_cff else {"Length1": len(subset.data)}
    assert font.compressed is not None
    font_file = DeflatedStream(stream_dict, font.compressed.program)
    descriptor = PDFDictionary(
        {
            "Type": PDFName("FontDescriptor"),
            "FontName": name,
            "Flags": subset.flags,
            "FontBBox": PDFArray(list(subset.bbox)),
            "ItalicAngle": 0,
            "Ascent": subset.ascent,
            "Descent": subset.descent,
            "CapHeight": subset.cap_height,
            "StemV": 80,
            "FontFile3" if is_cff else "FontFile2": doc.Reference(font_file),
        }
    )
    cid_font = {
        "Type": PDFName("Font"),
        "Subtype": PDFName("CIDFontType0" if is_cff else "CIDFontType2"),
        "BaseFont": name,
        "CIDSystemInfo": PDFDictionary(
            {"Registry": PDFString("Adobe"), "Ordering": PDFString("Identity"), "Supplement": 0}
        ),
        "FontDescriptor": doc.Reference(descriptor),
        "DW": PDF_UNITS_PER_EM,
        "W": _width_array(font),
    }
    if not is_cff:
        cid_font["CIDToGIDMap"] = PDFName("Identity")
    return PDFDictionary(
        {
            "Type": PDFName("Font"),
            "Subtype": PDFName("Type0"),
            "BaseFont": name,
            "Encoding": PDFName("Identity-H"),
            "DescendantFonts": PDFArray([doc.Reference(PDFDictionary(cid_font))]),
            "ToUnicode": doc.Reference(_to_unicode_stream(font)),
        }
    )


def _width_array(font: EmbeddedFont) -> str:
    """`/W [c [w1 w2 …] …]`: consecutive CIDs share one bracket."""
    assert font.subset is not None
    by_cid = sorted((font.subset.cid_for_gid[gid], width) for gid, width in font.widths.items())
    parts: list[str] = []
    previous = None
    for cid, width in by_cid:
        if previous is None or cid != previous + 1:
            if parts:
                parts.append("]")
            parts.append(f"{cid} [")
        parts.append(str(width))
        previous = cid
    if parts:
        parts.append("]")
    return "[" + " ".join(parts) + "]"


def _to_unicode_stream(font: EmbeddedFont) -> PDFStream:
    assert font.subset is not None
    entries = sorted(
        (font.subset.cid_for_gid[gid], text) for gid, text in font.unicode_for_gid.items() if text
    )
    blocks = []
    for i in range(0, len(entries), _CMAP_CHUNK):
        chunk = entries[i : i + _CMAP_CHUNK]
        lines = "\n".join(
            f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for cid, text in chunk
        )
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    return PDFStream(PDFDictionary({}), cmap.encode("ascii"), [PDFStreamFilterZCompress()])


def format_number(value: float) -> str:
    """A PDF number with no more digits than needed (lu/64 values are exact in 6 decimals)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
