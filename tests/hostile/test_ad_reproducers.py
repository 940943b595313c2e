"""Hostile PDF ads through the real `pasteup` program: booking one (`edition book-ad`) and
printing the page it is booked on (`export`) each end in one line on stderr and exit 2, within
5 s and 500 MiB of address space — damaged, encrypted, several pages, no size, bombs that
decode to gigabytes, cycles, a form that draws itself, a FIFO where the file should be."""

from __future__ import annotations

import io
import os
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest
from hostile import refused, run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))
from adkit import AD_FIXTURE, PAGE, ad_pdf, edition_with_ad, raw_pdf, stream


def flate_bomb(size: int = 100 * 1024 * 1024) -> bytes:
    """~100 KB of Flate that inflates to `size` bytes of spaces."""
    deflate = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [deflate.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + deflate.flush()


def encrypted(user: str) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(AD_FIXTURE) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user=user, owner="owner"))
    return out.getvalue()


def many_objects(count: int = 100_000) -> bytes:
    """A chain of `count` dictionaries, each referring to the next."""
    chain = [b"<< /Next %d 0 R >>" % (n + 1) for n in range(6, 6 + count)]
    return raw_pdf(PAGE, b"<< /Properties << /Q 6 0 R >> >>", stream(b"0 0 0 1 k"), *chain)


def giant_array(count: int = 5_000_000) -> bytes:
    """10 MB holding one array qpdf would build in some 700 MB (refused in a bounded child)."""
    return raw_pdf(PAGE, b"<< /Properties << /Q [" + b"0 " * count + b"] >> >>", stream(b""))


HOSTILE = {
    "truncated": lambda: AD_FIXTURE.read_bytes()[:4000],
    "garbage": lambda: bytes((i * 7919) % 251 for i in range(50_000)),
    "header-only": lambda: b"%PDF-1.7\n" + b"\x00" * 1000,
    "encrypted": lambda: encrypted("secret"),
    "encrypted-open": lambda: encrypted(""),
    "two-pages": lambda: ad_pdf(pages=2),
    "no-pages": lambda: raw_pdf(catalog=b"<< /Type /Catalog /Pages 2 0 R >>").replace(
        b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0"
    ),
    "flate-bomb": lambda: raw_pdf(PAGE, b"<< >>", stream(flate_bomb(), b"/Filter /FlateDecode")),
    "lzw-too-big": lambda: raw_pdf(
        PAGE, b"<< >>", stream(bytes(range(256)) * 400, b"/Filter /LZWDecode")
    ),
    "page-tree-cycle": lambda: raw_pdf(PAGE, b"<< >>", stream(b"")).replace(
        b"/Kids [3 0 R]", b"/Kids [3 0 R 2 0 R]"
    ),
    "form-draws-itself": lambda: raw_pdf(
        PAGE,
        b"<< /XObject << /X 6 0 R >> >>",
        stream(b"/X Do"),
        stream(b"/X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources 4 0 R"),
    ),
    "resources-reach-the-page": lambda: raw_pdf(
        PAGE, b"<< /Properties << /P 3 0 R >> >>", stream(b"")
    ),
    "zero-size": lambda: raw_pdf(PAGE.replace(b"495 319.5", b"0 0"), b"<< >>", stream(b"")),
    "huge-size": lambda: raw_pdf(
        PAGE.replace(b"495 319.5", b"1000000000000 1000000000000"), b"<< >>", stream(b"")
    ),
    "deep-nesting": lambda: raw_pdf(
        PAGE, b"<< /A " + b"[" * 200 + b"]" * 200 + b" >>", stream(b"")
    ),
    "many-objects": many_objects,
    "giant-array": giant_array,
    "content-not-a-stream": lambda: raw_pdf(PAGE, b"<< >>", b"<< /Not /AStream >>"),
}


# The same reading serves export; these cases also go through it (one of each kind of harm).
THROUGH_EXPORT = {"truncated", "encrypted", "flate-bomb", "form-draws-itself", "giant-array"}


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    return edition_with_ad(tmp_path_factory.mktemp("hostile-ads") / "edition")


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_ad_is_one_line_exit_2(edition, tmp_path, case):
    ad = edition / "ads" / f"{case}.pdf"
    ad.write_bytes(HOSTILE[case]())
    line = refused(run("edition", "book-ad", edition, "p3", ad.relative_to(edition),
                       "--size", "4x24", "--at", "0,0", cwd=tmp_path))  # fmt: skip
    assert f"{case}.pdf" in line
    if case not in THROUGH_EXPORT:
        return
    front = edition / "ads" / "front.pdf"
    front.write_bytes(ad.read_bytes())
    try:
        line = refused(run("export", edition / "p1.json", "-o", tmp_path / "p1.pdf", cwd=tmp_path))
        assert "front.pdf" in line and not (tmp_path / "p1.pdf").exists()
    finally:
        front.write_bytes(AD_FIXTURE.read_bytes())


def test_a_fifo_where_the_ad_should_be(edition, tmp_path):
    fifo = edition / "ads" / "fifo.pdf"
    os.mkfifo(fifo)
    try:
        line = refused(run("edition", "book-ad", edition, "p3", "ads/fifo.pdf",
                           "--size", "4x24", "--at", "0,0", cwd=tmp_path))  # fmt: skip
        assert "fifo.pdf" in line and "not a file" in line
    finally:
        fifo.unlink()
