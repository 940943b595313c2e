"""A PDF/X rule check of our own, independent of the writer: the file is read with pikepdf
and held to the published requirements of PDF/X-1a:2001 (ISO 15930-1) and PDF/X-4
(ISO 15930-7), as prepress preflight tools check them. `violations(path)` lists every broken
rule as one line; `assert_pdfx(path)` fails a test on any.

Rules (by clause of the requirements they come from):
  identification  Info /GTS_PDFXVersion; X-1a also /GTS_PDFXConformance; header version ≤ the
                  level's (1.3 / 1.6); /Title non-empty; /CreationDate and /ModDate valid PDF
                  dates; /Trapped /True or /False; a trailer /ID of two strings; not encrypted.
  output intent   exactly one /GTS_PDFX output intent with an /OutputConditionIdentifier; its
                  /DestOutputProfile an ICC output ("prtr") profile whose colour space has /N
                  components; "Custom" (unregistered) conditions carry no /RegistryName, and
                  registered ones name their registry.
  page boxes      a /TrimBox (or /ArtBox, not both) on every page, inside the /BleedBox,
                  which lies inside the /MediaBox.
  fonts           every font used is embedded (FontFile, FontFile2 or FontFile3).
  colour          no device colour space other than the intent's family: with a CMYK intent,
                  no DeviceRGB/CalRGB/Lab in content, images or resources; X-1a also no
                  ICCBased spaces.
  graphics state  no transfer functions (/TR, /TR2 other than /Default), no halftones (/HT).
                  X-1a: no transparency (/SMask other than /None, /CA or /ca below 1, blend
                  modes other than Normal/Compatible, image /SMask).
  forbidden       PostScript XObjects and /PS operators, /OPI, image /Alternates, actions
                  and JavaScript, annotations other than /PrinterMark or /TrapNet inside the
                  BleedBox, LZW in X-1a.
  X-4 metadata    an XMP packet (not filtered) naming pdfxid:GTS_PDFXVersion as Info does,
                  with xmpMM:DocumentID, xmpMM:VersionID and xmpMM:RenditionClass, and the
                  Info entries mirrored: Title ↔ dc:title, Author ↔ dc:creator, Subject ↔
                  dc:description, Creator ↔ xmp:CreatorTool, Producer ↔ pdf:Producer, Trapped ↔
                  pdf:Trapped, CreationDate ↔ xmp:CreateDate, ModDate ↔ xmp:ModifyDate.
"""

from __future__ import annotations

import re
import struct
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pikepdf

LEVELS = {"PDF/X-1:2001": ("1a", (1, 3)), "PDF/X-4": ("4", (1, 6))}
FORBIDDEN_SPACES = {"/DeviceRGB", "/CalRGB", "/Lab"}
ALLOWED_ANNOTATIONS = {"/PrinterMark", "/TrapNet"}
_PDF_DATE = re.compile(
    r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?$"
)


def assert_pdfx(path: Path) -> None:
    found = violations(path)
    assert not found, f"{path.name} breaks PDF/X rules:\n" + "\n".join(found)


def is_print_pdf(path: Path) -> bool:
    """Whether the file claims to be PDF/X (what the rules then hold it to)."""
    try:
        with pikepdf.open(path) as pdf:
            return "/GTS_PDFXVersion" in pdf.trailer.get("/Info", {})
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError):
        return False


def violations(path: Path) -> list[str]:
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        if pdf.is_encrypted:
            problems.append("encrypted")
        info = pdf.trailer.get("/Info", pikepdf.Dictionary())
        version = str(info.get("/GTS_PDFXVersion", ""))
        if version not in LEVELS:
            return [f"Info /GTS_PDFXVersion {version!r} is not a PDF/X version"]
        level, highest = LEVELS[version]
        header = tuple(int(part) for part in pdf.pdf_version.split("."))
        if header > highest:
            problems.append(f"PDF {pdf.pdf_version} is newer than {version} allows")
        if level == "1a" and str(info.get("/GTS_PDFXConformance", "")) != "PDF/X-1a:2001":
            problems.append("Info /GTS_PDFXConformance is not PDF/X-1a:2001")
        problems += _identification(pdf, info)
        problems += _output_intent(pdf)
        for number, page in enumerate(pdf.pages, 1):
            problems += [f"page {number}: {p}" for p in _page(page, level)]
        problems += _objects(pdf, level)
        if level == "4":
            problems += _metadata(pdf, info, version)
    return problems


def _identification(pdf: pikepdf.Pdf, info: pikepdf.Dictionary) -> list[str]:
    problems = []
    if not str(info.get("/Title", "")).strip():
        problems.append("Info /Title missing or empty")
    for key in ("/CreationDate", "/ModDate"):
        if parse_pdf_date(str(info.get(key, ""))) is None:
            problems.append(f"Info {key} missing or not a PDF date")
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        problems.append("Info /Trapped is not /True or /False")
    ids = pdf.trailer.get("/ID")
    if not isinstance(ids, pikepdf.Array) or len(ids) != 2:
        problems.append("trailer /ID is not two strings")
    return problems


def _output_intent(pdf: pikepdf.Pdf) -> list[str]:
    intents = [
        intent for intent in pdf.Root.get("/OutputIntents", []) if intent.get("/S") == "/GTS_PDFX"
    ]
    if len(intents) != 1:
        return [f"{len(intents)} GTS_PDFX output intents (exactly one needed)"]
    intent = intents[0]
    problems = []
    identifier = str(intent.get("/OutputConditionIdentifier", ""))
    if not identifier:
        problems.append("output intent without /OutputConditionIdentifier")
    registry = str(intent.get("/RegistryName", ""))
    if identifier == "Custom" and registry:
        problems.append("a Custom output condition names a registry")
    if identifier not in ("", "Custom") and not registry and "/DestOutputProfile" not in intent:
        problems.append("a registered condition without /RegistryName or profile")
    profile = intent.get("/DestOutputProfile")
    if profile is None:
        problems.append("output intent without /DestOutputProfile")
        return problems
    data = profile.read_bytes()
    if len(data) < 128 or data[36:40] != b"acsp":
        return [*problems, "/DestOutputProfile is not an ICC profile"]
    (size,) = struct.unpack(">I", data[:4])
    if size != len(data):
        problems.append(f"ICC profile header says {size} bytes, stream has {len(data)}")
    if data[12:16] != b"prtr":
        problems.append(f"ICC profile class {data[12:16]!r} is not an output profile")
    channels = {b"CMYK": 4, b"RGB ": 3, b"GRAY": 1}.get(data[16:20])
    if channels is None or int(profile.get("/N", 0)) != channels:
        problems.append(f"ICC colour space {data[16:20]!r} does not match /N {profile.get('/N')}")
    if data[16:20] == b"RGB ":
        problems.append("an RGB output intent (the page is for a CMYK press)")
    return problems


def _box(page: pikepdf.Page, name: str) -> tuple[float, ...] | None:
    value = page.obj.get(name)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _inside(inner, outer, slack: float = 1e-3) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _page(page: pikepdf.Page, level: str) -> list[str]:
    problems = []
    media = _box(page, "/MediaBox")
    trim, art = _box(page, "/TrimBox"), _box(page, "/ArtBox")
    bleed = _box(page, "/BleedBox") or media
    if (trim is None) == (art is None):
        problems.append("needs a /TrimBox or an /ArtBox, not both and not neither")
    content_box = trim or art
    if media is None:
        return [*problems, "no /MediaBox"]
    if content_box is not None and not _inside(content_box, bleed):
        problems.append("TrimBox is not inside the BleedBox")
    if not _inside(bleed, media):
        problems.append("BleedBox is not inside the MediaBox")
    for annotation in page.obj.get("/Annots", []):
        subtype = str(annotation.get("/Subtype", ""))
        rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
        overlaps = not (
            rect[2] < bleed[0] or rect[0] > bleed[2] or rect[3] < bleed[1] or rect[1] > bleed[3]
        )
        if overlaps and subtype not in ALLOWED_ANNOTATIONS:
            problems.append(f"annotation {subtype} inside the BleedBox")
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    for state in resources.get("/ExtGState", pikepdf.Dictionary()).values():
        problems += sorted(_graphics_state(state, level))  # direct ones are not in pdf.objects
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "PS":
            problems.append("PostScript operator in content")
        if op in ("cs", "CS") and str(operands[0]) in FORBIDDEN_SPACES:
            problems.append(f"content selects {operands[0]}")
        if op in ("rg", "RG"):
            problems.append(f"content uses RGB colour ({op})")
    return problems


def _objects(pdf: pikepdf.Pdf, level: str) -> list[str]:
    """Rules on every object of the file, wherever it is used from."""
    problems: set[str] = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        kind = str(obj.get("/Type", ""))
        subtype = str(obj.get("/Subtype", ""))
        if "/OPI" in obj:
            problems.add("OPI comments")
        if kind == "/ExtGState" or {"/OP", "/op", "/CA", "/ca", "/BM", "/TR"} & set(obj.keys()):
            problems |= _graphics_state(obj, level)
        if subtype == "/Image":
            problems |= _image(obj, level)
        if subtype == "/PS" or str(obj.get("/Subtype2", "")) == "/PS":
            problems.add("PostScript XObject")
        if kind == "/FontDescriptor" and not {"/FontFile", "/FontFile2", "/FontFile3"} & set(
            obj.keys()
        ):
            problems.add(f"font {obj.get('/FontName')} not embedded")
        simple = ("/Type1", "/TrueType", "/CIDFontType0", "/CIDFontType2")
        if kind == "/Font" and subtype in simple and "/FontDescriptor" not in obj:
            problems.add(f"font {obj.get('/BaseFont')} has no descriptor (not embedded)")
        if "/JS" in obj or str(obj.get("/S", "")) in ("/JavaScript", "/Launch", "/SubmitForm"):
            problems.add("actions or JavaScript")
        if isinstance(obj, pikepdf.Stream) and level == "1a":
            filters = obj.get("/Filter", [])
            names = [str(f) for f in (filters if isinstance(filters, pikepdf.Array) else [filters])]
            if "/LZWDecode" in names:
                problems.add("LZW compression")
        for name in ("/ColorSpace", "/CS"):
            space = obj.get(name)
            if space is not None and kind != "/OutputIntent":
                problems |= _colour_space(space, level)
    if "/AA" in pdf.Root or ("/OpenAction" in pdf.Root and _is_action(pdf.Root.OpenAction)):
        problems.add("document actions")
    return sorted(problems)


def _is_action(value) -> bool:
    return isinstance(value, pikepdf.Dictionary) and "/S" in value


def _graphics_state(state, level: str) -> set[str]:
    problems = set()
    if "/TR" in state or str(state.get("/TR2", "/Default")) != "/Default":
        problems.add("transfer function in a graphics state")
    if "/HT" in state:
        problems.add("halftone in a graphics state")
    if level == "1a":
        if str(state.get("/SMask", "/None")) != "/None":
            problems.add("soft mask (transparency) in PDF/X-1a")
        if float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1:
            problems.add("constant alpha (transparency) in PDF/X-1a")
        if str(state.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
            problems.add("blend mode (transparency) in PDF/X-1a")
    return problems


def _image(image, level: str) -> set[str]:
    problems = set()
    if "/Alternates" in image:
        problems.add("image alternates")
    if level == "1a" and "/SMask" in image:
        problems.add("image soft mask (transparency) in PDF/X-1a")
    space = image.get("/ColorSpace")
    if space is not None:
        problems |= _colour_space(space, level)
    return problems


def _colour_space(space, level: str) -> set[str]:
    if isinstance(space, pikepdf.Dictionary):  # a resource dictionary of named spaces
        result: set[str] = set()
        for value in space.values():
            result |= _colour_space(value, level)
        return result
    family = str(space[0]) if isinstance(space, pikepdf.Array) and len(space) else str(space)
    if family in FORBIDDEN_SPACES:
        return {f"colour space {family}"}
    if family == "/ICCBased":
        if level == "1a":
            return {"ICCBased colour in PDF/X-1a"}
        if int(space[1].get("/N", 0)) == 3:
            return {"RGB ICCBased colour with a CMYK intent"}
    if family in ("/Separation", "/DeviceN") and isinstance(space, pikepdf.Array):
        return _colour_space(space[2], level)
    if family == "/Indexed" and isinstance(space, pikepdf.Array):
        return _colour_space(space[1], level)
    return set()


def _metadata(pdf: pikepdf.Pdf, info: pikepdf.Dictionary, version: str) -> list[str]:
    stream = pdf.Root.get("/Metadata")
    if stream is None:
        return ["PDF/X-4 without an XMP metadata stream"]
    problems = []
    if "/Filter" in stream:
        problems.append("XMP metadata stream is filtered")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        values = {key: xmp.get(key) for key in _XMP_KEYS}
    if values["pdfxid:GTS_PDFXVersion"] != version:
        problems.append("XMP pdfxid:GTS_PDFXVersion differs from Info")
    for key in ("xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass"):
        if not values[key]:
            problems.append(f"XMP {key} missing")
    for info_key, xmp_key in _MIRRORED.items():
        if info_key not in info:
            continue
        expected = str(info[info_key])
        found = values[xmp_key]
        if xmp_key == "dc:creator":
            found = ", ".join(found) if found else None
        if info_key == "/Trapped":
            expected = expected.lstrip("/")
        if found != expected:
            problems.append(f"Info {info_key} {expected!r} ≠ XMP {xmp_key} {found!r}")
    for info_key, xmp_key in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if parse_pdf_date(str(info.get(info_key, ""))) != _xmp_date(values[xmp_key]):
            problems.append(f"Info {info_key} ≠ XMP {xmp_key}")
    return problems


_MIRRORED = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/Trapped": "pdf:Trapped",
}
_XMP_KEYS = (
    *_MIRRORED.values(),
    "pdfxid:GTS_PDFXVersion",
    "xmpMM:DocumentID",
    "xmpMM:VersionID",
    "xmpMM:RenditionClass",
    "xmp:CreateDate",
    "xmp:ModifyDate",
)


def parse_pdf_date(text: str) -> datetime | None:
    """A PDF date string (PDF 32000-1 §7.9.4) as an aware datetime, or None."""
    match = _PDF_DATE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, _, sign, tz_hour, tz_minute = match.groups()
    offset = timedelta(0)
    if sign:
        offset = timedelta(hours=int(tz_hour), minutes=int(tz_minute or 0))
        offset = -offset if sign == "-" else offset
    return datetime(
        int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
        int(second or 0), tzinfo=timezone(offset),
    )  # fmt: skip


def _xmp_date(text) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
