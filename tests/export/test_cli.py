"""`pasteup export` and `pasteup preflight` end to end on a copy of the sample page.

Each command runs in a fresh interpreter (`python -m app.cli`), exactly as a user runs it;
the PDFs are read back with qpdf, poppler, Ghostscript and pikepdf.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from readback import (
    colour_report,
    ghostscript_messages,
    pdffonts,
    pdftotext,
    placed_glyphs,
    qpdf_check,
    squeeze,
)
from samples import SAMPLE, sample_copy

from app.commands.export import compose_document
from app.compose.layout import GlyphRun, to_pt
from app.compose.textmap import TEXTMAP_FILENAME, load_textmap
from app.model import read_document, save_document

ROOT = SAMPLE.parents[2]


def pasteup(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip


@pytest.fixture
def page(tmp_path) -> Path:
    return sample_copy(tmp_path / "page")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "page"
    sample_copy(folder)
    output = folder.parent / "print.pdf"
    # --force: this test is about the PDF; preflight's verdict on the sample is tested below
    result = pasteup("export", folder / "page.json", "-o", output, "--marks", "--force")
    assert result.returncode == 0, result.stderr
    return folder / "page.json", output, compose_document(read_document(folder / "page.json"))


def test_print_export_reads_back_clean(printed):
    _, pdf, _ = printed
    qpdf_check(pdf)
    assert ghostscript_messages(pdf) == ""
    fonts = pdffonts(pdf)
    assert fonts and all(f["emb"] == f["sub"] == f["uni"] == "yes" for f in fonts)
    assert all(f["type"] in ("CID Type 0C", "CID TrueType") for f in fonts)
    report = colour_report(pdf)
    assert not report["operators"] & {"rg", "RG", "g", "G", "sc", "scn", "SC", "SCN"}
    assert report["images"] <= {"/DeviceCMYK"}


def test_each_story_extracts_in_order(printed):
    _, pdf, layout = printed
    text = squeeze(pdftotext(pdf))
    stories: dict[str, str] = {}
    for run in layout.items:
        if isinstance(run, GlyphRun) and run.story:
            stories[run.story] = stories.get(run.story, "") + run.text
    assert len(stories) >= 5
    for story, drawn in stories.items():
        assert squeeze(drawn) in text, story


def test_glyph_positions_match_the_composed_page(printed):
    _, pdf, layout = printed
    runs = [item for item in layout.items if isinstance(item, GlyphRun) and item.glyphs]
    shows = placed_glyphs(pdf)
    with pikepdf.open(pdf) as document:
        trim = [float(v) for v in document.pages[0].TrimBox]
    story_shows = shows[: len(runs)]  # the slug line comes after the page
    assert len(shows) == len(runs) + 1
    for run, glyphs in zip(runs, story_shows, strict=True):
        assert glyphs[0].size == to_pt(run.size)
        for glyph, x in zip(glyphs, run.page_xs, strict=True):
            assert abs((glyph.x - trim[0]) * 64 - x) < 0.05
            assert abs((trim[3] - glyph.y) * 64 - run.y) < 0.05


def test_page_boxes_and_pdfx(printed):
    _, pdf, layout = printed
    with pikepdf.open(pdf) as document:
        p = document.pages[0]
        trim = [float(v) for v in p.TrimBox]
        bleed = [float(v) for v in p.BleedBox]
        media = [float(v) for v in p.MediaBox]
        assert str(document.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert "晋中日报" in str(document.docinfo.Title)
    assert trim[2] - trim[0] == pytest.approx(to_pt(layout.width))
    assert trim[3] - trim[1] == pytest.approx(to_pt(layout.height))
    assert bleed[0] == pytest.approx(trim[0] - to_pt(layout.bleed))
    assert media[0] == 0 and media[2] > bleed[2]  # marks outside the bleed
    assert "晋中日报" in pdftotext(pdf).splitlines()[-1] + pdftotext(pdf)


def test_preflight_command(page):
    result = pasteup("preflight", page, "--json")
    findings = json.loads(result.stdout)
    errors = [f for f in findings if f["severity"] == "error"]
    assert result.returncode == (1 if errors else 0)
    assert all(f["message_zh"] and f["message_en"] for f in findings)
    text = pasteup("preflight", page, "--lang", "en")
    assert text.returncode == result.returncode


def test_proof_export_records_rounds(page, tmp_path):
    first = tmp_path / "proof1.pdf"
    result = pasteup("export", page, "--proof", "-o", first, "--watermark", "校样")
    assert result.returncode == 0, result.stderr
    qpdf_check(first)
    assert ghostscript_messages(first) == ""
    assert not colour_report(first)["operators"] & {"k", "K"}
    assert [r.number for r in read_document(page).proof.rounds] == [1]
    with pikepdf.open(first) as pdf:
        textmap = load_textmap(pdf.attachments[TEXTMAP_FILENAME].get_file().read_bytes(), "p")
    assert textmap.proof_round == 1 and textmap.lines
    assert "一校" in pdftotext(first).splitlines()[0]

    document = read_document(page)  # an edit makes a new version: the next proof is round 2
    story = next(iter(document.stories))
    document.replace_text(story, 0, 0, "新")
    save_document(document)
    second = tmp_path / "proof2.pdf"
    assert pasteup("export", page, "--proof", "-o", second).returncode == 0
    assert [r.number for r in read_document(page).proof.rounds] == [1, 2]
    assert "二校" in pdftotext(second).splitlines()[0]


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_bad_input_is_one_line_and_exit_2(page, tmp_path):
    missing = pasteup("export", tmp_path / "nope.json", "-o", tmp_path / "a.pdf")
    assert missing.returncode == 2 and "nope.json" in one_line(missing)

    unwritable = pasteup("export", page, "-o", tmp_path / "no" / "dir" / "a.pdf", "--force")
    assert unwritable.returncode == 2 and "a.pdf" in one_line(unwritable)

    photo = page.parent / "photo-placeholder.jpg"
    photo.write_bytes(photo.read_bytes()[:500])
    corrupt = pasteup("export", page, "-o", tmp_path / "a.pdf", "--force")
    assert corrupt.returncode == 2 and "photo-placeholder.jpg" in one_line(corrupt)
    photo.unlink()
    gone = pasteup("export", page, "-o", tmp_path / "a.pdf", "--force")
    assert gone.returncode == 2 and "photo-placeholder.jpg" in one_line(gone)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*tmp"))


def test_a_placeholder_photo_never_prints(tmp_path):
    page = sample_copy(tmp_path / "page", real_photo=False)
    output = tmp_path / "print.pdf"
    refused = pasteup("export", page, "-o", output, "--force")
    assert refused.returncode == 2 and not output.exists()
    assert "占位图" in one_line(refused) and "[photo]" in one_line(refused)
    findings = json.loads(pasteup("preflight", page, "--json").stdout)
    assert ("image-placeholder", "error") in {(f["code"], f["severity"]) for f in findings}
    proof = tmp_path / "proof.pdf"
    assert pasteup("export", page, "--proof", "-o", proof).returncode == 0
    assert "占位图 FPO" in pdftotext(proof)


def test_an_rgb_profile_is_refused_as_not_a_print_intent(page, tmp_path):
    rgb = Path("/usr/share/color/icc/sRGB.icc")
    if not rgb.exists():
        rgb = next(Path("/usr/share/color/icc").rglob("sRGB*.ic*"))
    for command in (("export", page, "-o", tmp_path / "a.pdf"), ("preflight", page)):
        result = pasteup(*command, "--profile", rgb)
        line = one_line(result)
        assert result.returncode == 2 and str(rgb) in line and "not a print intent" in line
        assert "photo" not in line and "图片" not in line


def test_print_export_refuses_over_preflight_errors_unless_forced(page, tmp_path):
    data = json.loads(page.read_text(encoding="utf-8"))
    rule = next(b for b in data["blocks"] if b["type"] == "rule")
    rule["weight"] = 0.1
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    output = tmp_path / "print.pdf"
    refused = pasteup("export", page, "-o", output)
    assert refused.returncode == 1 and not output.exists()
    assert "rule-lead" in refused.stderr or "rule-mid" in refused.stderr
    forced = pasteup("export", page, "-o", output, "--force")
    assert forced.returncode == 0 and output.exists()
