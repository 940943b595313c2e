"""Glyph-id subsets of a face for embedding in a PDF as a CID font (Identity-H).

What code to write in the content stream for a glyph (docs/fonts.md, "Glyph ids and CIDs"):

* CID-keyed CFF (Noto CJK, bundled or system): HarfBuzz keeps each glyph's CID in the subset's
  charset, so the code is the CID — for the bundled Noto subsets the original Noto glyph id, for a
  system TTC face its glyph id (CID == GID there). The PDF reader maps CID → glyph by the charset.
* Name-keyed CFF: a PDF reader uses the CID directly as the glyph index, so the code is the glyph's
  index in the subset.
* TrueType outlines (FontFile2): the code is the glyph's index in the subset, and the exporter
  writes /CIDToGIDMap /Identity.

`cid_for_gid` gives that code for every face glyph id passed in (and .notdef), so the exporter
never needs to know which case it is in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

import uharfbuzz as hb

from app.fonts.cff import charset_cids
from app.fonts.errors import FontError
from app.fonts.face import Face, Outline

DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "DSIG")  # PDF readers ignore them
SYMBOLIC, SERIF, ITALIC = 4, 2, 64  # PDF font descriptor flags


class EmbeddedSubset(NamedTuple):
    """A subset font program plus what the PDF font dictionaries need (metrics in 1/1000 em).
    A named tuple: imported on every export, a dataclass costs ~10x more to define."""

    data: bytes  # the subset sfnt; FontFile2 when outline == "glyf"
    outline: Outline
    cff_table: bytes | None  # bare 'CFF ' table for FontFile3 /CIDFontType0C, when outline == "cff"
    cid_for_gid: dict[int, int]  # face glyph id → code (CID) written in the content stream
    widths: dict[int, int]  # code → advance, 1/1000 em (rounded when upm ≠ 1000)
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    flags: int
    tag: str  # six capitals derived from the face and the glyph set
    postscript_name: str

    @property
    def base_font(self) -> str:
        """The /BaseFont and /FontName of a subset: TAG+PostScriptName."""
        return f"{self.tag}+{self.postscript_name}"


def subset_tag(face: Face, gids: Iterable[int]) -> str:
    """Six capitals that change with the face and the glyph set, so two subsets never share one."""
    digest = hashlib.sha256(f"{face.sha256}:{sorted(set(gids))}".encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def subset_for_embedding(face: Face, gids: Iterable[int]) -> EmbeddedSubset:
    """HarfBuzz subset of exactly these glyphs (plus .notdef): no layout closure, hints kept."""
    wanted = sorted(set(gids) | {0})
    if wanted[-1] >= face.glyph_count or wanted[0] < 0:
        raise FontError(f"{face.path}: 字形编号超出范围 (glyph id {wanted[-1]} out of range)")
    subset_input = hb.SubsetInput()
    subset_input.glyph_set.update(wanted)
    subset_input.flags = hb.SubsetFlags.NO_LAYOUT_CLOSURE | hb.SubsetFlags.NOTDEF_OUTLINE
    dropped = subset_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROPPED_TABLES:
        dropped.add(int.from_bytes(tag.encode("ascii"), "big"))
    plan = hb.SubsetPlan(face._hb_face, subset_input)
    new_gid = dict(plan.old_to_new_glyph_mapping)
    result = plan.execute()
    if result is None:
        raise FontError(f"{face.path}: 字体无法取子集 (HarfBuzz cannot subset {face.key})")
    data = bytes(result.blob.data)
    cff_table = None
    if face.outline == "cff":
        cff_table = result.reference_table("CFF ").data
        try:
            cids = charset_cids(cff_table)
        except FontError as error:
            raise FontError(f"{face.path}: {error}") from None
        cid_for_gid = {gid: cids[new_gid[gid]] if cids else new_gid[gid] for gid in wanted}
    else:
        cid_for_gid = {gid: new_gid[gid] for gid in wanted}
    scale = 1000 / face.upm
    flags = SYMBOLIC | (SERIF if face.is_serif else 0) | (ITALIC if face.italic else 0)
    return EmbeddedSubset(
        data=data,
        outline=face.outline,
        cff_table=cff_table,
        cid_for_gid=cid_for_gid,
        widths={cid_for_gid[gid]: round(face.advance(gid) * scale) for gid in wanted},
        bbox=tuple(round(v * scale) for v in face.bbox),  # type: ignore[arg-type]
        ascent=round(face.ascender * scale),
        descent=round(face.descender * scale),
        cap_height=round(face.cap_height * scale),
        flags=flags,
        tag=subset_tag(face, wanted),
        postscript_name=face.postscript_name,
    )
