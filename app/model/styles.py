"""Paragraph styles: the roles of newspaper text and how each is set."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from app.model import limits
from app.model.fields import (
    Where,
    as_bool,
    as_choice,
    as_dict,
    as_int,
    as_length,
    as_list,
    as_number,
    as_size,
    as_str,
)

# Paragraph roles, in the order a headline group reads. English names are accepted on import.
ROLES = ("引题", "主题", "副题", "作者", "正文", "小标题", "图说", "栏头", "拼音", "报眉")
ROLE_ALIASES = {
    "kicker": "引题",
    "head": "主题",
    "headline": "主题",
    "deck": "副题",
    "subtitle": "副题",
    "byline": "作者",
    "署名": "作者",
    "body": "正文",
    "subhead": "小标题",
    "caption": "图说",
    "section": "栏头",
    "pinyin": "拼音",
    "running-head": "报眉",
}
HEADLINE_ROLES = ("引题", "主题", "副题")
ALIGNMENTS = ("justify", "left", "center", "right", "distribute")


@dataclass(frozen=True, slots=True)
class ParagraphStyle:
    """How paragraphs of one role are set. Sizes and lengths in points."""

    font: str = "song"  # a font role of the layout: song, biaosong, hei, kai …
    weight: int = 400
    size: float = 9.0
    leading: float = 0.0  # baseline to baseline; 0 = the page's line pitch
    lines: int = 0  # "occupies N body lines" (FIT's 占行); 0 = as many as the text needs
    align: str = "justify"
    indent: float = 0.0  # first-line indent in 字 (em of this style)
    space_before: float = 0.0  # in body lines
    space_after: float = 0.0
    keep_with_next: bool = False
    color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 100.0)  # CMYK percent
    tracking: float = 0.0  # extra space between characters, in em
    #: The hash, worked out once: a style is part of the key of every paragraph the composer
    #: caches, and hashing its fields on each lookup was a Python call per paragraph.
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        values = tuple(getattr(self, f.name) for f in fields(self) if f.compare)
        object.__setattr__(self, "_hash", hash(values))

    def __hash__(self) -> int:
        return self._hash


_STYLE_FIELDS = tuple(f.name for f in fields(ParagraphStyle) if f.init)


def style_from_data(value: Any, where: Where, base: ParagraphStyle) -> ParagraphStyle:
    """Read a style table; fields not given keep `base`'s values."""
    data = as_dict(value, where, _STYLE_FIELDS)
    changes: dict[str, Any] = {}
    for name, raw in data.items():
        at = where.key(name)
        if name == "font":
            changes[name] = as_str(raw, at, empty=False)
        elif name == "weight":
            changes[name] = as_int(raw, at, minimum=100, maximum=limits.MAX_WEIGHT)
        elif name == "size":
            changes[name] = as_size(raw, at)
        elif name == "leading":  # 0 = the line pitch; else a baseline distance a size allows
            changes[name] = as_length(raw, at, minimum=0)
            if changes[name] and changes[name] < limits.MIN_TYPE_SIZE_PT:
                raise at.error(f"expected 0 or at least {limits.MIN_TYPE_SIZE_PT:g} pt")
        elif name == "lines":
            changes[name] = as_int(raw, at, minimum=0, maximum=limits.MAX_STYLE_LINES)
        elif name == "align":
            changes[name] = as_choice(raw, at, ALIGNMENTS)
        elif name == "indent":
            changes[name] = as_number(raw, at, minimum=-limits.MAX_EM, maximum=limits.MAX_EM)
        elif name == "tracking":
            low, high = limits.TRACKING_EM
            changes[name] = as_number(raw, at, minimum=low, maximum=high)
        elif name in ("space_before", "space_after"):
            changes[name] = as_number(raw, at, minimum=0, maximum=limits.MAX_STYLE_LINES)
        elif name == "keep_with_next":
            changes[name] = as_bool(raw, at)
        elif name == "color":
            changes[name] = tuple(
                as_list(raw, at, lambda v, w: as_number(v, w, minimum=0, maximum=100), limit=4)
            )
            if len(changes[name]) != 4:
                raise at.error("expected [C, M, Y, K] in percent (0–100)")
    return replace(base, **changes)


def style_to_data(style: ParagraphStyle, base: ParagraphStyle) -> dict[str, Any]:
    """Only the fields that differ from `base`, so files stay short and readable."""
    out: dict[str, Any] = {}
    for name in _STYLE_FIELDS:
        value = getattr(style, name)
        if value != getattr(base, name):
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


def canonical_role(name: str) -> str | None:
    if name in ROLES:
        return name
    return ROLE_ALIASES.get(name.strip().lower(), ROLE_ALIASES.get(name.strip()))
