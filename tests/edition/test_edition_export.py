"""Delivery to the plant: one PDF/X per page, a manifest, and nothing rewritten that did not change."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from editionkit import run

from app.model.editionfile import read_edition, save_story

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))
from readback import pdftotext, qpdf_check, squeeze


def ghostscript_ok(path: Path) -> None:
    result = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dPDFSTOPONERROR", "-sDEVICE=nullpage", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def manifest(folder: Path) -> dict[str, dict]:
    data = json.loads((folder / "manifest.json").read_text("utf-8"))
    return {entry["page"]: entry for entry in data["pages"]}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pdf")}


def edit_story(folder: Path, story_id: str, where: int) -> None:
    """A one-character edit, saved the way the editor saves a story of an edition."""
    edition = read_edition(folder)
    story = edition.stories[story_id]
    edition.stories[story_id] = story.replace_text(where, where + 1, "甲")
    save_story(edition, story_id)


def test_export_writes_one_checked_pdf_per_page_and_a_manifest(capsys, edition_dir, tmp_path):
    out = tmp_path / "plant"
    code, _stdout, err = run(capsys, "edition", "export", edition_dir, "-o", out, "--jobs", "2")
    assert code == 0, err
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert pdfs == [f"20260109-0{n}.pdf" for n in range(1, 5)]
    pages = manifest(out)
    for _number, entry in pages.items():
        path = out / entry["file"]
        data = path.read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["pdfx"] == "PDF/X-4" and entry["state"] == "written"
        assert entry["preflight"]["errors"] == 0
        qpdf_check(path)
        ghostscript_ok(path)
    assert pages["2"]["color"] is False and pages["1"]["color"] is True
    text = (out / "manifest.txt").read_text("utf-8")
    assert pages["3"]["sha256"] in text and "黑白" in text
    page3 = squeeze(pdftotext(out / "20260109-03.pdf"))
    assert "（上接第1版）" in page3 and "（下转第4版）" in page3


def test_reexport_rewrites_only_the_pages_an_edit_touches(capsys, edition_dir, tmp_path):
    out = tmp_path / "plant"
    assert run(capsys, "edition", "export", edition_dir, "-o", out)[0] == 0
    before = mtimes(out)
    assert run(capsys, "edition", "export", edition_dir, "-o", out)[0] == 0
    assert mtimes(out) == before
    assert {e["state"] for e in manifest(out).values()} == {"unchanged"}

    edit_story(edition_dir, "lead", 60)  # the lead story is set on page 1 only
    assert run(capsys, "edition", "export", edition_dir, "-o", out)[0] == 0
    states = {n: e["state"] for n, e in manifest(out).items()}
    assert states == {"1": "written", "2": "unchanged", "3": "unchanged", "4": "unchanged"}
    after = mtimes(out)
    assert [n for n in after if after[n] != before[n]] == ["20260109-01.pdf"]

    edit_story(edition_dir, "renda", 200)  # renda jumps 1 → 3 → 4: its hand-offs move
    assert run(capsys, "edition", "export", edition_dir, "-o", out)[0] == 0
    states = {n: e["state"] for n, e in manifest(out).items()}
    assert states["2"] == "unchanged"
    assert states["1"] == "written"


def test_chosen_pages_and_refusal_on_preflight_errors(capsys, edition_dir, tmp_path):
    out = tmp_path / "plant"
    page = json.loads((edition_dir / "p4.json").read_text("utf-8"))
    page["blocks"][1]["frames"][0]["depth"] = 2  # the last part no longer fits: overset
    (edition_dir / "p4.json").write_text(json.dumps(page, ensure_ascii=False), "utf-8")
    code, _, err = run(capsys, "edition", "export", edition_dir, "-o", out, "--pages", "3,4")
    assert code == 1 and "文字溢出" in err
    assert manifest(out)["4"]["state"] == "refused"
    assert sorted(p.name for p in out.glob("*.pdf")) == ["20260109-03.pdf"]
    code, _stdout, err = run(capsys, "edition", "export", edition_dir, "-o", out, "--pages", "4",
                            "--force")  # fmt: skip
    assert code == 0, err
    assert manifest(out)["3"]["state"] == "written" and manifest(out)["4"]["state"] == "written"


def test_proofs_carry_their_page_and_start_rounds(capsys, edition_dir, tmp_path):
    out = tmp_path / "proofs"
    code, stdout, err = run(capsys, "edition", "export", edition_dir, "-o", out, "--proof")
    assert code == 0, err
    pages = manifest(out)
    assert {e["proof_round"] for e in pages.values()} == {1}
    edition = read_edition(edition_dir)
    assert all(len(p.document.proof.rounds) == 1 for p in edition.pages)
    code, stdout, err = run(capsys, "edition", "move", edition_dir, "3", "--to", "2")
    assert code == 0, err  # the page's number changes; its identity does not
    code, stdout, err = run(capsys, "edition", "route", edition_dir, out / pages["3"]["file"])
    assert code == 0, err
    assert stdout.strip() == str(edition_dir / "p3.json")
    code, stdout, err = run(capsys, "proof", "import", edition_dir / "p3.json",
                            out / pages["3"]["file"])  # fmt: skip
    assert code == 0, err


def test_placeholder_pages_are_refused_even_forced_and_the_rest_delivered(
    capsys, sample_edition_dir, tmp_path
):
    out = tmp_path / "plant"
    code, _, err = run(capsys, "edition", "export", sample_edition_dir, "-o", out, "--force")
    assert code == 1
    states = {page: entry["state"] for page, entry in manifest(out).items()}
    assert states == {"1": "refused", "2": "refused", "3": "written", "4": "written"}
    assert sorted(p.name for p in out.glob("*.pdf")) == ["20260109-03.pdf", "20260109-04.pdf"]
    assert "占位图" in err and "--force" not in err.splitlines()[-1]
    code, _, _ = run(
        capsys, "edition", "export", sample_edition_dir, "-o", tmp_path / "p", "--proof"
    )
    assert code == 0  # proofs take placeholders, marked
