"""Proofs that another program re-saved still import exactly: incremental updates, object
streams, rotated pages, a moved MediaBox/CropBox, Ghostscript's re-write."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from proofpdf import annotation, build_proof, find_quads, rect_of
from test_pinning import annotated, caret, markup, strikeout

from app.proof.importer import import_proof

NEEDLE = "组织部部长"


def pins(report):
    return sorted((c.action, c.story, c.start, c.end, c.text) for c in report.corrections)


def expected(document):
    zhengwu, xiyun = document.stories["zhengwu"].stream, document.stories["xiyun"].stream
    at = zhengwu.index(NEEDLE)
    return sorted([("delete", "zhengwu", at, at + 5, NEEDLE),
                   ("insert", "xiyun", xiyun.index("累计举办"), xiyun.index("累计举办"), "")])  # fmt: skip


def test_incremental_update_over_object_streams(document, proof_pdf, tmp_path: Path):
    """qpdf packs the proof into object streams; then a viewer appends its marks incrementally."""
    packed = tmp_path / "packed.pdf"
    (tmp_path / "proof.pdf").write_bytes(annotated(proof_pdf, strikeout(NEEDLE)))
    subprocess.run(["qpdf", "--object-streams=generate", str(tmp_path / "proof.pdf"), str(packed)],
                   check=True)  # fmt: skip
    original = packed.read_bytes()
    assert b"/ObjStm" in original
    with pymupdf.open(packed) as doc:
        page = doc[0]
        hit = page.search_for("累计举办")[0]
        mark = page.add_caret_annot(pymupdf.Point(hit.x0 - 9, (hit.y0 + hit.y1) / 2))
        mark.set_info(content="已", title="王校对")
        mark.update()
        doc.saveIncr()
    updated = packed.read_bytes()
    assert updated.startswith(original) and updated.count(b"%%EOF") > original.count(b"%%EOF")
    report = import_proof(document, updated, "incremental.pdf")
    assert pins(report) == expected(document)


def test_hand_written_incremental_section(document, proof_pdf):
    """An update section written byte by byte: a new annotation, a new version of the page's
    /Annots array, an xref section and a trailer pointing back with /Prev."""
    base = annotated(proof_pdf, strikeout(NEEDLE))
    with pikepdf.open(io.BytesIO(base)) as doc:
        annots = doc.pages[0].obj.Annots
        assert annots.is_indirect
        array_number = annots.objgen[0]
        refs = [f"{a.objgen[0]} {a.objgen[1]} R" for a in annots]
        size, root = int(doc.trailer.Size), doc.trailer.Root.objgen[0]
    x, y = find_quads(base, "累计举办")[0][4:6]
    start_xref = int(base.rsplit(b"startxref", 1)[1].split()[0])
    bodies = {
        size: f"<< /Type /Annot /Subtype /Caret /Rect [{x - 3:.2f} {y - 2:.2f} {x + 3:.2f} "
        f"{y + 4:.2f}] /Contents <FEFF5DF2> /T (Wang) /NM (hand-1) /F 4 >>",
        array_number: "[ " + " ".join([*refs, f"{size} 0 R"]) + " ]",
    }
    out = bytearray(base)
    offsets = {}
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref_at = len(out)
    out += b"xref\n"
    for number in sorted(offsets):
        out += f"{number} 1\n{offsets[number]:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {size + 1} /Root {root} 0 R /Prev {start_xref} >>\n"
            f"startxref\n{xref_at}\n%%EOF\n").encode()  # fmt: skip
    assert bytes(out).startswith(base)
    report = import_proof(document, bytes(out), "by-hand.pdf")
    assert pins(report) == expected(document)
    inserted = next(c for c in report.corrections if c.action == "insert")
    assert inserted.replacement == "已" and inserted.author == "Wang"


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_page_marked_in_a_viewer(document, proof_pdf, rotation):
    """MuPDF marks a page the user rotated: quads come out in the rotated corner order."""
    with pymupdf.open(stream=proof_pdf, filetype="pdf") as doc:
        page = doc[0]
        page.set_rotation(rotation)
        page.add_strikeout_annot(page.search_for(NEEDLE, quads=True))
        page.add_highlight_annot(page.search_for("晋剧名家", quads=True))
        pdf = doc.tobytes()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert int(doc.pages[0].obj.Rotate) == rotation
    report = import_proof(document, pdf, "rotated.pdf")
    zhengwu, xiyun = document.stories["zhengwu"].stream, document.stories["xiyun"].stream
    assert pins(report) == sorted([
        ("comment", "xiyun", xiyun.index("晋剧名家"), xiyun.index("晋剧名家") + 4, "晋剧名家"),
        ("delete", "zhengwu", zhengwu.index(NEEDLE), zhengwu.index(NEEDLE) + 5, NEEDLE),
    ])  # fmt: skip


def test_rotated_page_with_quads_in_both_corner_orders(document, proof_pdf):
    """On a page rotated by 90°, a viewer's "upper left" is another corner of the glyph box."""
    quads = find_quads(proof_pdf, NEEDLE)

    def rotated_quads(doc, pdf):
        doc.pages[0].obj.Rotate = 90
        for q in quads:
            ulx, uly, urx, ury, llx, lly, lrx, lry = q
            turned = [llx, lly, ulx, uly, lrx, lry, urx, ury]  # UL,UR,LL,LR as seen rotated
            annotation(doc, "StrikeOut", rect_of([q]), QuadPoints=turned, NM="turned")

    report = import_proof(document, annotated(proof_pdf, rotated_quads), "turned.pdf")
    at = document.stories["zhengwu"].stream.index(NEEDLE)
    assert pins(report) == [("delete", "zhengwu", at, at + 5, NEEDLE)]


def test_media_box_not_at_origin_and_crop_box_moved(document, layout):
    proof = build_proof(document, layout, origin=(-40.0, 25.0))

    def crop(doc, pdf):
        doc.pages[0].obj.CropBox = pikepdf.Array([-20, 40, 380, 640])

    pdf = annotated(proof, strikeout(NEEDLE), caret("累计举办", 0, "已"), crop)
    assert pins(import_proof(document, pdf, "offset.pdf")) == expected(document)


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript not installed")
def test_ghostscript_rewrite_moves_the_page_to_the_origin(document, layout, tmp_path: Path):
    """pdfwrite normalises the MediaBox to 0,0 and translates everything, marks included.
    (It drops Caret annotations without an appearance stream, so none is used here.)"""
    proof = build_proof(document, layout, origin=(-40.0, 25.0))
    marked = tmp_path / "marked.pdf"
    marked.write_bytes(annotated(proof, strikeout(NEEDLE), markup("Highlight", "累计举办")))
    rewritten = tmp_path / "gs.pdf"
    subprocess.run(["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite",
                    "-dPreserveAnnots=true", f"-sOutputFile={rewritten}", str(marked)],
                   check=True)  # fmt: skip
    with pikepdf.open(rewritten) as doc:
        assert [float(v) for v in doc.pages[0].obj.MediaBox][:2] == [0.0, 0.0]
    xiyun = document.stories["xiyun"].stream
    at = xiyun.index("累计举办")
    assert pins(import_proof(document, rewritten.read_bytes(), "gs.pdf")) == sorted(
        [expected(document)[0], ("comment", "xiyun", at, at + 4, "累计举办")]
    )


def test_annotation_without_quadpoints_uses_its_rect(document, proof_pdf):
    def bare(doc, pdf):
        annotation(doc, "Highlight", rect_of(find_quads(pdf, "晋剧名家"), pad=0.5))

    report = import_proof(document, annotated(proof_pdf, bare), "bare.pdf")
    xiyun = document.stories["xiyun"].stream
    assert pins(report) == [("comment", "xiyun", xiyun.index("晋剧名家"),
                             xiyun.index("晋剧名家") + 4, "晋剧名家")]  # fmt: skip
