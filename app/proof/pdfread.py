"""Reading a proof PDF back: its embedded text map and every annotation a viewer added.

pikepdf (qpdf) resolves incremental updates, object streams and cross-reference
streams, so a file another viewer re-saved reads like the original. Each annotation
becomes a `PdfAnnotation` in PDF user space; one that is malformed (no /Rect, broken
/QuadPoints, a field of the wrong type) becomes a `Problem` instead and the rest still
import. Popups and non-markup annotations (links, widgets …) are skipped on purpose.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from app.compose.textmap import TEXTMAP_FILENAME
from app.errors import PasteupError
from app.proof.limits import MAX_ANNOTATIONS, MAX_TEXTMAP_BYTES, TooLarge, stream_bytes
from app.proof.pdfvalues import (
    BadValue,
    name_field,
    name_text,
    number_list,
    pdf_date,
    rect_field,
    rich_text_field,
    text_field,
)

# Annotations that carry no proofreading meaning: interactive or printing machinery.
IGNORED_SUBTYPES = frozenset(
    {"Popup", "Link", "Widget", "PrinterMark", "TrapNet", "Watermark", "Screen", "Movie",
     "3D", "RichMedia", "Projection"}
)  # fmt: skip

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space, x0 ≤ x1, y0 ≤ y1


@dataclass(frozen=True, slots=True)
class PdfAnnotation:
    """One annotation as the viewer wrote it, in PDF user space (points, y up)."""

    id: str  # within this file, for /IRT links (a correction's own id: importer._identity)
    subtype: str
    page: int  # 1-based
    author: str  # /T
    contents: str  # /Contents, else the plain text of /RC
    subject: str  # /Subj
    created: str  # ISO 8601 or the raw string or ""
    modified: str
    rect: Box
    quads: tuple[Box, ...]  # bounding box of each quad, whatever its corner order
    points: tuple[tuple[float, float], ...]  # Line/Ink/Polygon vertices, FreeText callout
    in_reply_to: str  # id of the parent annotation or ""
    reply_type: str  # "R" (reply) or "Group"
    intent: str  # /IT, e.g. "Replace", "StrikeOutTextEdit"
    state: str  # /State of a state reply, e.g. "Accepted"
    state_model: str  # /StateModel, "Review" or "Marked"
    symbol: str  # /Sy of a Caret: "P" = new paragraph, "None"
    name: str = ""  # /NM as written


@dataclass(frozen=True, slots=True)
class Problem:
    """An annotation that could not be read, said so the user can find it in the viewer."""

    page: int
    where: str  # subtype and object number, e.g. "StrikeOut 12 0 R"
    message: str


@dataclass(frozen=True, slots=True)
class ProofFile:
    annotations: tuple[PdfAnnotation, ...]
    problems: tuple[Problem, ...]
    textmap: bytes | None  # the embedded pasteup-textmap.json, or None
    trim_boxes: tuple[Box | None, ...]  # /TrimBox of each page as the file has it now
    page_count: int


def read_proof_pdf(source: Path | bytes, name: str = "") -> ProofFile:
    """Read annotations and the embedded text map; a file that is not a PDF is a PasteupError."""
    label = name or str(source)
    try:
        pdf = pikepdf.open(source if isinstance(source, Path) else _as_stream(source))
    except pikepdf.PasswordError:
        raise PasteupError(
            f"{label}: 校样已加密，需要密码 (the proof is encrypted with a password)"
        ) from None
    except (pikepdf.PdfError, OSError, ValueError) as error:
        reason = re.sub(
            r"^(stream )?<[^>]*>: |^[^:]*\.pdf: ", "", str(error)
        )  # qpdf names its input
        raise PasteupError(f"{label}: 无法读取 PDF (cannot read PDF): {reason}") from None
    with pdf:
        try:
            textmap = _find_textmap(pdf)
        except TooLarge as error:
            raise PasteupError(f"{label}: 内嵌文本映射 (embedded text map): {error}") from None
        annotations: list[PdfAnnotation] = []
        problems: list[Problem] = []
        trim_boxes: list[Box | None] = []
        for number, page in enumerate(pdf.pages, start=1):
            trim_boxes.append(_page_box(page.obj, "/TrimBox"))
            read, bad = _read_page(page.obj, number, MAX_ANNOTATIONS - len(annotations))
            annotations.extend(read)
            problems.extend(bad)
        return ProofFile(tuple(annotations), tuple(problems), textmap, tuple(trim_boxes),
                         len(pdf.pages))  # fmt: skip


def _as_stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _find_textmap(pdf: pikepdf.Pdf) -> bytes | None:
    """The text map from the document's embedded files (a FileAttachment annotation is a fallback)."""
    try:
        for key, spec in pdf.attachments.items():
            if TEXTMAP_FILENAME in (key, spec.filename):
                stream = spec.get_file().obj
                if isinstance(stream, pikepdf.Stream):
                    return stream_bytes(stream, MAX_TEXTMAP_BYTES, TEXTMAP_FILENAME)
    except (pikepdf.PdfError, KeyError, AttributeError, ValueError):
        pass
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            if isinstance(annot, pikepdf.Dictionary) and annot.get("/Subtype") == "/FileAttachment":
                fs = annot.get("/FS")
                if isinstance(fs, pikepdf.Dictionary) and TEXTMAP_FILENAME in (
                    str(fs.get("/UF", "")),
                    str(fs.get("/F", "")),
                ):
                    files = fs.get("/EF")
                    embedded = files.get("/F") if isinstance(files, pikepdf.Dictionary) else None
                    if isinstance(embedded, pikepdf.Stream):
                        return stream_bytes(embedded, MAX_TEXTMAP_BYTES, TEXTMAP_FILENAME)
    return None


def _page_box(page: pikepdf.Dictionary, key: str) -> Box | None:
    try:
        return rect_field(page.get(key), key) if key in page else None
    except BadValue:
        return None


def _read_page(
    page: pikepdf.Dictionary, number: int, room: int
) -> tuple[list[PdfAnnotation], list[Problem]]:
    """The page's annotations, at most `room` of them (the rest are one Problem)."""
    annots = page.get("/Annots")
    if annots is None:
        return [], []
    if not isinstance(annots, pikepdf.Array):
        return [], [Problem(number, "/Annots", "/Annots 不是数组 (is not an array)")]
    dicts: list[pikepdf.Dictionary] = []
    problems: list[Problem] = []
    if len(annots) > room:
        problems.append(Problem(number, "/Annots", f"批注超过 {MAX_ANNOTATIONS} 条上限，其余未读 "
                                f"(more than {MAX_ANNOTATIONS} annotations; the rest not read)"))  # fmt: skip
    for index, annot in enumerate(annots[: max(0, room)]):
        if not isinstance(annot, pikepdf.Dictionary):
            problems.append(Problem(number, f"/Annots[{index}]", "不是字典 (not a dictionary)"))
            continue
        subtype = _subtype(annot)
        if subtype == "?":
            problems.append(
                Problem(
                    number, _where(annot, "?"), "/Subtype 缺失或类型错误 (missing or not a name)"
                )
            )
            continue
        if subtype not in IGNORED_SUBTYPES and not _is_textmap_attachment(annot):
            dicts.append(annot)
    ids = _stable_ids(dicts, number)
    by_object = {a.objgen: i for a, i in zip(dicts, ids, strict=True) if a.objgen[0]}
    annotations = []
    for annot, own_id in zip(dicts, ids, strict=True):
        try:
            annotations.append(_read_annotation(annot, number, own_id, by_object))
        except BadValue as error:
            problems.append(Problem(number, _where(annot, _subtype(annot)), str(error)))
    return annotations, problems


def _is_textmap_attachment(annot: pikepdf.Dictionary) -> bool:
    spec = annot.get("/FS")
    return (
        annot.get("/Subtype") == "/FileAttachment"
        and isinstance(spec, pikepdf.Dictionary)
        and TEXTMAP_FILENAME in (str(spec.get("/UF", "")), str(spec.get("/F", "")))
    )


def _subtype(annot: pikepdf.Dictionary) -> str:
    """The annotation's /Subtype without its slash ("?" if it is not a name: such an
    annotation is reported, never read)."""
    subtype = annot.get("/Subtype")
    return name_text(subtype) if isinstance(subtype, pikepdf.Name) else "?"


def _where(annot: pikepdf.Dictionary, subtype: str) -> str:
    objnum, gen = annot.objgen
    return f"{subtype} {objnum} {gen} R" if objnum else f"{subtype} (direct object)"


def _stable_ids(dicts: list[pikepdf.Dictionary], page: int) -> list[str]:
    """Ids that survive re-saving (object numbers do not): /NM when unique on the page,
    else a digest of what the annotation is and where it sits."""
    names: dict[str, int] = {}
    for annot in dicts:
        nm = annot.get("/NM")
        if isinstance(nm, pikepdf.String):
            names[str(nm)] = names.get(str(nm), 0) + 1
    ids: list[str] = []
    for index, annot in enumerate(dicts):
        nm = annot.get("/NM")
        if isinstance(nm, pikepdf.String) and names[str(nm)] == 1:
            basis = f"{page}|NM|{nm}"
        else:
            basis = "|".join(
                [str(page), _subtype(annot), _rounded(annot.get("/Rect")),
                 _plain(annot.get("/T")), _plain(annot.get("/CreationDate"))]
                + ([] if "/CreationDate" in annot else [_plain(annot.get("/Contents"))])
            )  # fmt: skip
        digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
        if digest in ids:  # two identical marks on one page: tell them apart by order
            digest = hashlib.sha1(f"{basis}|{index}".encode()).hexdigest()[:8]
        ids.append(digest)
    return ids


def _rounded(value: object) -> str:
    try:
        return ",".join(f"{v:.0f}" for v in rect_field(value, "/Rect"))
    except BadValue:
        return ""


def _plain(value: object) -> str:
    return str(value) if isinstance(value, pikepdf.String) else ""


def _read_annotation(
    annot: pikepdf.Dictionary, page: int, own_id: str, by_object: dict[tuple[int, int], str]
) -> PdfAnnotation:
    subtype = _subtype(annot)
    if "/Rect" not in annot:
        raise BadValue("缺少 /Rect (missing /Rect)")
    rect = _inner_rect(annot, rect_field(annot.get("/Rect"), "/Rect"))
    contents = text_field(annot.get("/Contents"), "/Contents")
    if not contents and "/RC" in annot:
        contents = rich_text_field(annot.get("/RC"), "/RC")
    in_reply_to = ""
    parent = annot.get("/IRT")
    if parent is not None:
        if not isinstance(parent, pikepdf.Dictionary):
            raise BadValue("/IRT 应指向注释 (should refer to an annotation)")
        in_reply_to = by_object.get(parent.objgen, "")
    return PdfAnnotation(
        id=own_id,
        subtype=subtype,
        page=page,
        author=text_field(annot.get("/T"), "/T"),
        contents=contents,
        subject=text_field(annot.get("/Subj"), "/Subj"),
        created=pdf_date(annot.get("/CreationDate"), "/CreationDate"),
        modified=pdf_date(annot.get("/M"), "/M"),
        rect=rect,
        quads=_quads(annot, subtype),
        points=_points(annot, subtype),
        in_reply_to=in_reply_to,
        reply_type=name_field(annot.get("/RT"), "/RT") or ("R" if in_reply_to else ""),
        intent=name_field(annot.get("/IT"), "/IT"),
        state=text_field(annot.get("/State"), "/State"),
        state_model=text_field(annot.get("/StateModel"), "/StateModel"),
        symbol=name_field(annot.get("/Sy"), "/Sy"),
        name=text_field(annot.get("/NM"), "/NM"),
    )


def _inner_rect(annot: pikepdf.Dictionary, rect: Box) -> Box:
    """/RD insets the drawn mark from /Rect (carets, squares, circles, text boxes)."""
    if "/RD" not in annot:
        return rect
    numbers = number_list(annot.get("/RD"), "/RD")
    if len(numbers) != 4 or min(numbers) < 0:
        return rect  # a malformed inset cannot move the mark: the outer rectangle still holds it
    left, top, right, bottom = numbers  # the spec's order: left, top, right, bottom
    inner = (rect[0] + left, rect[1] + bottom, rect[2] - right, rect[3] - top)
    return inner if inner[0] <= inner[2] and inner[1] <= inner[3] else rect


TEXT_MARKUP = frozenset({"Highlight", "Underline", "Squiggly", "StrikeOut", "Redact"})


def _quads(annot: pikepdf.Dictionary, subtype: str) -> tuple[Box, ...]:
    """Each quad's bounding box. Acrobat writes UL,UR,LL,LR; the spec says counter-clockwise;
    rotated pages turn either: min/max over the four corners handles them all."""
    if "/QuadPoints" not in annot:
        if subtype in TEXT_MARKUP:
            return (rect_field(annot.get("/Rect"), "/Rect"),)
        return ()
    numbers = number_list(annot.get("/QuadPoints"), "/QuadPoints")
    if not numbers or len(numbers) % 8:
        raise BadValue(f"/QuadPoints 数值个数 {len(numbers)} 不是 8 的倍数 (not a multiple of 8)")
    boxes = []
    for i in range(0, len(numbers), 8):
        xs, ys = numbers[i : i + 8 : 2], numbers[i + 1 : i + 8 : 2]
        box = (min(xs), min(ys), max(xs), max(ys))
        if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
            raise BadValue("/QuadPoints 含面积为零的四边形 (a quad with no area)")
        boxes.append(box)
    return tuple(boxes)


def _points(annot: pikepdf.Dictionary, subtype: str) -> tuple[tuple[float, float], ...]:
    """The geometry that says where a drawn mark points: endpoints, vertices, callouts."""
    match subtype:
        case "Line":
            numbers = number_list(annot.get("/L"), "/L")
            if len(numbers) != 4:
                raise BadValue("/L 应有 4 个数值 (needs 4 numbers)")
        case "Polygon" | "PolyLine" if "/Vertices" in annot:
            numbers = number_list(annot.get("/Vertices"), "/Vertices")
        case "FreeText" if "/CL" in annot:
            numbers = number_list(annot.get("/CL"), "/CL")
        case "Ink" if "/InkList" in annot:
            paths = annot.get("/InkList")
            if not isinstance(paths, pikepdf.Array):
                raise BadValue("/InkList 应为数组 (should be an array)")
            numbers = tuple(n for path in paths for n in number_list(path, "/InkList"))
        case _:
            return ()
    if len(numbers) % 2:
        raise BadValue("坐标个数为奇数 (odd number of coordinates)")
    return tuple(zip(numbers[::2], numbers[1::2], strict=True))
