"""A page document to its PDFs: what the command line and the editor both do on export.

The print PDF takes its slug and title from the page's metadata; a proof PDF also starts
the next proof round, carries the text map, and — from the second round on — last
round's decisions as annotations (核红). The round is recorded only once its proof exists.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from app.errors import PasteupError
from app.export.adcheck import UNPRINTABLE
from app.export.colors import BUNDLED_PROFILE
from app.model import PageDocument, PhotoBlock
from app.model.files import resolve

if TYPE_CHECKING:
    from app.compose.layout import Finding, PageLayout
    from app.export.pdfx import PdfxLevel
    from app.export.preflight import PreflightOptions
    from app.export.print_pdf import PrintOptions
    from app.model.proofing import ProofRound

# The writers (ReportLab) and the proof modules are imported where they are used: a print
# export starts converting its photos before any of them is loaded.


class ProofSettings(NamedTuple):
    """How a proof is made (a named tuple: this module is imported by every export, and a
    frozen dataclass costs ~10x more to define)."""

    profile: Path | None = None  # the printer's profile, to show colours as they will print
    watermark: str = ""
    answers: bool = True  # mark last round's accepted/rejected corrections on the new proof


DEFAULT_PROOF = ProofSettings()


def heading(document: PageDocument) -> str:
    """报名 日期 版次 版名, as the proof header and PDF titles print it."""
    meta = document.meta
    parts = (meta.paper, meta.fields()["date"], edition_label(meta.edition), meta.page_name)
    return " ".join(part for part in parts if part) or document.layout.title


def edition_label(edition: str) -> str:
    return f"第{edition}版" if edition and edition.isdigit() else edition


# Preflight findings no override can get past: the writer needs the file itself.
# A placeholder (FPO) picture is one of them: it must never reach a plate; so is an ad whose
# file would break PDF/X (adcheck.UNPRINTABLE): it would otherwise print blank or wrong.
UNUSABLE = frozenset(
    {"image-missing", "image-unreadable", "image-placeholder", "font-not-embeddable"}
    | {"ad-missing", "ad-unreadable"}
    | UNPRINTABLE
)


def headline_paragraphs(document: PageDocument) -> frozenset[tuple[str, int]]:
    """(story, paragraph) of every article's headline group, for the overlap check."""
    from app.model import ArticleBlock
    from app.model.styles import HEADLINE_ROLES

    heads = set()
    for block in document.blocks:
        story = document.stories.get(block.story) if isinstance(block, ArticleBlock) else None
        if story is None:
            continue
        for index, paragraph in enumerate(story.paragraphs):
            if paragraph.role not in HEADLINE_ROLES:
                break
            heads.add((story.id, index))
    return frozenset(heads)


def preflight_options(
    document: PageDocument, profile: Path | None = None, words: tuple = ()
) -> PreflightOptions:
    from app.export.preflight import PreflightOptions

    return PreflightOptions(
        ink_limit=document.layout.max_ink,
        profile=profile,
        headlines=headline_paragraphs(document),
        words=tuple(words),
    )


def print_check(
    document: PageDocument,
    layout: PageLayout,
    profile: Path | None = None,
    words: tuple = (),
) -> tuple[Finding, ...]:
    """The pre-print check `pasteup export` and the editor's print export both run;
    `words` is the newsroom's word list (`app.export.wordlist`)."""
    from app.export.preflight import preflight

    return preflight(layout, preflight_options(document, profile, words))


def unusable(findings: tuple[Finding, ...]) -> list[Finding]:
    """Findings that stop a print export even with the override."""
    return [f for f in findings if f.code in UNUSABLE]


def print_options(
    document: PageDocument,
    *,
    pdfx: PdfxLevel = "4",
    profile: Path | None = None,
    marks: bool = False,
    mark_placeholders: bool = False,
) -> PrintOptions:
    from app.export.marks import Slug
    from app.export.pdfx import document_time
    from app.export.print_pdf import PrintOptions
    from app.model import content_hash

    meta = document.meta
    slug = Slug(
        paper=meta.paper,
        date=meta.fields()["date"],
        edition=edition_label(meta.edition),
        version=content_hash(document),
    )
    return PrintOptions(
        pdfx=pdfx,
        profile=profile,
        marks=marks,
        slug=slug,
        title=heading(document),
        created=document_time(meta.date),
        ink_limit=document.layout.max_ink,
        mark_placeholders=mark_placeholders,
    )


def prefetch_pictures(document: PageDocument, profile: Path | None = None) -> threading.Thread:
    """Get the page's photos converted for print while its text is composed.

    Photos the picture store holds are read in a thread beside the imports and composition
    that follow; join it before preflight or export. A photo to convert is converted before
    this returns, in a thread that has ended by then: converting takes ~55 MB (Pillow, numpy,
    three copies of the photo) that a thread's ending gives back, and composing new headlines
    loads the segmenter's dictionary (~70 MB, kept), so one after the other a page's first
    export peaks at the larger of the two, not at their sum (docs/pdf-output.md, Speed).
    """
    photos = [
        (str(resolve(document.base_dir() / block.image)), block)
        for block in document.blocks
        if isinstance(block, PhotoBlock) and not block.placeholder
    ]
    grid, styles, ink_limit = document.layout.grid, document.styles, document.layout.max_ink
    target = profile or BUNDLED_PROFILE

    # Imported here, not in the thread: a module imported by two threads at once can deadlock
    # on Python's import locks (the main thread goes on to import the fonts package).
    from app.compose.photofit import picture_area, placed_picture
    from app.compose.pixelsize import pixel_size
    from app.export.pictures import is_prepared, prepare_image

    crops = []
    for path, block in photos:
        try:
            area = picture_area(block, grid, styles)
            crops.append((path, placed_picture(block, area, pixel_size(Path(path)))[0]))
        except (OSError, PasteupError):
            continue  # preflight reports the picture in the main thread

    def work() -> None:
        for path, crop in crops:
            try:
                prepare_image(path, crop, "cmyk", target, ink_limit)
            except (OSError, PasteupError):
                continue

    converting = not all(is_prepared(path, crop, "cmyk", target, ink_limit) for path, crop in crops)
    thread = threading.Thread(target=work, name="prefetch-pictures", daemon=True)
    thread.start()
    if converting:
        thread.join()
    return thread


def export_print(document: PageDocument, layout: PageLayout, path: Path, **options) -> None:
    from app.export.print_pdf import write_print_pdf

    write_print_pdf(layout, path, print_options(document, **options))


def proof_pdf(
    document: PageDocument, layout: PageLayout, settings: ProofSettings, name: str = "proof.pdf"
) -> bytes:
    """The next round's proof as bytes; reads the document, changes nothing."""
    from app.export.proof_pdf import ProofOptions, export_proof_pdf
    from app.model import content_hash
    from app.proof.rounds import next_round_number, page_key

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
    from app.proof.answer import answer_back  # pikepdf: only proofs need it

    return answer_back(pdf, document, name, answers=settings.answers and number > 1)


def export_proof(
    document: PageDocument,
    layout: PageLayout,
    path: Path,
    settings: ProofSettings = DEFAULT_PROOF,
) -> ProofRound:
    """Write the proof, then record its round in the document (the caller saves it)."""
    from app.proof.rounds import start_round

    write_proof(document, layout, path, settings)
    return start_round(document, layout)


def write_proof(
    document: PageDocument,
    layout: PageLayout,
    path: Path,
    settings: ProofSettings = DEFAULT_PROOF,
) -> None:
    """Write the next round's proof file; the round is recorded by the caller (the CLI at
    once, the editor as an undo step)."""
    from app.export.output import write_atomically

    write_atomically(path, proof_pdf(document, layout, settings, str(path)))
