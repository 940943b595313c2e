"""An ad as agencies deliver it: a one-page PDF (PDF/X-1a or PDF/X-4) sized to the booked slot.

`read_ad_pdf` opens the file with pikepdf within bounds (a regular file of at most
`MAX_AD_BYTES`, at most `MAX_AD_OBJECTS` objects reached from the page, content streams decoded
to at most `MAX_AD_CONTENT_BYTES` in all) and returns what placing and preflight need: the
trim box's size (else the MediaBox's) as the page shows it, and what would break PDF/X on the
plate — RGB colour, fonts not embedded, features PDF/X forbids, features only PDF/X-4 allows.
A file that is not such a PDF (damaged, encrypted, not one page, a box of no size) is one
`PasteupError` naming the file. `open_ad_form` gives the writer the page as a Form XObject and
every object it reaches, walked the same way.
"""

from __future__ import annotations

import base64
import binascii
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
from app.model.files import open_regular
from app.model.limits import (
    MAX_AD_BYTES,
    MAX_AD_CONTENT_BYTES,
    MAX_AD_OBJECTS,
    MAX_LENGTH_PT,
    shown,
)

if TYPE_CHECKING:
    import pikepdf

PDF_MAGIC = b"%PDF-"
HEADER_WINDOW = 1024  # readers accept the header anywhere in the first 1,024 bytes
# The families that are RGB whatever the output intent: PDF/X forbids them with a CMYK intent.
RGB_SPACES = frozenset({"/DeviceRGB", "/CalRGB", "/Lab", "/RGB"})
# An upper bound of bytes out per byte in for each filter (Flate's is zlib's 1032:1, LZW's
# 4,096 bytes per 9-bit code); a stream whose bound stays under the limit is decoded safely.
_RATIO = {
    "/ASCIIHexDecode": 0.5,
    "/ASCII85Decode": 0.8,
    "/FlateDecode": 1032,
    "/RunLengthDecode": 64,
    "/LZWDecode": 3641,
}
_DELIMITED = rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}/%])(?:rg|RG|/DeviceRGB|/CalRGB|/Lab|/RGB)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
_RGB_TOKEN = re.compile(_DELIMITED)
_SPACE_KEYS = frozenset({"/ColorSpace", "/CS"})
_FONT_FILES = frozenset({"/FontFile", "/FontFile2", "/FontFile3"})
_SIMPLE_FONTS = frozenset({"/Type1", "/MMType1", "/TrueType", "/CIDFontType0", "/CIDFontType2"})
_STATE_KEYS = frozenset({"/TR", "/TR2", "/HT", "/SMask", "/CA", "/ca", "/BM", "/Group"})
_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm"})
MAX_DEPTH = 64  # arrays and dictionaries inside one another (the writer recurses through them)
_CONFIRM_LIMIT = 20_000  # candidate tokens confirmed by parsing; more than this are RGB colour


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
    facts = _Facts(name)
    contents = page.obj.get("/Contents")
    for stream in contents if isinstance(contents, _pikepdf().Array) else [contents]:
        if stream is not None:
            facts.content(pdf, stream)
    objects = facts.walk(pdf, page.obj)  # bounded before pikepdf copies anything
    form = page.as_form_xobject()
    width, height = _shown_size(form, name)
    if warnings := pdf.get_warnings():  # qpdf repaired it: what it made of it is a guess
        raise damaged(name, ValueError(warnings[0]))
    ad = AdPdf(path, digest, width, height, *facts.found())
    return AdForm(ad, form, objects)


def _pikepdf():
    """pikepdf, imported when an ad is read (composing a page without one never loads it)."""
    import pikepdf

    return pikepdf


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


class _Facts:
    """What the walk over the ad's objects finds, and the bounds it keeps."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rgb: set[str] = set()
        self.fonts: set[str] = set()
        self.forbidden: set[str] = set()
        self.x4_only: set[str] = set()
        self.decoded = 0  # content bytes decoded so far
        self.forms = _FormCycles(name)

    def found(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(sorted(s)) for s in (self.rgb, self.fonts, self.forbidden, self.x4_only))

    def walk(self, pdf: pikepdf.Pdf, page: pikepdf.Object) -> tuple[Any, ...]:
        """Every indirect object the page's form will reach — through its resources (pikepdf
        puts inherited ones on the page) and its group —, each once, in a fixed order, each
        dictionary checked on the way; a form that draws itself, or a reference back to the
        document's pages, is refused."""
        pikepdf = _pikepdf()
        order: list[Any] = []
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Any, str, int]] = [
            (page.get(key), key, 0) for key in ("/Group", "/Resources") if key in page
        ]
        nodes = 0
        while stack:
            obj, key, depth = stack.pop()
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
                continue
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
                order.append(obj)
                depth = 0  # the writer refers to an indirect object: its nesting starts anew
            nodes += 1
            if len(order) > MAX_AD_OBJECTS or nodes > 4 * MAX_AD_OBJECTS or depth > MAX_DEPTH:
                raise PasteupError(
                    f"{self.name}: 广告 PDF 结构过于复杂 (over {MAX_AD_OBJECTS:,} objects "
                    f"or nested over {MAX_DEPTH} deep)"
                )
            entries = len(obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj)
            if entries > 4 * MAX_AD_OBJECTS:  # an array or dictionary pikepdf would list
                raise PasteupError(f"{self.name}: 广告 PDF 对象过大 ({entries:,} entries)")
            if isinstance(obj, pikepdf.Array):
                stack.extend((obj[i], key, depth + 1) for i in reversed(range(len(obj))))
                continue
            keys = set(obj.keys())
            self._dictionary(pdf, obj, key, keys)
            stack.extend((obj.get(child), child, depth + 1) for child in sorted(keys, reverse=True))
        self.forms.check()
        return tuple(order)

    def _dictionary(self, pdf: pikepdf.Pdf, obj, key: str, keys: set[str]) -> None:
        """The checks of one dictionary or stream; a key is read only when it is there (a
        hostile file reaches the object limit in well under a second)."""
        pikepdf = _pikepdf()
        kind = str(obj.get("/Type")) if "/Type" in keys else ""
        subtype = str(obj.get("/Subtype")) if "/Subtype" in keys else ""
        if kind in ("/Page", "/Pages", "/Catalog"):
            raise PasteupError(
                f"{self.name}: 广告 PDF 的资源指向页面 (its resources refer to a page)"
            )
        if kind in ("/OCG", "/OCMD") or "/OC" in keys:  # our file has no OCProperties to list them
            self.forbidden.add("optional content (layers)")
        if key in ("/ColorSpace", "/CS"):
            self._colour(obj)
        for name in _SPACE_KEYS & keys:
            space = obj.get(name)
            if not isinstance(space, pikepdf.Dictionary):
                self._colour(space)
        if kind == "/FontDescriptor" and not _FONT_FILES & keys:
            self.fonts.add(str(obj.get("/FontName", "?")).lstrip("/"))
        if kind == "/Font" and subtype in _SIMPLE_FONTS and "/FontDescriptor" not in keys:
            self.fonts.add(str(obj.get("/BaseFont", "?")).lstrip("/"))
        if _STATE_KEYS & keys:
            self._graphics_state(obj, keys)
        if subtype == "/PS" or ("/Subtype2" in keys and str(obj.get("/Subtype2")) == "/PS"):
            self.forbidden.add("PostScript")
        if "/OPI" in keys:
            self.forbidden.add("OPI")
        if "/JS" in keys or ("/S" in keys and str(obj.get("/S")) in _ACTIONS):
            self.forbidden.add("JavaScript/actions")
        if isinstance(obj, pikepdf.Stream):
            if subtype == "/Form":
                self.forms.add(obj)
            self._stream(pdf, obj, subtype, keys)
        if key == "/CharProcs":
            for proc in obj.values():
                if isinstance(proc, pikepdf.Stream):
                    self.content(pdf, proc)

    def _graphics_state(self, obj, keys: set[str]) -> None:
        for name in ("/TR", "/TR2"):
            if name in keys and str(obj.get(name)) != "/Default":
                self.forbidden.add("transfer function")
        if "/HT" in keys and str(obj.get("/Type", "")) == "/ExtGState":
            self.forbidden.add("halftone")
        if "/SMask" in keys and str(obj.get("/SMask")) != "/None":
            self.x4_only.add("transparency")
        for name in ("/CA", "/ca"):
            if name in keys and _number(obj.get(name), 1.0) < 1:
                self.x4_only.add("transparency")
        if "/BM" in keys and str(obj.get("/BM")) not in ("/Normal", "/Compatible"):
            self.x4_only.add("transparency")
        group = obj.get("/Group") if "/Group" in keys else None
        if isinstance(group, _pikepdf().Dictionary) and str(group.get("/S", "")) == "/Transparency":
            self.x4_only.add("transparency")

    def _stream(self, pdf: pikepdf.Pdf, stream, subtype: str, keys: set[str]) -> None:
        if "/F" in keys:
            self.forbidden.add("external stream data")
        filters = _filters(stream) if "/Filter" in keys else []
        if "/LZWDecode" in filters:
            self.x4_only.add("LZW")
        if "/JPXDecode" in filters:
            self.x4_only.add("JPEG 2000")
        if subtype == "/Image" and "/Alternates" in keys:
            self.forbidden.add("image alternates")
        if subtype == "/Form" or ("/PatternType" in keys and stream.get("/PatternType") == 1):
            self.content(pdf, stream)

    def _colour(self, space) -> None:
        pikepdf = _pikepdf()
        if isinstance(space, pikepdf.Dictionary) and not isinstance(space, pikepdf.Stream):
            for value in space.values():  # a resource dictionary of named spaces
                self._colour(value)
            return
        is_array = isinstance(space, pikepdf.Array)
        family = str(space[0]) if is_array and len(space) else str(space)
        if family in RGB_SPACES:
            self.rgb.add(family.lstrip("/"))
        elif family == "/ICCBased" and is_array and len(space) > 1:
            if int(space[1].get("/N", 0)) == 3:
                self.rgb.add("ICC RGB")
            else:
                self.x4_only.add("ICC colour")
        elif family in ("/Separation", "/DeviceN") and is_array and len(space) > 2:
            self._colour(space[2])
        elif family == "/Indexed" and is_array and len(space) > 1:
            self._colour(space[1])

    def content(self, pdf: pikepdf.Pdf, stream) -> None:
        """A content stream decoded within the bounds, its RGB operators found."""
        pikepdf = _pikepdf()
        if not isinstance(stream, pikepdf.Stream):
            raise PasteupError(f"{self.name}: 页面内容不是数据流 (page content is not a stream)")
        data = _decoded(stream, MAX_AD_CONTENT_BYTES - self.decoded, self.name)
        self.decoded += len(data)
        candidates = sum(1 for _ in _RGB_TOKEN.finditer(data))
        if not candidates:
            return
        if candidates > _CONFIRM_LIMIT:
            self.rgb.add("rg")
            return
        scratch = pikepdf.Stream(pdf, data)
        for instruction in pikepdf.parse_content_stream(scratch, "rg RG cs CS BI ID EI"):
            operands, op = instruction.operands, str(instruction.operator)
            if op in ("rg", "RG"):
                self.rgb.add(op)
            elif op in ("cs", "CS") and operands and str(operands[0]) in RGB_SPACES:
                self.rgb.add(str(operands[0]).lstrip("/"))
            elif isinstance(instruction, pikepdf.ContentStreamInlineImage):
                space = instruction.iimage.obj.get("/ColorSpace")  # abbreviations expanded
                if space is not None:
                    self._colour(space)


class _FormCycles:
    """Forms that draw, through their resources, themselves (a renderer would never stop)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.forms: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def add(self, form) -> None:
        pikepdf = _pikepdf()
        uses = []
        xobjects = form.get("/Resources", {}).get("/XObject", {})
        for value in xobjects.values() if isinstance(xobjects, pikepdf.Dictionary) else ():
            if isinstance(value, pikepdf.Stream) and value.is_indirect:
                uses.append(value.objgen)
        if form.is_indirect:
            self.forms[form.objgen] = uses

    def check(self) -> None:
        state: dict[tuple[int, int], int] = {}  # 1 on the path, 2 done
        for start in self.forms:
            stack = [(start, iter(self.forms[start]))]
            if state.get(start):
                continue
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    raise PasteupError(
                        f"{self.name}: 广告 PDF 的图形自我引用 (a form draws itself)"
                    )
                elif child in self.forms and not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(self.forms[child])))


def _number(value, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def _filters(stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, _pikepdf().Array):
        return [str(v) for v in value]
    return [str(value)]


def _decoded(stream, budget: int, name: str) -> bytes:
    """The stream's data decoded, refused past `budget` bytes without ever holding more:
    ASCII filters then one Flate are decoded here with a cap; other chains only when the
    bound of their ratios keeps them under it."""
    too_big = PasteupError(
        f"{name}: 广告 PDF 内容过大 (page content over {MAX_AD_CONTENT_BYTES:,} bytes decoded)"
    )
    filters = _filters(stream)
    raw = stream.read_raw_bytes()
    bound = float(len(raw))
    for f in filters:
        bound *= _RATIO.get(f, float("inf"))
    if bound <= budget:
        return stream.read_bytes() if filters else raw
    ascii_steps = 0
    data = raw
    for f in filters:
        if f == "/ASCIIHexDecode":
            data = binascii.unhexlify(re.sub(rb"\s", b"", data.split(b">")[0]).ljust(2, b"0"))
        elif f == "/ASCII85Decode":
            data = base64.a85decode(data.strip().removesuffix(b"~>"), ignorechars=b" \t\n\r\x0c")
        else:
            break
        ascii_steps += 1
    rest = filters[ascii_steps:]
    if rest != ["/FlateDecode"] or "/DecodeParms" in stream:
        raise too_big
    inflate = zlib.decompressobj()
    data = inflate.decompress(data, budget + 1)
    if len(data) > budget or inflate.unconsumed_tail:
        raise too_big
    return data


if __name__ == "__main__":
    sys.exit(_vet_main(sys.argv[1:]))
