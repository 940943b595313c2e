"""The page document file (JSON, `"format": 1`): load with validation, dump, content hash.

docs/file-format.md describes every field. Loading refuses what it does not know —
a newer format, an unknown field — by name, and never drops data silently.
"""

from __future__ import annotations

import hashlib
import json
import string
from pathlib import Path
from typing import Any

from app.errors import PasteupError
from app.model import limits
from app.model.blocks import (
    BLOCK_KINDS,
    PHOTO_FITS,
    ArticleBlock,
    Block,
    BoxBlock,
    CaptionBlock,
    Frame,
    FreeFrame,
    GridFrame,
    PhotoBlock,
    RuleBlock,
    RunningHeadBlock,
    SectionHeadBlock,
    TextBlock,
    block_frames,
)
from app.model.document import PageDocument, PageMeta
from app.model.fields import (
    Where,
    as_bool,
    as_choice,
    as_dict,
    as_int,
    as_length,
    as_list,
    as_mapping,
    as_number,
    as_str,
)
from app.model.files import inside, read_regular
from app.model.layouts import load_layout
from app.model.proofing import proof_from_json, proof_to_json
from app.model.story import PARAGRAPH_SEPARATOR, Paragraph, Story
from app.model.styles import ROLES, ParagraphStyle, canonical_role, style_from_data

FORMAT = 1
_TOP = ("format", "meta", "layout", "styles", "stories", "blocks", "proof")


def read_document(path: Path) -> PageDocument:
    """Load and validate a page file; every problem is one PasteupError naming file and field."""
    path = Path(path)
    document = document_from_data(read_json(path), Where(str(path)), path.parent)
    document.path = path
    return document


def read_json(path: Path) -> Any:
    """The parsed JSON of a page, plan or story file (at most MAX_PAGE_BYTES, a regular file),
    or one line naming the file and what is wrong with it."""
    raw = read_regular(path, limits.MAX_PAGE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PasteupError(
            f"{path}: 不是 UTF-8 文本 (not UTF-8 text) at byte {error.start}"
        ) from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise PasteupError(f"{path}: JSON 嵌套过深 (nested too deeply)") from None
    except json.JSONDecodeError as error:
        truncated = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        what = "文件不完整 (file is truncated)" if truncated else "JSON 语法错误 (not valid JSON)"
        raise PasteupError(
            f"{path}: {what}: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise PasteupError(f"{path}: JSON 数值过长 (number too long): {error}") from None
    return data


def document_from_data(data: Any, where: Where, base_dir: Path) -> PageDocument:
    if not isinstance(data, dict):
        raise where.error("expected a page document (a JSON object)")
    version = data.get("format")
    if version == 2:  # a page of an edition (docs/edition.md) opens with its edition
        from app.model.editionfile import page_in_edition

        return page_in_edition(Path(where.source))
    if version != FORMAT:
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
            raise where.key("format").error(
                f"written by a newer Pasteup (format {version}); this version reads format {FORMAT}"
            )
        raise where.key("format").error(f"expected {FORMAT}, got {version!r}")
    as_dict(data, where, _TOP, required=("format", "layout", "stories", "blocks"))
    layout_name = as_str(data["layout"], where.key("layout"), empty=False)
    problem = limits.name_problem(layout_name)
    if problem:
        raise where.key("layout").error(problem)
    layout = load_layout(layout_name, base_dir)
    overrides = _style_overrides(data.get("styles", {}), where.key("styles"), layout)
    stories = _stories(data["stories"], where.key("stories"))
    blocks = as_list(data["blocks"], where.key("blocks"), _block, limit=limits.MAX_BLOCKS)
    _check_references(blocks, stories, layout.grid, where.key("blocks"))
    _check_photo_folders(blocks, base_dir, where.key("blocks"))
    return PageDocument(
        meta=_meta(data.get("meta", {}), where.key("meta")),
        layout=layout,
        style_overrides=overrides,
        stories=stories,
        blocks=blocks,
        proof=proof_from_json(data.get("proof", {}), where.key("proof")),
    )


def document_to_data(document: PageDocument) -> dict[str, Any]:
    meta = document.meta
    return {
        "format": FORMAT,
        "meta": {
            "paper": meta.paper,
            "date": meta.date,
            "edition": meta.edition,
            "page_name": meta.page_name,
            "editors": dict(meta.editors),
        },
        "layout": document.layout.name,
        "styles": document.style_overrides,
        "stories": {
            story.id: {
                **({"source": story.source} if story.source else {}),
                "paragraphs": [{"role": p.role, "text": p.text} for p in story.paragraphs],
            }
            for story in document.stories.values()
        },
        "blocks": [_block_to_data(block) for block in document.blocks],
        "proof": proof_to_json(document.proof),
    }


def dumps_document(document: PageDocument) -> bytes:
    return (json.dumps(document_to_data(document), ensure_ascii=False, indent=1) + "\n").encode()


def content_hash(document: PageDocument) -> str:
    """A hash of what prints (layout, styles, stories, blocks, metadata): the version proofs cite."""
    data = document_to_data(document)
    del data["proof"]
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


# -- sections ----------------------------------------------------------------------------------
def _meta(value: Any, where: Where) -> PageMeta:
    data = as_dict(value, where, ("paper", "date", "edition", "page_name", "editors"))
    editors_at = where.key("editors")
    editors = as_mapping(data.get("editors", {}), editors_at)
    return PageMeta(
        paper=as_str(data.get("paper", ""), where.key("paper")),
        date=as_str(data.get("date", ""), where.key("date")),
        edition=as_str(data.get("edition", ""), where.key("edition")),
        page_name=as_str(data.get("page_name", ""), where.key("page_name")),
        editors=tuple((k, as_str(v, editors_at.key(k))) for k, v in editors.items()),
    )


def _style_overrides(value: Any, where: Where, layout) -> dict[str, dict[str, Any]]:
    overrides = as_dict(value, where, ROLES)
    for role, fields in overrides.items():
        style = style_from_data(fields, where.key(role), layout.styles[role])  # validates
        if style.font not in layout.fonts:
            raise (
                where.key(role).key("font").error(f"font role {style.font!r} is not in the layout")
            )
    return {role: dict(fields) for role, fields in overrides.items()}


def _stories(value: Any, where: Where) -> dict[str, Story]:
    stories: dict[str, Story] = {}
    for story_id, entry in as_mapping(value, where, limit=limits.MAX_STORIES).items():
        at = where.key(story_id)
        data = as_dict(entry, at, ("source", "paragraphs"), required=("paragraphs",))
        paragraphs = as_list(
            data["paragraphs"], at.key("paragraphs"), _paragraph, limit=limits.MAX_PARAGRAPHS
        )
        if not paragraphs:
            raise at.key("paragraphs").error("a story needs at least one paragraph")
        stories[story_id] = Story(
            story_id, tuple(paragraphs), as_str(data.get("source", ""), at.key("source"))
        )
    total = sum(len(p.text) for story in stories.values() for p in story.paragraphs)
    if total > limits.MAX_PAGE_CHARS:
        raise where.error(
            f"{total:,} characters of text are more than a page's limit of {limits.MAX_PAGE_CHARS:,}"
        )
    return stories


def _paragraph(value: Any, where: Where) -> Paragraph:
    data = as_dict(value, where, ("role", "text"), required=("role", "text"))
    role = as_str(data["role"], where.key("role"))
    if canonical_role(role) != role:
        raise where.key("role").error(f"unknown role {role!r} (known: {', '.join(ROLES)})")
    text = data["text"]
    if isinstance(text, str) and (PARAGRAPH_SEPARATOR in text or "\n" in text):
        raise where.key("text").error("a paragraph's text may not contain line or paragraph breaks")
    text = as_str(text, where.key("text"), limit=limits.MAX_PARAGRAPH_CHARS)
    return Paragraph(role, text)


def _block_styles(value: Any, where: Where) -> tuple:
    """Per-block style changes, validated like page styles, kept as written (hashable)."""
    result = []
    for role, fields in as_dict(value, where, ROLES).items():
        style_from_data(fields, where.key(role), ParagraphStyle())  # validates every field
        items = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items())
        result.append((role, items))
    return tuple(result)


def _frame(value: Any, where: Where) -> Frame:
    if isinstance(value, dict) and "col" in value:
        data = as_dict(
            value,
            where,
            ("col", "span", "line", "depth", "columns"),
            required=("col", "span", "line", "depth"),
        )
        lines, columns = limits.MAX_GRID_LINES, limits.MAX_COLUMNS
        return GridFrame(
            col=as_int(data["col"], where.key("col"), minimum=0, maximum=columns),
            span=as_int(data["span"], where.key("span"), minimum=1, maximum=columns),
            line=as_int(data["line"], where.key("line"), minimum=0, maximum=lines),
            depth=as_int(data["depth"], where.key("depth"), minimum=1, maximum=lines),
            columns=as_int(
                data.get("columns", 0), where.key("columns"), minimum=0, maximum=columns
            ),
        )
    data = as_dict(value, where, ("x", "y", "w", "h", "columns"), required=("x", "y", "w", "h"))
    x, y, w, h = (as_length(data[k], where.key(k)) for k in "xywh")
    frame = FreeFrame(
        x,
        y,
        w,
        h,
        columns=as_int(
            data.get("columns", 1), where.key("columns"), minimum=1, maximum=limits.MAX_COLUMNS
        ),
    )
    if frame.w <= 0 or frame.h <= 0:
        raise where.error("a frame needs a positive width and height")
    return frame


def _color(value: Any, where: Where) -> tuple[float, float, float, float]:
    values = as_list(value, where, lambda v, w: as_number(v, w, minimum=0, maximum=100), limit=4)
    if len(values) != 4:
        raise where.error("expected [C, M, Y, K] in percent (0–100)")
    return tuple(values)  # type: ignore[return-value]


_BLOCK_FIELDS = {
    "article": ("id", "type", "story", "frames", "head_lines", "styles", "balance"),
    "text": ("id", "type", "story", "frames"),
    "photo": (
        "id",
        "type",
        "frame",
        "image",
        "crop",
        "credit",
        "placeholder",
        "wrap",
        "outside_folder",
        "fit",
    ),
    "caption": ("id", "type", "story", "photo", "frame", "wrap"),
    "rule": ("id", "type", "x0", "y0", "x1", "y1", "weight", "color", "dash"),
    "box": ("id", "type", "frame", "weight", "stroke", "fill", "wrap"),
    "section": ("id", "type", "story", "frame"),
    "running-head": ("id", "type", "left", "center", "right"),
}


def _block(value: Any, where: Where) -> Block:
    if not isinstance(value, dict):
        raise where.error("expected a block (an object)")
    kind = as_choice(value.get("type"), where.key("type"), BLOCK_KINDS)
    data = as_dict(value, where, _BLOCK_FIELDS[kind], required=("id", "type"))
    block_id = as_str(data["id"], where.key("id"), empty=False)

    def get(name: str, read, default=None):
        if name not in data:
            if default is None:
                raise where.key(name).error("missing required field")
            return default
        return read(data[name], where.key(name))

    def story(v, w):
        return as_str(v, w, empty=False)

    def frames(v, w):
        result = tuple(as_list(v, w, _frame, limit=limits.MAX_FRAMES))
        if not result:
            raise w.error("needs at least one frame")
        return result

    match kind:
        case "article":
            return ArticleBlock(
                block_id,
                get("story", story),
                get("frames", frames),
                get(
                    "head_lines",
                    lambda v, w: as_int(v, w, minimum=0, maximum=limits.MAX_GRID_LINES),
                    0,
                ),
                get("styles", _block_styles, ()),
                get("balance", as_bool, False),
            )
        case "text":
            return TextBlock(block_id, get("story", story), get("frames", frames))
        case "photo":
            crop = get(
                "crop", lambda v, w: tuple(as_list(v, w, as_number, limit=4)), (0.0, 0.0, 1.0, 1.0)
            )
            if len(crop) != 4 or not (0 <= crop[0] < crop[2] <= 1 and 0 <= crop[1] < crop[3] <= 1):
                raise where.key("crop").error("expected [left, top, right, bottom] fractions, 0–1")
            return PhotoBlock(
                block_id,
                get("frame", _frame),
                get("image", story),
                crop,
                get("credit", as_str, ""),
                get("placeholder", as_bool, False),
                get("wrap", _standoff, 0.0),
                get("outside_folder", as_bool, False),
                get("fit", lambda v, w: as_choice(v, w, PHOTO_FITS), "fill"),
            )
        case "caption":
            return CaptionBlock(
                block_id,
                get("story", story),
                get("photo", story),
                get("frame", _frame),
                get("wrap", as_length, 0.0),
            )
        case "rule":
            x0, y0, x1, y1 = (get(k, as_length) for k in ("x0", "y0", "x1", "y1"))
            return RuleBlock(
                block_id,
                x0,
                y0,
                x1,
                y1,
                weight=get("weight", _standoff, 0.5),
                color=get("color", _color, (0.0, 0.0, 0.0, 100.0)),
                dash=get("dash", lambda v, w: tuple(as_list(v, w, _standoff, limit=16)), ()),
            )
        case "box":
            return BoxBlock(
                block_id,
                get("frame", _frame),
                get("weight", _standoff, 0.5),
                get("stroke", _color, (0.0, 0.0, 0.0, 100.0)),
                _color(data["fill"], where.key("fill")) if data.get("fill") else None,
                get("wrap", _standoff, 0.0),
            )
        case "section":
            return SectionHeadBlock(block_id, get("story", story), get("frame", _frame))
        case _:
            return RunningHeadBlock(
                block_id,
                *(
                    get(k, _template, default)
                    for k, default in (
                        ("left", "{paper}"),
                        ("center", "{page_name}"),
                        ("right", "{date} {weekday}  第{edition}版"),
                    )
                ),
            )


def _template(value: Any, where: Where) -> str:
    """A running-head template: text with plain {name} fields (no format specs, attributes or
    indexes, which could reach into objects or ask for a gigabyte of padding)."""
    text = as_str(value, where, limit=1000)
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        raise where.error(f"not a template: {error}") from None
    for _, name, spec, conversion in parts:
        if name is not None and (not name.isidentifier() or spec or conversion):
            raise where.error(f"a template field is a plain {{name}}, got {{{name}…}}")
    return text


def _standoff(value: Any, where: Where) -> float:
    """A length that cannot be negative: a rule's weight, a dash, a wrap standoff."""
    return as_length(value, where, minimum=0)


def _check_photo_folders(blocks: list[Block], base_dir: Path, where: Where) -> None:
    """A picture outside the page's folder (absolute, `..`, or a symlink out) is the user's
    explicit choice, `"outside_folder": true`: the plant's file must not silently depend on
    a path on one workstation."""
    for i, block in enumerate(blocks):
        if not isinstance(block, PhotoBlock) or not block.image or block.outside_folder:
            continue
        if not inside(base_dir, base_dir / block.image):
            raise (
                where.index(i)
                .key("image")
                .error(
                    f"{block.image!r} is outside the page's folder; copy it beside the page, "
                    'or set "outside_folder": true to link it from there'
                )
            )


def _check_references(blocks: list[Block], stories: dict[str, Story], grid, where: Where) -> None:
    seen: dict[str, int] = {}
    photos = {b.id for b in blocks if isinstance(b, PhotoBlock)}
    for i, block in enumerate(blocks):
        at = where.index(i)
        if block.id in seen:
            raise at.key("id").error(
                f"duplicate block id {block.id!r} (also blocks[{seen[block.id]}])"
            )
        seen[block.id] = i
        story = getattr(block, "story", None)
        if story is not None and story not in stories:
            raise at.key("story").error(f"no story {story!r} in stories")
        if isinstance(block, CaptionBlock) and block.photo not in photos:
            raise at.key("photo").error(f"no photo block {block.photo!r}")
        for j, frame in enumerate(block_frames(block)):
            if isinstance(frame, GridFrame):
                fat = (
                    at.key("frames").index(j)
                    if isinstance(block, ArticleBlock | TextBlock)
                    else at.key("frame")
                )
                if frame.col + frame.span > grid.columns:
                    raise fat.error(
                        f"columns {frame.col}–{frame.col + frame.span - 1} exceed the "
                        f"grid's {grid.columns} columns"
                    )
                if frame.line + frame.depth > grid.lines:
                    raise fat.error(
                        f"lines {frame.line}–{frame.line + frame.depth - 1} exceed the "
                        f"grid's {grid.lines} lines"
                    )


def _frame_to_data(frame: Frame) -> dict[str, Any]:
    if isinstance(frame, GridFrame):
        out: dict[str, Any] = {
            "col": frame.col,
            "span": frame.span,
            "line": frame.line,
            "depth": frame.depth,
        }
        if frame.columns:
            out["columns"] = frame.columns
        return out
    out = {"x": frame.x, "y": frame.y, "w": frame.w, "h": frame.h}
    if frame.columns != 1:
        out["columns"] = frame.columns
    return out


def _block_to_data(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"id": block.id, "type": block.kind}
    for name in _BLOCK_FIELDS[block.kind][2:]:
        value = getattr(block, name)
        if name == "frames":
            value = [_frame_to_data(f) for f in value]
        elif name == "frame":
            value = _frame_to_data(value)
        elif (
            (name == "fill" and value is None)
            or (name == "outside_folder" and not value)
            or (name == "fit" and value == "fill")
        ):
            continue  # defaults left out: files written before the field read the same
        elif name in ("wrap", "balance") and block.kind in ("caption", "article") and not value:
            continue  # written only when set: pages from before captions wrapped stay as they were
        elif name == "styles":
            if not value:
                continue
            value = {
                role: {k: list(v) if isinstance(v, tuple) else v for k, v in fields}
                for role, fields in value
            }
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out
