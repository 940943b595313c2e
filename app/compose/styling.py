"""From the model's styles to the engine's inputs: `Settings` and `FontMetrics` for a role.

A layout's `[composition]` table holds Settings fields by name (§3.11); a paragraph style gives
the font role, weight, size, alignment, first-line indent and tracking.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

from app.compose.config import Align, Settings, canonical
from app.compose.fontmetrics import FontMetrics
from app.compose.layout import from_pt
from app.errors import PasteupError
from app.fonts import FontError, FontRegistry
from app.model.styles import ParagraphStyle

#: The model's alignments (`styles.ALIGNMENTS`, checked when a style is read) as the engine's.
_ALIGN: dict[str, Align] = {
    "justify": "justify",
    "left": "left",
    "center": "center",
    "right": "right",
    "distribute": "even",
}
#: Roles whose line breaks are editorial: at word and phrase boundaries, lines balanced; a
#: byline never inside a name (`headline.py`).
BREAKING = {
    "引题": "headline",
    "主题": "headline",
    "副题": "headline",
    "小标题": "headline",
    "作者": "byline",
}


@lru_cache(maxsize=512)
def settings_of(style: ParagraphStyle, composition: tuple[tuple[str, Any], ...]) -> Settings:
    """`settings_for` with the composition table as sorted items, made once per process:
    settings are a function of the two, whichever composer asks."""
    return settings_for(style, dict(composition))


def settings_for(style: ParagraphStyle, composition: dict[str, Any]) -> Settings:
    """Settings of the layout's composition table with the style's alignment and indent."""
    known = {name: value for name, value in composition.items() if name in Settings.__slots__}
    for name in ("loose_limit", "loose_warning"):
        if name in known:
            known[name] = Fraction(str(known[name]))
    align = _ALIGN[style.align]
    return canonical(
        Settings(
            **known,
            align=align,
            last_line_align="center"
            if align == "center"
            else "right"
            if align == "right"
            else "left",
            first_line_indent=Fraction(str(style.indent)),
            tracking=Fraction(str(style.tracking)),
        )
    )


def metrics_for(
    registry: FontRegistry, fonts: dict[str, tuple[str, ...]], style: ParagraphStyle
) -> FontMetrics:
    """The style's font role at its weight and size (per-character fallback along the role)."""
    families = fonts.get(style.font)
    if not families:
        raise PasteupError(f"font role {style.font!r} is not defined in the layout's [fonts]")
    try:
        chain = registry.chain(families, style.weight, skip_missing=True)
    except FontError as error:
        raise PasteupError(str(error)) from None
    return FontMetrics(chain, from_pt(style.size))
