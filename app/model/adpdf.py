"""An ad as agencies deliver it: a one-page PDF (PDF/X-1a or PDF/X-4) sized to the booked slot.

`read_ad_pdf` opens the file with pikepdf within bounds (a regular file of at most
`MAX_AD_BYTES`, at most `MAX_AD_OBJECTS` objects reached from the page, content streams decoded
to at most `MAX_AD_CONTENT_BYTES` in all) and returns what placing and preflight need: the
trim box's size (else the MediaBox's) as the page shows it, and what would break PDF/X on the
plate — RGB colour, fonts not embedded, features PDF/X forbids, features only PDF/X-4 allows.
A file that is not such a PDF (damaged, encrypted, not one page, a box of no size) is one
`PasteupError` naming the file. `open_ad_form` gives the writer the page as a Form XObject and
every object it reaches, walked the same way (the walk and its bounds: `app.model.adwalk`).
"""

from __future__ import annotations

import contextlib
import decimal
import hashlib
import os
import re
import subprocess
import sys
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from app.errors import PasteupError
from app.model.adwalk import Facts, load_pikepdf
from app.model.files import open_regular
from app.model.limits import (
    MAX_AD_BYTES,
    MAX_LENGTH_PT,
    shown,
)

if TYPE_CHECKING:
    import pikepdf

PDF_MAGIC = b"%PDF-"
HEADER_WINDOW = 1024  # readers accept the header anywhere in the first 1,024 bytes


class AdPdf(NamedTuple):
    """What placing and checking a PDF ad need (a named tuple, like the layout's records)."""

    path: str
    digest: str  # SHA-256 of the file: names its objects in our PDFs and its screen preview
    width: float  # the trim box (else MediaBox) as the page shows it (rotation applied), pt
    height: float
    rgb: tuple[str, ...]  # RGB colour found: colour spaces and operators, by name
    fonts: tuple[str, ...]  # fonts used and not embedded
    forbidden: tuple[str, ...]  # what PDF/X forbids at every level (PostScript, halftones …)
    x4_only: tuple[str, ...]  # what PDF/X-4 allows and PDF/X-1a does not (transparency, ICC …)


class AdForm(NamedTuple):
    """The ad's page as a Form XObject, for the writer; valid while `open_ad_form` is open."""

    ad: AdPdf
    form: Any  # pikepdf.Stream: the page as a form, its /BBox the trim box
    objects: tuple[Any, ...]  # every indirect object the form reaches, in a fixed order


def is_pdf(path: Path | str) -> bool:
    """Whether the ad is a PDF: by its name (so a damaged one is reported as a PDF), else by
    its first bytes (False for what cannot be read: reading it as a picture reports that)."""
    if Path(path).suffix.lower() == ".pdf":
        return True
    try:
        with open_regular(path) as stream:
            return PDF_MAGIC in stream.read(HEADER_WINDOW)
    except (PasteupError, OSError):
        return False


_facts: OrderedDict[tuple[str, int, int], AdPdf] = OrderedDict()
_lock = threading.Lock()
CACHE_SIZE = 32


def read_ad_pdf(path: Path | str) -> AdPdf:
    """The ad's facts (cached while the file's size and time stay the same); PasteupError
    naming the file when it is not a one-page, unencrypted, readable PDF."""
    try:
        stat = os.stat(path)
        key = (str(path), stat.st_size, stat.st_mtime_ns)
    except (OSError, ValueError):
        key = None
    if key is not None:
        with _lock:
            if key in _facts:
                _facts.move_to_end(key)
                return _facts[key]
    with open_ad_form(path) as opened:
        ad = opened.ad
    if key is not None:
        with _lock:
            _facts[key] = ad
            while len(_facts) > CACHE_SIZE:
                _facts.popitem(last=False)
    return ad


@contextlib.contextmanager
def open_ad_form(path: Path | str, vet: bool = True) -> Iterator[AdForm]:
    """The ad opened, checked and turned into a form; closed on leaving the block. A file is
    first read once in a child process held to `VET_MEMORY` and `VET_SECONDS` (`_vet`): qpdf
    builds a whole object when it is first touched, and a few megabytes of one array can
    cost it gigabytes before any check of ours sees the array (files over `VET_ABOVE`)."""
    import pikepdf

    name = shown(str(path), 200)
    with open_regular(path) as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > MAX_AD_BYTES:
            raise PasteupError(
                f"{name}: 文件过大 (file too large): over the limit of {MAX_AD_BYTES:,} bytes"
            )
        digest = _digest(stream, name)
        if vet and size > VET_ABOVE:
            _vet(path, name, digest)
        stream.seek(0)
        damage = damage_errors()
        try:
            pdf = pikepdf.open(stream)
        except pikepdf.PasswordError:
            raise PasteupError(f"{name}: 广告 PDF 已加密 (the ad PDF is encrypted)") from None
        except damage as error:
            raise damaged(name, error) from None
        with pdf:
            try:
                opened = _inspect(pdf, str(path), digest)
            except damage as error:
                raise damaged(name, error) from None
            yield opened


VET_MEMORY = 256 * 1024 * 1024  # address space of the child that reads a new ad first
# A smaller file is read here: at ~75 bytes of qpdf's memory per byte of object syntax at worst
# (one array of small numbers), 2 MiB cannot cost it more than ~150 MB.
VET_ABOVE = 2 * 1024 * 1024
VET_SECONDS = 20
_vetted: set[str] = set()  # digests of the ads this process has seen read within bounds


def _vet(path: Path | str, name: str, digest: str) -> None:
    """Read the ad in a child process within bounds (once per content per process); its one
    line if it fails there, or a line saying the bounds were hit."""
    if digest in _vetted:
        return
    command = [sys.executable, "-m", "app.model.adpdf", str(path)]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=VET_SECONDS, preexec_fn=_cap_memory, check=False
        )
    except subprocess.TimeoutExpired:
        raise PasteupError(
            f"{name}: 广告 PDF 读取超时 (reading it took over {VET_SECONDS} s)"
        ) from None
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode == 2 and lines:
        raise PasteupError(lines[-1].removeprefix("pasteup: "))
    if done.returncode != 0:
        raise PasteupError(
            f"{name}: 广告 PDF 过于复杂 (reading it needs over {VET_MEMORY >> 20} MiB or failed: "
            f"exit {done.returncode})"
        )
    if done.stdout.decode().strip() != digest:
        raise PasteupError(f"{name}: 文件在读取时被改动 (the file changed while it was read)")
    _vetted.add(digest)


def _cap_memory() -> None:
    """In the child: address space at most VET_MEMORY (or the parent's own hard limit)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = VET_MEMORY if hard == resource.RLIM_INFINITY else min(VET_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _vet_main(argv: list[str]) -> int:
    """The child's side of `_vet`: read the ad in full, print its digest; exit 2 with one
    line when it is not a sound ad, 3 when memory ran out."""
    try:
        with open_ad_form(argv[0], vet=False) as opened:
            print(opened.ad.digest)
    except PasteupError as error:
        print(error, file=sys.stderr)
        return 2
    except MemoryError:
        return 3
    return 0


# What the walk raises on a damaged file, besides pikepdf.PdfError.
_DAMAGE: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RuntimeError,
    RecursionError,
    OverflowError,
    decimal.InvalidOperation,
    zlib.error,
)


def damage_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged PDF raises: pikepdf's errors and what a malformed object does to
    the code walking it."""
    import pikepdf

    return (pikepdf.PdfError, *_DAMAGE)


def damaged(name: str, error: BaseException) -> PasteupError:
    """The one line for a PDF that cannot be read."""
    reason = re.sub(r"^stream <[^>]*>:?\s*", "", " ".join(str(error).split()))
    return PasteupError(
        f"{name}: 不是完好的 PDF (not a readable PDF): {reason[:160] or type(error).__name__}"
    )


def _digest(stream, name: str) -> str:
    if PDF_MAGIC not in stream.read(HEADER_WINDOW):
        raise PasteupError(f"{name}: 不是 PDF 文件 (not a PDF file)")
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _inspect(pdf: pikepdf.Pdf, path: str, digest: str) -> AdForm:
    name = shown(path, 200)
    if pdf.is_encrypted:
        raise PasteupError(f"{name}: 广告 PDF 已加密 (the ad PDF is encrypted)")
    count = len(pdf.pages)
    if count != 1:
        raise PasteupError(
            f"{name}: 广告 PDF 应为单页，此文件 {count} 页 (an ad is one page, not {count})"
        )
    page = pdf.pages[0]
    facts = Facts(name)
    contents = page.obj.get("/Contents")
    for stream in contents if isinstance(contents, load_pikepdf().Array) else [contents]:
        if stream is not None:
            facts.content(pdf, stream)
    objects = facts.walk(pdf, page.obj)  # bounded before pikepdf copies anything
    form = page.as_form_xobject()
    width, height = _shown_size(form, name)
    if warnings := pdf.get_warnings():  # qpdf repaired it: what it made of it is a guess
        raise damaged(name, ValueError(warnings[0]))
    ad = AdPdf(path, digest, width, height, *facts.found())
    return AdForm(ad, form, objects)


def _shown_size(form: pikepdf.Object, name: str) -> tuple[float, float]:
    """The size of the form's box as drawn: the page's trim box, rotated and scaled."""
    try:
        left, bottom, right, top = shown_box(form)
    except (TypeError, ValueError):
        raise PasteupError(
            f"{name}: 广告页面没有有效的页面框 (the page has no valid TrimBox/MediaBox)"
        ) from None
    width, height = right - left, top - bottom
    if not (0 < width <= MAX_LENGTH_PT and 0 < height <= MAX_LENGTH_PT):
        raise PasteupError(
            f"{name}: 广告页面大小无效 (the ad's page size {width:.1f} × {height:.1f} pt is not "
            f"between 0 and {MAX_LENGTH_PT:.0f} pt)"
        )
    return width, height


def shown_box(form) -> tuple[float, float, float, float]:
    """The form's /BBox (the page's trim box) through its /Matrix (/Rotate, /UserUnit), pt:
    left, bottom, right, top. The writer moves its lower-left corner to the slot's."""
    box = [float(v) for v in form.get("/BBox", [])]
    a, b, c, d, e, f = (float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    if len(box) != 4:
        raise ValueError("no /BBox")
    corners = [(x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


if __name__ == "__main__":
    sys.exit(_vet_main(sys.argv[1:]))
