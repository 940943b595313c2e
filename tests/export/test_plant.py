"""What a printing plant's prepress checks beyond the structure (issue 16): the same page gives
the same bytes, overprint only where meant (Ghostscript separations), photos undistorted and
within the ink limit as embedded, marks clear of the trim, placeholders never on a plate."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from pages import sample_layout
from PIL import Image as PILImage
from readback import ghostscript_messages, run_tool
from samples import ROOT, sample_copy

from app.commands.export import compose_document
from app.compose.layout import (
    BLACK,
    BlockFrame,
    Box,
    Color,
    GlyphRun,
    Image,
    PageLayout,
    Rect,
    from_pt,
    to_pt,
)
from app.errors import PasteupError
from app.export.colors import BUNDLED_PROFILE
from app.export.marks import GAP
from app.export.photos import profile_ink
from app.export.preflight import preflight
from app.export.print_pdf import PrintOptions, export_print_pdf
from app.model import read_document, save_document
from app.publish import print_options


def pasteup(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, check=False, env=env,
    )  # fmt: skip


def xmp_ids(pdf: bytes) -> tuple[str, str]:
    found = re.search(rb"<xmpMM:DocumentID>(.*?)</.*?<xmpMM:InstanceID>(.*?)</", pdf, re.S)
    assert found
    return found.group(1).decode(), found.group(2).decode()


def trailer_ids(path: Path) -> tuple[bytes, bytes]:
    with pikepdf.open(path) as pdf:
        first, second = pdf.trailer.ID
        return bytes(first), bytes(second)


# -- 6: the same page, the same bytes ------------------------------------------------------------
def test_two_exports_are_byte_identical_and_a_changed_character_changes_them(tmp_path):
    page = sample_copy(tmp_path / "page")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    outputs = [tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"]
    for output in outputs[:2]:  # two processes, a second or more apart
        result = pasteup("export", page, "-o", output, "--marks", env=env)
        assert result.returncode == 0, result.stderr
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    with pikepdf.open(outputs[0]) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20260109000000")  # the page's date

    document = read_document(page)
    story = document.stories["zhengwu"]
    at = story.stream.index("李文兵")
    document.replace_text("zhengwu", at, at + 1, "季")
    save_document(document)
    assert pasteup("export", page, "-o", outputs[2], "--marks", env=env).returncode == 0
    before, after = outputs[0].read_bytes(), outputs[2].read_bytes()
    assert before != after
    assert xmp_ids(before)[0] == xmp_ids(after)[0]  # the same page: the same DocumentID
    assert xmp_ids(before)[1] != xmp_ids(after)[1]  # another version: another InstanceID
    assert trailer_ids(outputs[0])[0] == trailer_ids(outputs[2])[0]
    assert trailer_ids(outputs[0])[1] != trailer_ids(outputs[2])[1]
    assert xmp_ids(before)[1].replace("-", "")[5:] == trailer_ids(outputs[0])[1].hex()


def test_source_date_epoch_dates_the_file(tmp_path, monkeypatch):
    document = read_document(sample_copy(tmp_path / "page"))
    layout = compose_document(document)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = export_print_pdf(layout, print_options(document))
    assert export_print_pdf(layout, print_options(document)) == first
    path = tmp_path / "dated.pdf"
    path.write_bytes(first)
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20231114221320")
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            assert xmp["xmp:CreateDate"].startswith("2023-11-14T22:13:20")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(PasteupError, match="SOURCE_DATE_EPOCH"):
        print_options(document)


# -- 3: fill and stroke overprint separately -----------------------------------------------------
def separations(pdf: Path, folder: Path, dpi: int = 72) -> dict[str, np.ndarray]:
    """Ghostscript's tiffsep plates as ink coverage 0..1, one array per process colour."""
    out = folder / "sep.tif"
    result = run_tool(
        "gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep",
        f"-r{dpi}", f"-sOutputFile={out}", str(pdf),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plates = {}
    for ink in ("Cyan", "Magenta", "Yellow", "Black"):
        plate = np.asarray(PILImage.open(folder / f"sep({ink}).tif").convert("L"), dtype=float)
        plates[ink] = 1 - plate / 255  # tiffsep plates are white where there is no ink
    return plates


def test_a_stroked_tint_box_over_a_photo_keeps_its_tint(tmp_path, photo):
    """A 0/40/0/0 box with a black (overprinting) frame over a photo: the frame overprints,
    the tint knocks out the photo under it."""
    frame = Rect(from_pt(20), from_pt(20), from_pt(200), from_pt(150))
    box = Rect(from_pt(60), from_pt(50), from_pt(120), from_pt(90))
    items = (
        Image(str(photo), frame, (0.0, 0.0, 320.0, 240.0), (320, 240), block="photo"),
        Box(box, Color(m=0.4, k=0.0), Color(k=1.0, overprint=True), from_pt(2), block="tint"),
    )
    layout = PageLayout(from_pt(240), from_pt(200), 0, items, (), (), ())
    pdf = tmp_path / "box.pdf"
    pdf.write_bytes(export_print_pdf(layout, PrintOptions()))
    plates = separations(pdf, tmp_path)
    inside = (slice(round(to_pt(box.y)) + 6, round(to_pt(box.bottom)) - 6),
              slice(round(to_pt(box.x)) + 6, round(to_pt(box.right)) - 6))  # fmt: skip
    assert np.allclose(plates["Magenta"][inside], 0.4, atol=0.02)
    for ink in ("Cyan", "Yellow", "Black"):
        assert plates[ink][inside].max() < 0.02, ink
    photo_only = (slice(round(to_pt(frame.y)) + 4, round(to_pt(box.y)) - 4), slice(30, 200))
    assert plates["Cyan"][photo_only].max() > 0.3  # the photo is there around the box
    edge = round(to_pt(box.x))  # the frame line: black over the photo, which shows through
    column = plates["Black"][round(to_pt(box.y)) + 10 : round(to_pt(box.bottom)) - 10, edge]
    assert column.min() > 0.9


# -- 4: photos proportional ----------------------------------------------------------------------
def placed_images(path: Path) -> list[tuple[float, float]]:
    """(ppi across, ppi down) of every image drawn on page 1, from its pixel size and the
    `cm` that places it."""
    found = []
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        xobjects = page.Resources.get("/XObject", {})
        matrix = None
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "cm":
                matrix = [float(v) for v in operands]
            if str(operator) == "Do" and xobjects[str(operands[0])].Subtype == "/Image":
                image = xobjects[str(operands[0])]
                a, _, _, d, _, _ = matrix
                found.append((int(image.Width) / (a / 72), int(image.Height) / (abs(d) / 72)))
    return found


@pytest.mark.parametrize("fit", ["fill", "crop", "fit"])
def test_every_placed_photo_has_equal_ppi_on_both_axes(tmp_path, fit):
    page = sample_copy(tmp_path / "page")
    data = json.loads(page.read_text(encoding="utf-8"))
    photo = next(b for b in data["blocks"] if b["type"] == "photo")
    photo["fit"] = fit
    photo["crop"] = [0.1, 0.0, 0.75, 0.9]  # proportions unlike the frame's
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    output = tmp_path / "print.pdf"
    assert pasteup("export", page, "-o", output, "--force").returncode == 0
    placed = placed_images(output)
    assert placed
    for across, down in placed:
        assert across == pytest.approx(down, rel=1e-6)
    findings = preflight(compose_document(read_document(page)))
    assert not [f for f in findings if f.code == "image-distorted"]


def test_only_an_explicit_stretch_distorts_and_preflight_says_so(tmp_path):
    page = sample_copy(tmp_path / "page")
    data = json.loads(page.read_text(encoding="utf-8"))
    photo = next(b for b in data["blocks"] if b["type"] == "photo")
    photo.update(fit="stretch", crop=[0.0, 0.0, 0.5, 1.0])
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    layout = compose_document(read_document(page))
    (warning,) = [f for f in preflight(layout) if f.code == "image-distorted"]
    assert warning.arg("ppi_x") != warning.arg("ppi_y")
    assert read_document(page).block("photo").fit == "stretch"


def test_fit_shows_all_of_the_crop_centred_in_the_frame(tmp_path):
    page = sample_copy(tmp_path / "page")
    document = read_document(page)
    frame = compose_document(document)
    (filled,) = [i for i in frame.items if isinstance(i, Image)]
    document.update_block("photo", fit="fit", crop=(0.0, 0.0, 0.5, 1.0))  # a tall half
    (fitted,) = [i for i in compose_document(document).items if isinstance(i, Image)]
    w, h = fitted.pixel_size
    assert fitted.crop == pytest.approx((0.0, 0.0, 0.5 * w, h))  # nothing of it trimmed
    assert fitted.rect.h == filled.rect.h and fitted.rect.w < filled.rect.w
    left_gap = fitted.rect.x - filled.rect.x
    assert abs(left_gap - (filled.rect.right - fitted.rect.right)) <= 1  # centred


# -- 2: ink, as embedded --------------------------------------------------------------------------
def embedded_ink(path: Path) -> list[float]:
    """Highest C+M+Y+K of each embedded CMYK image as a reader decodes it, in percent."""
    result = []
    with pikepdf.open(path) as pdf:
        for image in pdf.pages[0].Resources.XObject.values():
            if image.Subtype == "/Image" and image.ColorSpace == "/DeviceCMYK":
                pixels = np.asarray(pikepdf.PdfImage(image).as_pil_image(), dtype=np.int32)
                result.append(pixels.sum(axis=2).max() * 100 / 255)
    return result


@pytest.mark.parametrize("limit", [240.0, 200.0])
def test_embedded_photo_ink_is_within_the_limit(tmp_path, photo, limit):
    """The test photo's black and saturated patches convert to ~236 %; JPEG coding used to
    push them to 250 %. Read back from the PDF, no pixel is over the limit."""
    pdf = tmp_path / "ink.pdf"
    pdf.write_bytes(export_print_pdf(sample_layout(image=photo), PrintOptions(ink_limit=limit)))
    (highest,) = embedded_ink(pdf)
    assert highest <= min(limit, profile_ink(BUNDLED_PROFILE))
    assert highest > min(limit, profile_ink(BUNDLED_PROFILE)) - 15  # limited, not flattened


def test_the_sample_photo_as_embedded_is_within_the_layouts_limit(tmp_path):
    page = sample_copy(tmp_path / "page")
    output = tmp_path / "print.pdf"
    assert pasteup("export", page, "-o", output).returncode == 0
    assert max(embedded_ink(output)) <= read_document(page).layout.max_ink
    assert max(embedded_ink(output)) <= profile_ink(BUNDLED_PROFILE)


# -- 5: marks clear of trim and offset ---------------------------------------------------------
def stroked_paths(path: Path) -> list[tuple[tuple[float, ...], list[tuple[float, float]]]]:
    """Every stroked path on page 1 with the stroke colour it was drawn in."""
    paths = []
    with pikepdf.open(path) as pdf:
        colour: tuple[float, ...] = ()
        stack = []
        points: list[tuple[float, float]] = []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(operator)
            values = [float(v) for v in operands if isinstance(v, int | float | Decimal)]
            if op == "q":
                stack.append(colour)
            elif op == "Q":
                colour = stack.pop()
            elif op == "K":
                colour = tuple(values)
            elif op in ("m", "l"):
                points.append((values[0], values[1]))
            elif op == "c":
                points += [(values[i], values[i + 1]) for i in (0, 2, 4)]
            elif op == "re":
                x, y, w, h = values
                points += [(x, y), (x + w, y + h)]
            elif op in ("S", "s", "B", "b", "f", "F", "n", "f*", "B*", "b*", "W"):
                if op in ("S", "s", "B", "b", "B*", "b*"):
                    paths.append((colour, points))
                if op != "W":
                    points = []
    return paths


@pytest.mark.parametrize("bleed_mm", [0, 3])
def test_every_mark_lies_beyond_trim_bleed_and_offset(tmp_path, bleed_mm):
    layout = sample_layout(bleed=from_pt(72 / 25.4 * bleed_mm))
    pdf = tmp_path / "marks.pdf"
    pdf.write_bytes(export_print_pdf(layout, PrintOptions(marks=True)))
    with pikepdf.open(pdf) as document:
        trim = [float(v) for v in document.pages[0].TrimBox]
    reach = to_pt(layout.bleed + GAP) - 1e-3  # coordinates are written to 4 decimals
    keep_out = (trim[0] - reach, trim[1] - reach, trim[2] + reach, trim[3] + reach)
    marks = [points for colour, points in stroked_paths(pdf) if colour == (1, 1, 1, 1)]
    assert len(marks) == 8 + 8 + 4  # crop marks, crosshairs, target circles
    for points in marks:
        xs, ys = [x for x, _ in points], [y for _, y in points]
        clear = (
            max(xs) <= keep_out[0]
            or min(xs) >= keep_out[2]
            or max(ys) <= keep_out[1]
            or min(ys) >= keep_out[3]
        )
        assert clear, points
    with pikepdf.open(pdf) as document:
        media = [float(v) for v in document.pages[0].MediaBox]
    for points in marks:  # and all of them on the sheet
        assert all(media[0] <= x <= media[2] and media[1] <= y <= media[3] for x, y in points)


# -- 1: placeholders ------------------------------------------------------------------------------
def test_the_writer_refuses_a_placeholder_and_marks_it_when_asked(tmp_path, photo):
    layout = sample_layout(image=photo)
    items = tuple(
        item._replace(placeholder=True) if isinstance(item, Image) else item
        for item in layout.items
    )
    layout = layout._replace(items=items)
    with pytest.raises(PasteupError, match="placeholder"):
        export_print_pdf(layout, PrintOptions())
    assert ("image-placeholder", "error") in {(f.code, f.severity) for f in preflight(layout)}
    marked = tmp_path / "marked.pdf"
    marked.write_bytes(export_print_pdf(layout, PrintOptions(mark_placeholders=True)))
    assert "占位图 FPO" in run_tool("pdftotext", str(marked), "-").stdout
    assert ghostscript_messages(marked) == ""


# -- 7: the small ones ----------------------------------------------------------------------------
def test_info_author_and_subject_are_mirrored_in_xmp(tmp_path):
    document = read_document(sample_copy(tmp_path / "page"))
    path = tmp_path / "print.pdf"
    path.write_bytes(export_print_pdf(compose_document(document), print_options(document)))
    with pikepdf.open(path) as pdf:
        info = pdf.docinfo
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            assert xmp["dc:creator"] == [str(info.Author)] == ["晋中日报"]
            assert xmp["dc:description"] == str(info.Subject)
            assert "2026年1月9日" in str(info.Subject)


def test_a_printers_profile_is_a_custom_condition_without_a_registry(tmp_path):
    profile = tmp_path / "printer.icc"
    profile.write_bytes(BUNDLED_PROFILE.read_bytes())
    path = tmp_path / "print.pdf"
    path.write_bytes(export_print_pdf(sample_layout(), PrintOptions(profile=profile)))
    with pikepdf.open(path) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert str(intent.OutputConditionIdentifier) == "Custom"
        assert "/RegistryName" not in intent
    bundled = tmp_path / "bundled.pdf"
    bundled.write_bytes(export_print_pdf(sample_layout(), PrintOptions()))
    with pikepdf.open(bundled) as pdf:
        assert str(pdf.Root.OutputIntents[0].RegistryName) == "http://www.color.org"


def test_the_sample_page_raises_no_small_multicolour_text_warning():
    layout = compose_document(read_document(ROOT / "assets/samples/news-page/page.json"))
    assert not [f for f in preflight(layout) if f.code.startswith("text-too-small")]


def test_the_credits_line_prints_under_the_type_area(tmp_path):
    page = sample_copy(tmp_path / "page")
    document = read_document(page)
    layout = compose_document(document)
    (credits,) = [line for line in layout.lines if line.block == "credits"]
    assert credits.text == "责任编辑：示例　美编：示例　校对：示例"
    grid = document.layout.grid
    assert credits.top > from_pt(grid.margin_top + grid.area_height)
    assert credits.bottom < layout.height
    frame = next(b for b in layout.blocks if b.block == "credits")
    assert isinstance(frame, BlockFrame)
    data = json.loads(page.read_text(encoding="utf-8"))
    data["meta"]["editors"] = {}
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert not [line for line in compose_document(read_document(page)).lines
                if line.block == "credits"]  # fmt: skip


def test_proof_text_in_solid_black_is_black_on_screen(tmp_path):
    from app.export.proof_pdf import ProofOptions, export_proof_pdf

    options = ProofOptions(page="p", heading="测试", proof_round=1, document_hash="0" * 16)
    path = tmp_path / "proof.pdf"
    path.write_bytes(export_proof_pdf(sample_layout(), options))
    fills = []
    with pikepdf.open(path) as pdf:
        fill = None
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            if str(operator) == "rg":
                fill = tuple(float(v) for v in operands)
            if str(operator) == "TJ":
                fills.append(fill)
    black_runs = sum(
        1 for item in sample_layout().items if isinstance(item, GlyphRun) and item.color == BLACK
    )
    assert fills.count((0.0, 0.0, 0.0)) >= black_runs > 0  # not newsprint grey (119, 113, 109)
