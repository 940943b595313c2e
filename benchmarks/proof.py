"""Proofing timings: importing a proof with 1,000 marks and accepting them all.

    .venv/bin/python benchmarks/proof.py [--runs N] [--marks N]

The sample page's first proof is exported as `pasteup export --proof` does; 1,000 marks
(strike-outs, carets with text, highlights, Acrobat replace groups; none overlapping) are
written over it with pikepdf from the text map's character boxes. `import_ms` is
`import_proof` on those bytes into a fresh copy of the page (PDF parsing included);
`accept_ms` is `accept` of every correction that is safe to apply. Targets: import ≤ 1 s,
accept ≤ 1.5 s on the 2-core reference machine. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pikepdf  # noqa: E402

from app.commands.export import compose_document  # noqa: E402
from app.compose.textmap import load_textmap  # noqa: E402
from app.model import read_document  # noqa: E402
from app.proof.corrections import accept, open_ids  # noqa: E402
from app.proof.importer import import_proof  # noqa: E402
from app.proof.pdfread import read_proof_pdf  # noqa: E402
from app.publish import DEFAULT_PROOF, proof_pdf  # noqa: E402

PAGE = ROOT / "assets" / "samples" / "news-page" / "page.json"


def marked_proof(count: int, seed: int = 1) -> bytes:
    document = read_document(PAGE)
    pdf = proof_pdf(document, compose_document(document), DEFAULT_PROOF)
    textmap = load_textmap(read_proof_pdf(pdf).textmap, "proof")
    left, top = textmap.placement.left_pt, textmap.placement.top_pt
    cells = [(line, i) for line in textmap.lines if line.story in textmap.stories
             for i in range(len(line.text) - 1)]  # fmt: skip
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(0, len(cells), 3), count))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        annots = doc.pages[0].obj.Annots

        def add(subtype: str, rect: list[float], **fields) -> pikepdf.Dictionary:
            annot = doc.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name("/" + subtype),
                Rect=pikepdf.Array(rect), T=pikepdf.String("校对"), **fields))  # fmt: skip
            annots.append(annot)
            return annot

        for n, index in enumerate(chosen):
            line, i = cells[index]
            a, b = line.char_x[i]
            x0, x1 = left + a / 64, left + b / 64
            y0, y1 = top - line.bottom / 64, top - line.top / 64
            quad = pikepdf.Array([x0, y1, x1, y1, x0, y0, x1, y0])
            name = pikepdf.String(f"m{n}")
            match n % 4:
                case 0:
                    add("StrikeOut", [x0, y0, x1, y1], QuadPoints=quad, NM=name)
                case 1:
                    add("Caret", [x0 - 3, (y0 + y1) / 2 - 6, x0 + 3, (y0 + y1) / 2],
                        Contents=pikepdf.String("补"), NM=name)  # fmt: skip
                case 2:
                    add("Highlight", [x0, y0, x1, y1], QuadPoints=quad, NM=name)
                case 3:
                    caret = add("Caret", [x1 - 3, y0, x1 + 3, y1], IT=pikepdf.Name.Replace,
                                Contents=pikepdf.String("改"), NM=name)  # fmt: skip
                    add("StrikeOut", [x0, y0, x1, y1], QuadPoints=quad, IRT=caret,
                        RT=pikepdf.Name.Group)  # fmt: skip
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--marks", type=int, default=1000)
    args = parser.parse_args()
    pdf = marked_proof(args.marks)
    imports, accepts, counts = [], [], []
    for _ in range(args.runs):
        document = read_document(PAGE)
        start = time.perf_counter()
        report = import_proof(document, pdf, "marked.pdf")
        imports.append((time.perf_counter() - start) * 1000)
        ids = open_ids(document, held=False)
        start = time.perf_counter()
        outcome = accept(document, ids)
        accepts.append((time.perf_counter() - start) * 1000)
        counts.append((len(report.corrections), len(outcome.done), len(outcome.failed)))
    marks, done, failed = counts[-1]
    print(f"import {marks} marks: median {statistics.median(imports):.0f} ms {imports}")
    print(f"accept {done} (refused {failed}): median {statistics.median(accepts):.0f} ms")
    print(json.dumps({"marks": marks, "import_ms": round(statistics.median(imports)),
                      "accepted": done, "accept_ms": round(statistics.median(accepts)),
                      "runs": args.runs}))  # fmt: skip


if __name__ == "__main__":
    main()
