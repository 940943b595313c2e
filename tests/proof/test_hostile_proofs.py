"""Proofs made to break the importer: each gives one line on stderr and exit 2 (or imports,
holding what is unsafe), within bounded time and memory, through the real `pasteup` command."""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest
from proofpdf import annotation, caret_rect_at, find_quads, rect_of
from test_pinning import annotated, flat, strikeout

from app.compose.textmap import TEXTMAP_FILENAME
from app.proof.corrections import accept, open_ids
from app.proof.importer import import_proof
from app.proof.limits import MAX_REPLACEMENT_CHARS

PASTEUP = Path(sys.executable).with_name("pasteup")
MEMORY = 512 << 20  # address space a hostile import may use (the issue: 500 MiB)


def run_import(page: Path, pdf: bytes, tmp_path: Path, *extra: str):
    path = tmp_path / "marked.pdf"
    path.write_bytes(pdf)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run([str(PASTEUP), "proof", "import", str(page), str(path), *extra],
                          capture_output=True, text=True, timeout=20, preexec_fn=limit)  # fmt: skip


def one_line(result) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def with_textmap(pdf: bytes, data: bytes, compress: bool = True) -> bytes:
    """The proof with its embedded text map replaced by `data` (deflated, as writers store it)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        stream = doc.attachments[TEXTMAP_FILENAME].get_file().obj
        if compress:
            stream.write(zlib.compress(data, 9), filter=pikepdf.Name.FlateDecode)
        else:
            stream.write(data)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def test_a_rich_text_bomb_is_skipped_with_a_reason(page_path, proof_pdf, tmp_path):
    bomb = zlib.compress(b"<p>" + b"A" * (64 * 1024 * 1024) + b"</p>", 9)  # ~64 KB → 64 MB

    def rich(doc, pdf):
        quads = find_quads(pdf, "晋剧名家")
        stream = pikepdf.Stream(doc, bomb)
        stream.Filter = pikepdf.Name.FlateDecode
        annotation(doc, "Highlight", rect_of(quads), QuadPoints=flat(quads), RC=stream, NM="rc")

    result = run_import(page_path, annotated(proof_pdf, rich, strikeout("组织部部长")), tmp_path)
    assert result.returncode == 1, result.stderr  # the bomb skipped, the strike-out imported
    assert "inflates past the limit" in result.stderr and "Traceback" not in result.stderr
    assert "组织部部长" in result.stdout


def test_a_text_map_bomb_is_one_line(page_path, proof_pdf, tmp_path):
    bomb = with_textmap(proof_pdf, b"{" + b" " * (96 * 1024 * 1024) + b"}")
    assert "inflates past the limit" in one_line(run_import(page_path, bomb, tmp_path))


@pytest.mark.parametrize(
    "textmap, message",
    [
        ({"placement": [1e400, 0]}, "corrupt embedded text map"),
        ({"lines": [{"x": 1e400}]}, "corrupt embedded text map"),
        ({"proof_round": 1e400}, "corrupt embedded text map"),
        ({"lines": [{"char_x": [[1, 2], [3, 4]], "text": "x", "start": 0, "end": 1}]},
         "corrupt embedded text map"),
    ],
)  # fmt: skip
def test_huge_numbers_in_the_text_map_are_one_line(page_path, proof_pdf, tmp_path, textmap,
                                                   message):  # fmt: skip
    with pikepdf.open(io.BytesIO(proof_pdf)) as doc:
        record = json.loads(doc.attachments[TEXTMAP_FILENAME].get_file().read_bytes())
    for key, value in textmap.items():
        if key == "lines":
            record["lines"][0].update(value[0])
        else:
            record[key] = value
    data = json.dumps(record).replace("Infinity", "1e400").encode()
    assert message in one_line(run_import(page_path, with_textmap(proof_pdf, data), tmp_path))


def test_an_encrypted_proof_is_one_line(page_path, proof_pdf, tmp_path):
    with pikepdf.open(io.BytesIO(proof_pdf)) as doc:
        out = io.BytesIO()
        doc.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    assert "encrypted" in one_line(run_import(page_path, out.getvalue(), tmp_path))


def test_undecodable_strings_and_rd_on_every_subtype_import(document, proof_pdf):
    def odd(doc, pdf):
        quads = find_quads(pdf, "晋剧名家")
        rect = rect_of(quads)
        bad_utf16 = pikepdf.String(b"\xfe\xff\xd8\x00\x00")  # a lone surrogate, odd length
        for subtype in ("Caret", "Square", "Circle", "FreeText", "Ink", "Text"):
            annotation(doc, subtype, rect, RD=[1, 1, 1, 1], T=bad_utf16, Contents="备注",
                       NM=f"rd-{subtype}", InkList=[[rect[0], rect[1], rect[2], rect[3]]])  # fmt: skip
        annotation(doc, "StrikeOut", rect, QuadPoints=flat(quads), RD=[1, 2], NM="short-rd",
                   Contents=pikepdf.String(b"\xff\xfe\x00\xd8"))  # fmt: skip
        annotation(doc, "Square", rect, RD=[-5, 900, 1, 1], NM="silly-rd")

        annotation(doc, "Text", rect, T="/Bad", IT="/Bad", Contents="名称", NM="names")

    pdf = annotated(proof_pdf, odd).replace(b"/Bad", b"/B#ffd")  # a name that is not UTF-8
    report = import_proof(document, pdf, "odd.pdf")
    assert report.problems == ()
    assert len(report.corrections) == 9
    assert any(c.author == "B#ffd" for c in report.corrections)  # kept as escaped
    json.dumps([c.author + c.contents for c in report.corrections]).encode("utf-8")


@pytest.mark.parametrize(
    "inserted, reason",
    [
        ("\x1b[31m红", "control, bidi or undecodable"),
        ("abc\u202edef", "control, bidi or undecodable"),
        ("\u2066x\u2069", "control, bidi or undecodable"),
        ("\x7f", "control, bidi or undecodable"),
        ("x\x00y", "control, bidi or undecodable"),
        ("长" * (MAX_REPLACEMENT_CHARS + 1), "longer than"),
    ],
)
def test_unsafe_text_from_a_proof_is_held_and_never_applied(document, proof_pdf, inserted,
                                                            reason):  # fmt: skip
    def insert(doc, pdf):
        annotation(doc, "Caret", caret_rect_at(pdf, "累计举办", 0), Contents=inserted, NM="c")

    report = import_proof(document, annotated(proof_pdf, insert), "unsafe.pdf")
    (c,) = report.corrections
    assert c.pinned and reason in c.review
    before = document.stories[c.story].stream
    assert c.id not in open_ids(document, held=False)
    assert accept(document, [c.id]).failed and document.stories[c.story].stream == before
    assert accept(document, [c.id], reviewed=True).failed  # a person types such text
    assert document.stories[c.story].stream == before


def test_a_caret_past_the_end_of_a_shortened_story_is_not_pinned(document, layout, proof_pdf):
    story = document.stories["photo-caption"]
    proof = annotated(proof_pdf, lambda doc, pdf: annotation(
        doc, "Caret", caret_rect_at(pdf, story.stream[-4:], 4), Contents="补", NM="end"))  # fmt: skip
    document.replace_text("photo-caption", 0, len(story.stream) - 2, "")  # story much shorter
    report = import_proof(document, proof, "late.pdf")
    (c,) = report.corrections
    assert not c.pinned and "changed since this proof" in c.unpinned_reason
