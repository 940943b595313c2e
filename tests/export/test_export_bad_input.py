"""Bad input: one clear line naming the file, and never a half-written PDF."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pages import sample_layout

from app.compose.layout import FontSource
from app.errors import PasteupError
from app.export.print_pdf import PrintOptions, write_print_pdf
from app.export.proof_pdf import ProofOptions, write_proof_pdf


def assert_one_line(error: PasteupError, *names: str) -> None:
    message = str(error)
    assert "\n" not in message
    for name in names:
        assert name in message


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_missing_image(tmp_path):
    missing = tmp_path / "gone.jpg"
    with pytest.raises(PasteupError) as caught:
        write_print_pdf(sample_layout(image=missing), tmp_path / "out.pdf")
    assert_one_line(caught.value, str(missing), "不存在")
    assert leftovers(tmp_path) == []


def test_corrupt_image(tmp_path, photo):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(photo.read_bytes()[:400])
    with pytest.raises(PasteupError) as caught:
        write_print_pdf(sample_layout(image=broken), tmp_path / "out.pdf")
    assert_one_line(caught.value, str(broken), "无法读取")
    assert leftovers(tmp_path) == ["broken.jpg"]


def test_font_file_that_is_not_a_font(tmp_path):
    fake = tmp_path / "fake.ttf"
    fake.write_text("this is not a font", encoding="utf-8")
    layout = sample_layout()
    fonts = tuple(FontSource(f.key, str(fake), 0, f.sha256) for f in layout.fonts)
    with pytest.raises(PasteupError) as caught:
        write_print_pdf(layout._replace(fonts=fonts), tmp_path / "out.pdf")
    assert_one_line(caught.value, str(fake), "不是字体")
    assert leftovers(tmp_path) == ["fake.ttf"]


def test_output_folder_missing_or_read_only(tmp_path):
    with pytest.raises(PasteupError) as caught:
        write_print_pdf(sample_layout(), tmp_path / "no" / "such" / "out.pdf")
    assert_one_line(caught.value, "out.pdf", "无法写入")
    # A "folder" that is a file: unwritable for every user, root included (CI runs as root).
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(PasteupError) as caught:
        write_print_pdf(sample_layout(), tmp_path / "notes.txt" / "out.pdf")
    assert_one_line(caught.value, "out.pdf", "无法写入")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):  # permissions bind everyone but root
            with pytest.raises(PasteupError):
                write_print_pdf(sample_layout(), locked / "out.pdf")
        assert leftovers(locked) == []
    finally:
        locked.chmod(0o700)


def test_a_failed_export_leaves_the_previous_pdf_untouched(tmp_path):
    target = tmp_path / "out.pdf"
    write_print_pdf(sample_layout(), target)
    before = target.read_bytes()
    with pytest.raises(PasteupError):
        write_print_pdf(sample_layout(image=tmp_path / "gone.jpg"), target)
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == ["out.pdf"]


def test_output_that_is_a_directory(tmp_path):
    (tmp_path / "out.pdf").mkdir()
    options = ProofOptions(page="p", heading="h", proof_round=1, document_hash="x")
    with pytest.raises(PasteupError) as caught:
        write_proof_pdf(sample_layout(), tmp_path / "out.pdf", options)
    assert_one_line(caught.value, "out.pdf")
    assert leftovers(tmp_path) == ["out.pdf"]


def test_printer_profile_that_is_not_cmyk(tmp_path):
    rgb = Path("/usr/share/color/icc/sRGB.icc")
    if not rgb.exists():
        rgb = next(Path("/usr/share/color/icc").rglob("sRGB*.ic*"))
    with pytest.raises(PasteupError) as caught:
        write_print_pdf(sample_layout(), tmp_path / "out.pdf", PrintOptions(profile=rgb))
    assert_one_line(caught.value, str(rgb), "CMYK")
    garbage = tmp_path / "junk.icc"
    garbage.write_bytes(b"junk")
    with pytest.raises(PasteupError):
        write_print_pdf(sample_layout(), tmp_path / "out.pdf", PrintOptions(profile=garbage))
    assert leftovers(tmp_path) == ["junk.icc"]
