"""The proof-PDF reproducers of issue 11 through `pasteup proof import`: one line and exit 2,
or the annotation reported and skipped, within 5 s and 500 MiB: the /RC and text-map
decompression bombs, encrypted proofs, undecodable strings, the /RD error (the proof reader's
bounds are app/proof/limits.py, issue 12)."""

from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import pikepdf
import pytest
from hostile import OUT_OF_MEMORY, accepted, refused, run, sample_copy

from app.compose.textmap import TEXTMAP_FILENAME


@pytest.fixture(scope="module")
def proof(tmp_path_factory) -> Path:
    """A real proof of the sample page, exported by pasteup itself."""
    folder = tmp_path_factory.mktemp("proof")
    page = sample_copy(folder)
    done = run("export", page, "--proof", "-o", folder / "proof.pdf", cwd=folder, memory=None)
    assert done.code == 0, done.stderr
    return folder / "proof.pdf"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """~1 MB of Flate that inflates to 1 GiB."""
    squeeze = zlib.compressobj(9)
    block = bytes(1 << 20)
    data = b"".join(squeeze.compress(block) for _ in range(1024)) + squeeze.flush()
    assert len(data) < 2 << 20
    return data


def _import(tmp_path: Path, proof: Path, change) -> tuple:
    """Copy the page and its proof, change the proof with pikepdf, run `proof import`."""
    page = sample_copy(tmp_path)
    # the proof round the export recorded lives in the page: take that page too
    shutil.copy(proof.parent / "page" / "page.json", page)
    target = tmp_path / "marked.pdf"
    with pikepdf.open(proof) as pdf:
        save = change(pdf) or {}
        pdf.save(target, **save)
    before = page.read_bytes()
    return run("proof", "import", page, target, cwd=tmp_path), page, before


def _annotate(pdf: pikepdf.Pdf, **fields) -> None:
    base = {"Subtype": pikepdf.Name.Text, "Rect": [100, 100, 120, 120]}
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, NM=pikepdf.String("hostile"), **{**base, **fields}
    )
    page = pdf.pages[0].obj
    if "/Annots" not in page:
        page.Annots = pdf.make_indirect(pikepdf.Array())
    page.Annots.append(pdf.make_indirect(annot))


def _flate(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, b"")
    stream.write(data, filter=pikepdf.Name.FlateDecode)
    return stream


def _bounded(result, page: Path, before: bytes) -> None:
    """Either refused in one line, or imported with the bad annotation reported and skipped
    (exit 1, a line per problem): never a traceback, a hang or the memory cap."""
    if result.code == 2:
        refused(result)
        assert page.read_bytes() == before
    else:
        accepted(result, 0, 1)
        assert OUT_OF_MEMORY not in result.stderr


def test_rich_text_bomb(tmp_path, proof, bomb):
    result, page, before = _import(
        tmp_path, proof, lambda pdf: _annotate(pdf, RC=_flate(pdf, bomb))
    )
    _bounded(result, page, before)


def test_text_map_bomb(tmp_path, proof, bomb):
    def change(pdf: pikepdf.Pdf) -> None:
        spec = pdf.attachments[TEXTMAP_FILENAME]
        stream = spec.obj.EF.F
        stream.write(bomb, filter=pikepdf.Name.FlateDecode)

    result, page, before = _import(tmp_path, proof, change)
    _bounded(result, page, before)


def test_encrypted_proof(tmp_path, proof):
    result, page, before = _import(
        tmp_path,
        proof,
        lambda pdf: {"encryption": pikepdf.Encryption(owner="owner", user="secret")},
    )
    refused(result)
    assert page.read_bytes() == before


@pytest.mark.parametrize("raw", [b"\xfe\xff\xd8\x00", b"\xff\xfe\x00\xd8", b"\xfe\xff\x00"])
def test_undecodable_contents(tmp_path, proof, raw):
    result, page, before = _import(
        tmp_path, proof, lambda pdf: _annotate(pdf, Contents=pikepdf.String(raw))
    )
    _bounded(result, page, before)


@pytest.mark.parametrize("rd", [[1e30, 0, 0, 0], [-5, -5, -5, -5], [500, 500, 500, 500]])
def test_rect_differences(tmp_path, proof, rd):
    result, page, before = _import(
        tmp_path,
        proof,
        lambda pdf: _annotate(pdf, Subtype=pikepdf.Name.Square, RD=rd),
    )
    _bounded(result, page, before)


def test_huge_numbers_in_the_text_map(tmp_path, proof):
    def change(pdf: pikepdf.Pdf) -> None:
        stream = pdf.attachments[TEXTMAP_FILENAME].obj.EF.F
        text = stream.read_bytes().replace(b"0", b"1e400", 50)
        stream.write(text)

    result, page, before = _import(tmp_path, proof, change)
    _bounded(result, page, before)


def test_a_proof_that_is_a_fifo_or_not_a_pdf(tmp_path, proof):
    page = sample_copy(tmp_path)
    fifo = tmp_path / "proof.pdf"
    os.mkfifo(fifo)
    refused(run("proof", "import", page, fifo, cwd=tmp_path))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(proof.read_bytes()[:5000])
    refused(run("proof", "import", page, junk, cwd=tmp_path))
