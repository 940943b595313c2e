"""What `app.model.adpdf` finds in an ad's page, on small PDFs written by hand: RGB wherever it
hides, ICC and transparency for PDF/X-4 only, what PDF/X forbids — and no RGB read into text."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from adkit import PAGE, raw_pdf, stream

from app.errors import PasteupError
from app.model.adpdf import read_ad_pdf

ICC = b"<< /N %d /Length 0 >>\nstream\n\nendstream"


def facts(tmp_path: Path, resources: bytes, content: bytes, *extra: bytes):
    path = tmp_path / "ad.pdf"
    path.write_bytes(raw_pdf(PAGE, resources, stream(content), *extra))
    return read_ad_pdf(path)


@pytest.mark.parametrize(
    ("resources", "content", "extra", "found"),
    [
        (b"<< >>", b"1 0 0 rg 0 0 10 10 re f", (), ("rg",)),
        (b"<< >>", b"/DeviceRGB cs 1 0 0 sc", (), ("DeviceRGB",)),
        (b"<< >>", b"BI /W 1 /H 1 /CS /RGB /BPC 8 ID \x00\x00\x00 EI", (), ("DeviceRGB",)),
        (b"<< /ColorSpace << /C 6 0 R >> >>", b"/C cs 1 sc", (b"[/ICCBased 7 0 R]", ICC % 3), ("ICC RGB",)),
        (b"<< /XObject << /I 6 0 R >> >>", b"/I Do",
         (stream(b"\x00\x00\x00", b"/Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8"),), ("DeviceRGB",)),
        (b"<< /ColorSpace << /S [/Separation /Gold /DeviceRGB 6 0 R] >> >>", b"/S cs 1 sc", (b"<< /FunctionType 2 /Domain [0 1] /N 1 >>",), ("DeviceRGB",)),
    ],
)  # fmt: skip
def test_rgb_is_found_wherever_it_hides(tmp_path, resources, content, extra, found):
    assert facts(tmp_path, resources, content, *extra).rgb == found


def test_rg_inside_text_is_not_colour(tmp_path):
    ad = facts(tmp_path, b"<< >>", b"0 0 0 1 k BT (rg RG /DeviceRGB) Tj ET % rg\n")
    assert ad.rgb == ()
    assert (ad.width, ad.height) == (495, 319.5)  # no TrimBox: the MediaBox


def test_layers_cannot_be_carried(tmp_path):
    ad = facts(
        tmp_path,
        b"<< /Properties << /L 6 0 R >> >>",
        b"/OC /L BDC 0 0 0 1 k 0 0 9 9 re f EMC",
        b"<< /Type /OCG /Name (Text) >>",
    )
    assert ad.forbidden == ("optional content (layers)",)


def test_pdfx4_only_and_forbidden(tmp_path):
    ad = facts(
        tmp_path,
        b"<< /ExtGState << /G 6 0 R /T 7 0 R >> /ColorSpace << /C 8 0 R >> >>",
        b"/G gs /T gs /C cs 1 1 1 1 sc",
        b"<< /Type /ExtGState /ca 0.5 >>",
        b"<< /Type /ExtGState /TR /Identity /HT 10 0 R >>",
        b"[/ICCBased 9 0 R]",
        ICC % 4,
        b"<< /HalftoneType 1 /Frequency 80 /Angle 45 /SpotFunction /Round >>",
    )
    assert ad.x4_only == ("ICC colour", "transparency")
    assert ad.forbidden == ("halftone", "transfer function")
    assert ad.rgb == ()


def test_fonts_not_embedded_are_named(tmp_path):
    ad = facts(
        tmp_path,
        b"<< /Font << /F 6 0 R /E 7 0 R >> >>",
        b"BT /F 12 Tf (a) Tj /E 12 Tf (b) Tj ET",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Song /FontDescriptor 8 0 R >>",
        b"<< /Type /FontDescriptor /FontName /Song /Flags 4 >>",
    )
    assert ad.fonts == ("Helvetica", "Song")


def test_content_decoded_within_its_bound(tmp_path):
    small = zlib.compress(b"0 0 0 1 k\n" * 100_000)
    path = tmp_path / "ok.pdf"
    path.write_bytes(raw_pdf(PAGE, b"<< >>", stream(small, b"/Filter /FlateDecode")))
    assert read_ad_pdf(path).rgb == ()
    bomb = zlib.compress(b" " * (65 * 1024 * 1024))
    path = tmp_path / "bomb.pdf"
    path.write_bytes(raw_pdf(PAGE, b"<< >>", stream(bomb, b"/Filter /FlateDecode")))
    with pytest.raises(PasteupError, match="page content over"):
        read_ad_pdf(path)


def test_a_large_ad_is_read_first_in_a_bounded_child(tmp_path):
    """Over 2 MiB, the file is read in a child process first (held to 256 MiB); a sound one
    passes, and its content is then trusted in this process."""
    from app.model import adpdf

    pixels = bytes((i * 7) % 256 for i in range(1000 * 750 * 4))  # 3 MB of CMYK samples
    image = stream(pixels, b"/Subtype /Image /Width 1000 /Height 750 /ColorSpace /DeviceCMYK /BitsPerComponent 8")  # fmt: skip
    ad = facts(tmp_path, b"<< /XObject << /I 6 0 R >> >>", b"495 0 0 319.5 0 0 cm /I Do", image)
    assert ad.rgb == ad.forbidden == () and ad.digest in adpdf._vetted
