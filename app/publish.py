"""A page document to its PDFs: what the command line and the editor both do on export.

The print PDF takes its slug and title from the page's metadata; a proof PDF also starts
the next proof round, carries the text map, and — from the second round on — last
round's decisions as annotations (核红). The round is recorded only once its proof exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.compose.layout import PageLayout
from app.export.colors import BUNDLED_PROFILE
from app.export.marks import Slug
from app.export.output import write_atomically
from app.export.print_pdf import PrintOptions, write_print_pdf
from app.export.proof_pdf import ProofOptions, export_proof_pdf
from app.model import PageDocument, content_hash
from app.model.proofing import ProofRound
from app.proof.answer import answer_back
from app.proof.rounds import next_round_number, page_key, start_round


@dataclass(frozen=True, slots=True)
class ProofSettings:
    profile: Path | None = None  # the printer's profile, to show colours as they will print
    watermark: str = ""
    answers: bool = True  # mark last round's accepted/rejected corrections on the new proof


def heading(document: PageDocument) -> str:
    """报名 日期 版次 版名, as the proof header and PDF titles print it."""
    meta = document.meta
    parts = (meta.paper, meta.fields()["date"], edition_label(meta.edition), meta.page_name)
    return " ".join(part for part in parts if part) or document.layout.title


def edition_label(edition: str) -> str:
    return f"第{edition}版" if edition and edition.isdigit() else edition


def print_options(
    document: PageDocument, *, pdfx: str = "4", profile: Path | None = None, marks: bool = False
) -> PrintOptions:
    meta = document.meta
    slug = Slug(paper=meta.paper, date=meta.fields()["date"], edition=edition_label(meta.edition))
    return PrintOptions(pdfx=pdfx, profile=profile, marks=marks, slug=slug, title=heading(document))


def export_print(document: PageDocument, layout: PageLayout, path: Path, **options) -> None:
    write_print_pdf(layout, path, print_options(document, **options))


def proof_pdf(
    document: PageDocument, layout: PageLayout, settings: ProofSettings, name: str = "proof.pdf"
) -> bytes:
    """The next round's proof as bytes; reads the document, changes nothing."""
    number = next_round_number(document)
    options = ProofOptions(
        page=page_key(document),
        heading=heading(document),
        proof_round=number,
        document_hash=content_hash(document),
        stories={story.id: story.stream for story in document.stories.values()},
        watermark=settings.watermark,
        profile=settings.profile or BUNDLED_PROFILE,
        title=f"{heading(document)} 校样",
    )
    pdf = export_proof_pdf(layout, options)
    if settings.answers and number > 1:
        pdf = answer_back(pdf, document, name)
    return pdf


def export_proof(
    document: PageDocument,
    layout: PageLayout,
    path: Path,
    settings: ProofSettings = ProofSettings(),
) -> ProofRound:
    """Write the proof, then record its round in the document (the caller saves it)."""
    write_atomically(path, proof_pdf(document, layout, settings, str(path)))
    return start_round(document, layout)
