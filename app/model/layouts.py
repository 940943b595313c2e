"""Page grids as data: `layouts/*.toml` → `PageLayoutSpec` (grid, font roles, styles).

A layout file is what a paper's 美编 set up once per page type; pages name it and
may override styles. Files are validated like page documents, field by field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bundled import bundled
from app.errors import PasteupError
from app.model import limits
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
    as_size,
    as_str,
)
from app.model.files import read_regular
from app.model.grid import PageGrid
from app.model.jumps import JumpStyle, jumps_from_data
from app.model.styles import ROLES, ParagraphStyle, style_from_data

LAYOUTS_DIR = bundled("layouts")

# Composition settings a layout may set (docs/cjk-composition.md §3.11), with their readers.
COMPOSITION_CHOICES: dict[str, tuple[str, ...]] = {
    "punct_style": ("quanjiao", "kaiming", "banjiao", "hangmobanjiao", "plain"),
    "kinsoku_level": ("none", "basic", "gb", "strict"),
    "line_end_punct": ("trim", "keep_if_fits", "hang"),
}
#: Chinese names editors use for the punctuation styles (as the docs list them), accepted in
#: layouts beside the English ones and stored as the English name.
PUNCT_STYLE_NAMES = {
    "全角": "quanjiao",
    "全角式": "quanjiao",
    "开明": "kaiming",
    "开明式": "kaiming",
    "半角": "banjiao",
    "半角式": "banjiao",
    "行末半角": "hangmobanjiao",
    "行末半角式": "hangmobanjiao",
    "不压缩": "plain",
}
COMPOSITION_FLAGS = (
    "relax_exq_line_start",
    "trim_open_at_line_start",
    "trim_open_at_para_start",
    "absorb_ascii_space",
    "compress_stops",
    "orphan_control",
    "grid_mode",
)
COMPOSITION_NUMBERS = ("loose_limit",)


@dataclass(frozen=True, slots=True)
class PageLayoutSpec:
    name: str
    title: str
    grid: PageGrid
    fonts: dict[str, tuple[str, ...]]  # font role → family list, first choice first
    styles: dict[str, ParagraphStyle]  # role → style
    composition: dict[str, Any] = field(default_factory=dict)
    max_ink: float = 240.0  # total area coverage limit for preflight, percent
    source: str = ""
    credits: str = "none"  # where the 责任编辑 / 美编 / 校对 line prints: "foot" or "none"
    jumps: JumpStyle = field(default_factory=JumpStyle)  # 转版/接版 wording and type


CREDITS_PLACES = ("none", "foot")


def available_layouts() -> list[str]:
    return sorted(path.stem for path in LAYOUTS_DIR.glob("*.toml"))


# Layouts read, by file and version: the pages of an edition share theirs (read once, not 24×).
_READ: dict[tuple[str, int, int], PageLayoutSpec] = {}


def load_layout(name: str, search: Path | None = None) -> PageLayoutSpec:
    """Find `name` beside the page (`search`) first, then in the bundled `layouts/`.

    `name` is a name, never a path (limits.name_problem): it cannot reach another folder.
    """
    problem = limits.name_problem(name)
    if problem:
        raise PasteupError(f"{limits.shown(name)}: {problem}")
    for folder in (search, LAYOUTS_DIR):
        if folder is not None and (folder / f"{name}.toml").is_file():
            path = folder / f"{name}.toml"
            stat = path.stat()
            key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
            if key not in _READ:
                _READ[key] = read_layout(path)
            return _READ[key]
    raise PasteupError(
        f"{name}: 找不到版式 (no such layout); available: {', '.join(available_layouts())}"
    )


def read_layout(path: Path) -> PageLayoutSpec:
    raw = read_regular(path, limits.MAX_LAYOUT_BYTES)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except RecursionError:
        raise PasteupError(f"{path}: TOML 嵌套过深 (nested too deeply)") from None
    except UnicodeDecodeError as error:
        raise PasteupError(f"{path}: 不是 UTF-8 文本 (not UTF-8 text): {error.reason}") from None
    except (tomllib.TOMLDecodeError, ValueError) as error:  # ValueError: 4,301-digit numbers
        raise PasteupError(f"{path}: TOML 语法错误 (TOML syntax error): {error}") from None
    return layout_from_data(data, Where(str(path)), path.stem)


def layout_from_data(data: dict, where: Where, name: str) -> PageLayoutSpec:
    as_dict(
        data,
        where,
        (
            "title",
            "page",
            "grid",
            "running_head",
            "fonts",
            "styles",
            "composition",
            "preflight",
            "credits",
            "jumps",
        ),
        required=("page", "grid", "fonts", "styles"),
    )
    grid = _grid(data, where)
    fonts_at = where.key("fonts")
    fonts = {
        role: tuple(as_list(families, fonts_at.key(role), lambda v, w: as_str(v, w, empty=False)))
        for role, families in as_mapping(data["fonts"], fonts_at).items()
    }
    styles_at = where.key("styles")
    styles: dict[str, ParagraphStyle] = {}
    body = ParagraphStyle(size=grid.body_size)
    for role, value in as_dict(data["styles"], styles_at, ROLES, required=("正文",)).items():
        styles[role] = style_from_data(value, styles_at.key(role), body)
        if styles[role].font not in fonts:
            raise (
                styles_at.key(role)
                .key("font")
                .error(f"font role {styles[role].font!r} is not in [fonts] ({', '.join(fonts)})")
            )
    for role in ROLES:  # every role has a style: unspecified roles are set like body text
        styles.setdefault(role, styles["正文"])
    preflight = as_dict(data.get("preflight", {}), where.key("preflight"), ("max_ink",))
    jumps = jumps_from_data(data.get("jumps", {}), where.key("jumps"), styles["正文"])
    if jumps.style.font not in fonts:
        raise (
            where.key("jumps")
            .key("style")
            .key("font")
            .error(f"font role {jumps.style.font!r} is not in [fonts] ({', '.join(fonts)})")
        )
    return PageLayoutSpec(
        name=name,
        title=as_str(data.get("title", name), where.key("title")),
        grid=grid,
        fonts=fonts,
        styles=styles,
        composition=composition_from_data(data.get("composition", {}), where.key("composition")),
        max_ink=as_number(
            preflight.get("max_ink", 240.0),
            where.key("preflight").key("max_ink"),
            minimum=100,
            maximum=400,
        ),
        source=where.source,
        credits=as_choice(
            as_dict(data.get("credits", {}), where.key("credits"), ("place",)).get("place", "none"),
            where.key("credits").key("place"),
            CREDITS_PLACES,
        ),
        jumps=jumps,
    )


def composition_from_data(value: Any, where: Where) -> dict[str, Any]:
    allowed = (*COMPOSITION_CHOICES, *COMPOSITION_FLAGS, *COMPOSITION_NUMBERS, "first_line_indent")
    settings: dict[str, Any] = {}
    for key, raw in as_dict(value, where, allowed).items():
        at = where.key(key)
        if key == "punct_style" and isinstance(raw, str) and raw.strip() in PUNCT_STYLE_NAMES:
            settings[key] = PUNCT_STYLE_NAMES[raw.strip()]
        elif key in COMPOSITION_CHOICES:
            settings[key] = as_choice(raw, at, COMPOSITION_CHOICES[key])
        elif key in COMPOSITION_FLAGS:
            settings[key] = as_bool(raw, at)
        else:
            settings[key] = as_number(raw, at, minimum=0, maximum=limits.MAX_EM)
    return settings


def _grid(data: dict, where: Where) -> PageGrid:
    page_at, grid_at, head_at = where.key("page"), where.key("grid"), where.key("running_head")
    page = as_dict(
        data["page"], page_at, ("trim", "bleed", "margins"), required=("trim", "margins")
    )
    grid = as_dict(
        data["grid"],
        grid_at,
        (
            "columns",
            "column_chars",
            "gutter_chars",
            "column_width",
            "gutter",
            "body_size",
            "line_pitch",
        ),
        required=("columns", "body_size", "line_pitch"),
    )
    head = as_dict(data.get("running_head", {}), head_at, ("zone", "rule"))
    trim = as_list(page["trim"], page_at.key("trim"), as_length, limit=2)
    if len(trim) != 2 or min(trim) <= 0:
        raise page_at.key("trim").error('expected [width, height], e.g. ["390mm", "545mm"]')
    margins_at = page_at.key("margins")
    margins = as_dict(
        page["margins"], margins_at, ("top", "bottom", "left", "right"), required=("top", "bottom")
    )
    body = as_size(grid["body_size"], grid_at.key("body_size"))
    columns = as_int(grid["columns"], grid_at.key("columns"), minimum=1, maximum=limits.MAX_COLUMNS)
    if "column_chars" in grid:  # a character grid: widths in 字 at the body size
        chars = as_number(grid["column_chars"], grid_at.key("column_chars"), minimum=1)
        gutter_chars = as_number(
            grid.get("gutter_chars", 1), grid_at.key("gutter_chars"), minimum=0
        )
        column_width = chars * body
        gutter = gutter_chars * body
    else:
        if "column_width" not in grid:
            raise grid_at.error("give column_chars (字 at the body size) or column_width")
        column_width = as_length(grid["column_width"], grid_at.key("column_width"), minimum=1)
        gutter = as_length(grid.get("gutter", "4mm"), grid_at.key("gutter"), minimum=0)
    area = columns * column_width + (columns - 1) * gutter
    left = as_length(margins["left"], margins_at.key("left")) if "left" in margins else None
    right = as_length(margins["right"], margins_at.key("right")) if "right" in margins else None
    if left is None:  # centre the type area when the side margins follow from the grid
        left = (trim[0] - area) / 2 if right is None else trim[0] - area - right
    right = trim[0] - area - left
    if left < 0 or right < 0:
        raise grid_at.error(f"the type area ({area:.1f} pt) is wider than the page allows")
    result = PageGrid(
        trim_width=trim[0],
        trim_height=trim[1],
        bleed=as_length(page.get("bleed", 0), page_at.key("bleed"), minimum=0),
        margin_top=as_length(margins["top"], margins_at.key("top"), minimum=0),
        margin_bottom=as_length(margins["bottom"], margins_at.key("bottom"), minimum=0),
        margin_left=left,
        margin_right=right,
        columns=columns,
        column_width=column_width,
        gutter=gutter,
        body_size=body,
        line_pitch=as_length(grid["line_pitch"], grid_at.key("line_pitch")),
        head_zone=as_length(head.get("zone", 0), head_at.key("zone"), minimum=0),
        head_rule=as_length(head.get("rule", 0), head_at.key("rule"), minimum=0),
    )
    if result.line_pitch < body:
        raise grid_at.key("line_pitch").error("the line pitch is smaller than the body size")
    if result.area_height < body:
        raise margins_at.error("the margins leave no room for a line of text")
    if result.lines > limits.MAX_GRID_LINES:
        raise grid_at.key("line_pitch").error(
            f"{result.lines} lines per column are more than the limit of {limits.MAX_GRID_LINES}"
        )
    return result
