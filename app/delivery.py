"""The plant's delivery (传版): one PDF per page of an edition, and a manifest the plant checks.

Pages are composed once for the whole edition (jumped stories need their neighbours), checked
by preflight, then written in parallel by forked worker processes that inherit the composed
pages. A page is written again only when its *input hash* changed: everything its PDF follows
from — the page file, the text it sets (its parts of jumped stories included), its place in the
plan, its ads and pictures (size and time), its layout file, fonts and the export settings.
The manifest (`manifest.json`, `manifest.txt`) lists every page with its file, size, SHA-256,
PDF/X level, colour, preflight summary and whether it was written, unchanged or refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from app.compose.edition import EditionLayout
from app.compose.layout import Finding, Image, PageLayout
from app.errors import PasteupError
from app.export.adcheck import PDFX4_ONLY, UNPRINTABLE
from app.model.edition import Edition, EditionPage
from app.model.editionfile import page_to_data
from app.publish import DEFAULT_PROOF, ProofSettings, print_options, proof_pdf
from app.publish import UNUSABLE as PRINT_UNUSABLE

if TYPE_CHECKING:
    from app.export.pdfx import PdfxLevel

MANIFEST = "manifest.json"
PRINT_PATTERN = "{date}-{number}.pdf"
PROOF_PATTERN = "{date}-{number}-proof.pdf"
# Findings that keep a page from the plant even with --force; its proofs are still made
# (and, for PDF/X-1a, adcheck.PDFX4_ONLY).
NEVER_PRINTED = frozenset({"image-placeholder"}) | UNPRINTABLE
# Findings no --force gets past, print or proof: the writer needs the file itself.
UNUSABLE = PRINT_UNUSABLE - NEVER_PRINTED


class DeliveryOptions(NamedTuple):
    proof: bool = False
    force: bool = False
    pdfx: PdfxLevel = "4"
    profile: Path | None = None
    pattern: str = ""  # file names; "" = PRINT_PATTERN or PROOF_PATTERN
    jobs: int = 0  # worker processes; 0 = one per core
    proof_settings: ProofSettings = DEFAULT_PROOF


DEFAULT_DELIVERY = DeliveryOptions()


class Delivered(NamedTuple):
    """One page's line in the manifest."""

    id: str
    number: str
    name: str
    file: str
    state: str  # written, unchanged, refused
    size: int
    sha256: str
    pdfx: str
    color: bool
    errors: int
    warnings: int
    input_hash: str
    proof_round: int = 0


def file_name(edition: Edition, page: EditionPage, pattern: str) -> str:
    number = page.number.zfill(2) if page.number.isdigit() else page.number
    name = pattern.format(
        date=edition.date.replace("-", ""), number=number, name=page.name, id=page.id
    )
    if "/" in name or "\\" in name or name.startswith("."):
        raise PasteupError(f"--pattern {pattern}: 文件名 {name!r} 不可用 (not a plain file name)")
    return name


def input_hash(
    edition: Edition, page: EditionPage, layout: PageLayout, layouts: EditionLayout, options
) -> str:
    """What the page's PDF follows from, hashed (see the module docstring)."""
    data = page_to_data(page)
    del data["proof"]
    stories = {
        s.id: [[p.role, p.text] for p in s.paragraphs] for s in page.document.stories.values()
    }
    parts = {b.id: layouts.parts[b.id][:3] for b in page.document.blocks if b.id in layouts.parts}
    files = []
    for item in layout.items:
        if isinstance(item, Image):
            stat = os.stat(item.path)
            files.append([item.path, stat.st_size, stat.st_mtime_ns])
    layout_file = page.document.layout.source
    blob = json.dumps(
        [
            data,
            stories,
            {k: list(map(str, v)) for k, v in parts.items()},
            sorted(page.document.meta.fields().items()),
            [[ad.id, str(ad.frame), ad.file] for ad in edition.ads if ad.page == page.id],
            files,
            hashlib.sha256(Path(layout_file).read_bytes()).hexdigest() if layout_file else "",
            [f.sha256 for f in layout.fonts],
            [options.proof, options.pdfx, str(options.profile or "")],
            _version(),
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _version() -> str:
    try:
        return metadata.version("pasteup")
    except metadata.PackageNotFoundError:
        return "dev"


# -- the work each process does -----------------------------------------------------------------
_JOBS: dict[int, tuple] = {}  # set before the workers fork; they inherit it


def _write(index: int) -> tuple[int, int, str]:
    kind, layout, path, payload = _JOBS[index]
    from app.export.output import write_atomically

    if kind == "print":
        from app.export.print_pdf import export_print_pdf

        data = export_print_pdf(layout, payload)
    else:
        document, settings = payload
        data = proof_pdf(document, layout, settings, str(path))
    write_atomically(path, data)
    return index, len(data), hashlib.sha256(data).hexdigest()


def _run(jobs: dict[int, tuple], workers: int) -> dict[int, tuple[int, str]]:
    _JOBS.clear()
    _JOBS.update(jobs)
    try:
        if workers <= 1 or len(jobs) <= 1:
            results = [_write(i) for i in jobs]
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
                results = list(pool.map(_write, jobs, chunksize=max(1, len(jobs) // workers)))
    finally:
        _JOBS.clear()
    return {index: (size, digest) for index, size, digest in results}


# -- the delivery -----------------------------------------------------------------------------
def deliver(
    edition: Edition,
    layouts: EditionLayout,
    outdir: Path,
    options: DeliveryOptions = DEFAULT_DELIVERY,
    findings: dict[str, tuple[Finding, ...]] | None = None,
) -> list[Delivered]:
    """Write the pages of `layouts` to `outdir` and the manifest; returns its entries.

    `findings` are each page's preflight findings (page id → findings); a page with errors is
    refused unless `options.force`, and a print page in NEVER_PRINTED is refused even then;
    a finding in UNUSABLE stops the delivery, nothing written.
    """
    findings = findings or {}
    for page_id in layouts.ids:
        for finding in findings.get(page_id, ()):
            if finding.code in UNUSABLE:
                from app.export.preflight import describe

                page = edition.page(page_id)
                raise PasteupError(f"{page.document.path}: {describe(finding)}")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PasteupError(
            f"{outdir}: 无法建立输出目录 (cannot make the output folder): {error.strerror}"
        ) from None
    previous = _previous(outdir)
    kind = "proof" if options.proof else "print"
    pattern = options.pattern or (PROOF_PATTERN if options.proof else PRINT_PATTERN)
    entries: list[Delivered] = []
    jobs: dict[int, tuple] = {}
    for index, (page_id, layout) in enumerate(zip(layouts.ids, layouts.pages, strict=True)):
        page = edition.page(page_id)
        name = file_name(edition, page, pattern)
        found = _counted(findings.get(page_id, ()), options)
        errors = sum(1 for f in found if f.severity == "error")
        warnings = sum(1 for f in found if f.severity == "warning")
        digest = input_hash(edition, page, layout, layouts, options)
        entry = Delivered(
            page.id, page.number, page.name, name, "written", 0, "", _pdfx(options), page.color,
            errors, warnings, digest,
        )  # fmt: skip
        if refusals(found, options):
            entries.append(entry._replace(state="refused"))
            continue
        old = previous.get((kind, page.id))
        if old and _unchanged(outdir / name, old, digest) and kind == "print":
            entries.append(
                entry._replace(state="unchanged", size=old["size"], sha256=old["sha256"])
            )
            continue
        if options.proof:
            payload: object = (page.document, options.proof_settings)
        else:
            payload = print_options(page.document, pdfx=options.pdfx, profile=options.profile)
        jobs[index] = (kind, layout, outdir / name, payload)
        entries.append(entry)
    written = _run(jobs, options.jobs or os.cpu_count() or 1)
    for index, (size, sha) in written.items():
        position = next(i for i, e in enumerate(entries) if e.id == layouts.ids[index])
        entries[position] = entries[position]._replace(size=size, sha256=sha)
    if options.proof:  # each proof starts its page's next round (the caller saves the pages)
        from app.proof.rounds import start_round

        for index in written:
            page = edition.page(layouts.ids[index])
            number = start_round(page.document, layouts.pages[index]).number
            position = next(i for i, e in enumerate(entries) if e.id == page.id)
            entries[position] = entries[position]._replace(proof_round=number)
    write_manifest(edition, outdir, kind, entries, previous)
    return entries


def refusals(found: Iterable[Finding], options: DeliveryOptions) -> list[Finding]:
    """The findings that keep a page out of the delivery (none: it is written): its errors
    unless `options.force`, and on a print page whatever NEVER_PRINTED names — and, in a
    PDF/X-1a file, an ad only PDF/X-4 allows (a warning otherwise) — whatever --force says."""
    never = NEVER_PRINTED | (PDFX4_ONLY if options.pdfx == "1a" and not options.proof else set())
    return [
        f
        for f in _counted(found, options)
        if f.code in never or (f.severity == "error" and not options.force)
    ]


def _counted(found: Iterable[Finding], options: DeliveryOptions) -> tuple[Finding, ...]:
    """The findings that count on the page delivered: a proof shows a placeholder (crossed and
    marked) and a refused ad, so those are no proof's problem."""
    if options.proof:
        return tuple(f for f in found if f.code not in NEVER_PRINTED)
    return tuple(found)


def _pdfx(options: DeliveryOptions) -> str:
    return "proof (RGB)" if options.proof else f"PDF/X-{options.pdfx}"


def _unchanged(path: Path, old: dict, digest: str) -> bool:
    if old.get("input_hash") != digest or not path.is_file():
        return False
    return path.stat().st_size == old.get("size")


def _previous(outdir: Path) -> dict[tuple[str, str], dict]:
    """The last manifest's entries by (kind, page id); a damaged manifest counts as none."""
    try:
        data = json.loads((outdir / MANIFEST).read_text("utf-8"))
        return {(data["kind"], e["id"]): e for e in data["pages"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(
    edition: Edition, outdir: Path, kind: str, entries: list[Delivered], previous: dict
) -> None:
    """manifest.json for machines and manifest.txt for people; pages not in this delivery
    keep their earlier lines."""
    from app.export.output import write_atomically

    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    listed = {e.id for e in entries}
    order = {page.id: i for i, page in enumerate(edition.pages)}
    kept = [e for (k, pid), e in previous.items() if k == kind and pid not in listed]
    rows = [_entry_json(e) for e in entries] + kept
    rows.sort(key=lambda e: order.get(e["id"], len(order)))
    data = {
        "paper": edition.paper,
        "date": edition.date,
        "issue": edition.issue,
        "kind": kind,
        "written_at": now,
        "pages": rows,
    }
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    write_atomically(outdir / MANIFEST, text.encode())
    lines = [f"{edition.paper} {edition.date} {edition.issue} — {kind} ({now})"]
    for row in rows:
        lines.append(
            f"第{row['page']}版 {row['name']}\t{row['file']}\t{row['size']} B\t{row['sha256']}\t"
            f"{row['pdfx']}\t{'彩色' if row['color'] else '黑白'}\t"
            f"预检 {row['preflight']['errors']} 错 {row['preflight']['warnings']} 警\t{row['state']}"
        )
    write_atomically(outdir / "manifest.txt", ("\n".join(lines) + "\n").encode())


def _entry_json(entry: Delivered) -> dict:
    return {
        "page": entry.number,
        "id": entry.id,
        "name": entry.name,
        "file": entry.file,
        "state": entry.state,
        "size": entry.size,
        "sha256": entry.sha256,
        "pdfx": entry.pdfx,
        "color": entry.color,
        "preflight": {"errors": entry.errors, "warnings": entry.warnings},
        "input_hash": entry.input_hash,
        **({"proof_round": entry.proof_round} if entry.proof_round else {}),
    }
