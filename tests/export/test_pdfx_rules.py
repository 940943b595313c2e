"""The rule check itself: a clean print PDF passes, and each kind of break is named."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pages import sample_layout
from pdfx_rules import violations

from app.export.print_pdf import PrintOptions, export_print_pdf


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "clean.pdf"
    path.write_bytes(export_print_pdf(sample_layout(), PrintOptions()))
    return path


def broken(clean: Path, tmp_path: Path, change) -> list[str]:
    with pikepdf.open(clean) as pdf:
        change(pdf)
        target = tmp_path / "broken.pdf"
        pdf.save(target, static_id=True)  # a rule-check input only: not written as a print PDF
    found = violations(target)
    target.unlink()  # the suite holds every PDF/X file left behind to the rules
    return found


def test_a_clean_export_passes(clean):
    assert violations(clean) == []


def _rgb_text(pdf):
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(b"1 0 0 rg 0 0 10 10 re f"), prepend=False)


def _custom_with_registry(pdf):
    intent = pdf.Root.OutputIntents[0]
    intent.OutputConditionIdentifier = pikepdf.String("Custom")


CASES = {
    "needs a /TrimBox": lambda pdf: pdf.pages[0].obj.__delitem__("/TrimBox"),
    "Trapped": lambda pdf: pdf.docinfo.__setitem__("/Trapped", pikepdf.Name("/Unknown")),
    "RGB colour": _rgb_text,
    "Custom output condition names a registry": _custom_with_registry,
    "XMP dc:creator": lambda pdf: pdf.docinfo.__setitem__("/Author", pikepdf.String("Other")),
    "transfer function": lambda pdf: pdf.pages[0].Resources.ExtGState.__setitem__(
        "/GSx", pikepdf.Dictionary(TR=pikepdf.Name("/Identity"))
    ),
}


@pytest.mark.parametrize("expected", CASES)
def test_each_break_is_named(clean, tmp_path, expected):
    found = broken(clean, tmp_path, CASES[expected])
    assert any(expected in line for line in found), found
