"""Composition settings (cjk-composition §3.11), as one frozen dataclass.

Lengths are in em as exact `Fraction`s; `to_lu` turns them into integer layout units once per
paragraph, so no float ever reaches a position.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any, Literal, NamedTuple

PunctStyle = Literal["quanjiao", "kaiming", "banjiao", "hangmobanjiao", "plain"]
KinsokuLevel = Literal["none", "basic", "gb", "strict"]
LineEndPunct = Literal["trim", "keep_if_fits", "hang"]
Align = Literal["justify", "left", "center", "right", "even"]
Composer = Literal["paragraph", "greedy", "headline", "byline"]
COMPOSERS: tuple[str, ...] = ("paragraph", "greedy", "headline", "byline")

PUNCT_STYLES: tuple[str, ...] = ("quanjiao", "kaiming", "banjiao", "hangmobanjiao", "plain")
KINSOKU_LEVELS: tuple[str, ...] = ("none", "basic", "gb", "strict")

INFINITE = Fraction(10**9)


@dataclass(frozen=True, slots=True)
class Settings:
    """The mainland-newspaper defaults of §3.11; `replace(settings, field=value)` for variants."""

    punct_style: PunctStyle = "quanjiao"
    kinsoku_level: KinsokuLevel = "gb"
    #: Newspaper relaxation: ？！ at a line start become a weak rule (relaxed only when too loose).
    relax_exq_line_start: bool = False
    line_end_punct: LineEndPunct = "trim"
    trim_open_at_line_start: bool = True
    trim_open_at_para_start: bool = False
    #: CJK–Latin spacing: natural, minimum, maximum; `None` turns it off.
    autospace: tuple[Fraction, Fraction, Fraction] | None = (
        Fraction(1, 4),
        Fraction(1, 8),
        Fraction(1, 2),
    )
    #: Fixed autospace: never shrunk or stretched (R5/E2 skip it).
    autospace_fixed: bool = False
    absorb_ascii_space: bool = True
    latin_space_min_max: tuple[Fraction, Fraction] = (Fraction(1, 4), Fraction(1, 2))
    compress_stops: bool = True
    #: Em per E3 gap beyond which push-out relaxes a weak rule instead (§3.7).
    loose_limit: Fraction = Fraction(1, 2)
    #: Em per E3 gap above which a line is flagged `loose` (reported, never refused).
    loose_warning: Fraction = Fraction(1, 3)
    orphan_control: bool = True
    first_line_indent: Fraction = Fraction(2)
    latin_push_in: bool = False
    align: Align = "justify"
    #: Alignment of a paragraph's last line (and of forced-break-free single lines).
    last_line_align: Align = "left"
    lang: Literal["zh", "other"] = "zh"
    #: Line breaking (§3.8): `paragraph` prices every possible line and takes the cheapest
    #: paragraph (`totalfit.py`); `greedy` fits one line at a time (`linebreak.py`); `headline`
    #: and `byline` break at word and phrase boundaries, lines balanced (`headline.py`; the
    #: typesetter picks them by role).
    composer: Composer = "paragraph"
    #: Latin words may be hyphenated (pyphen's English patterns, 2 letters before, 3 after)
    #: where total fit finds a line would otherwise be loose (§3.4; the spec's default is off).
    hyphenate_latin: bool = True
    #: 纵横对齐 (§2.7): Latin runs padded to whole em, pairs to one em, line-end marks kept
    #: full width when they fit, 、，。 hanging.
    grid_mode: bool = False
    #: Extra space between units (grapheme clusters, a dash or ellipsis run as one), in em:
    #: the paragraph style's letter-spacing. Never after a line's last visible unit, never
    #: shrunk or stretched; negative tightens.
    tracking: Fraction = Fraction(0)

    #: The hash, worked out once: settings are part of every paragraph-cache key, and hashing
    #: their `Fraction`s each time cost more than a line of composing.
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        if self.punct_style not in PUNCT_STYLES:
            raise ValueError(f"unknown punctuation style {self.punct_style!r}")
        if self.kinsoku_level not in KINSOKU_LEVELS:
            raise ValueError(f"unknown kinsoku level {self.kinsoku_level!r}")
        if self.composer not in COMPOSERS:
            raise ValueError(f"unknown composer {self.composer!r}")
        values = tuple(getattr(self, f.name) for f in fields(self) if f.compare)
        object.__setattr__(self, "_hash", hash(values))

    def __hash__(self) -> int:
        return self._hash

    def but(self, **changes: object) -> Settings:
        """A copy with some fields changed (reads better than `dataclasses.replace` in tests)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def hang(self) -> bool:
        return self.line_end_punct == "hang" or self.grid_mode

    @property
    def keep_end_if_fits(self) -> bool:
        return self.line_end_punct == "keep_if_fits" or self.grid_mode

    @property
    def pair_compression(self) -> bool:
        return self.punct_style in ("quanjiao", "kaiming", "banjiao")

    @property
    def compressible(self) -> bool:
        """Whether punctuation blanks may shrink (R3, R4, R6) at all; 不压缩 never does."""
        return self.punct_style != "plain"


DEFAULT = Settings()
_CANONICAL: dict[Settings, Settings] = {DEFAULT: DEFAULT}
_CANONICAL_LIMIT = 1024


def canonical(settings: Settings) -> Settings:
    """The one instance equal to `settings`. Settings key the paragraph and length caches;
    equal but distinct instances would be compared field by field (Fractions and all) on
    every lookup, the same instance by identity."""
    found = _CANONICAL.get(settings)
    if found is None:
        if len(_CANONICAL) >= _CANONICAL_LIMIT:
            _CANONICAL.clear()
        found = _CANONICAL[settings] = settings
    return found


@lru_cache(maxsize=256)
def varied(settings: Settings, changes: tuple[tuple[str, Any], ...]) -> Settings:
    """`settings` with some fields changed, made once per variant (a headline's no-indent)."""
    return canonical(replace(settings, **dict(changes)))


@lru_cache(maxsize=256)
def to_lu(em: int, value: Fraction | int) -> int:
    """`value` em at an em of `em` lu, rounded half up with integer arithmetic."""
    value = Fraction(value)
    return (2 * em * value.numerator + value.denominator) // (2 * value.denominator)


class Lengths(NamedTuple):
    """The settings' em lengths at one em, in lu. Worked out once per style: hashing their
    `Fraction`s on every paragraph cost more than the arithmetic."""

    indent: int
    space_min: int
    space_max: int
    auto: int  # CJK–Latin autospace, natural (0 when off)
    auto_shrink: int  # what R5 may take from it (0 when fixed)
    auto_stretch: int  # what E2 may add to it
    tracking: int  # letter-spacing between units


@lru_cache(maxsize=256)
def lengths(settings: Settings, em: int) -> Lengths:
    auto = settings.autospace
    natural = to_lu(em, auto[0]) if auto else 0
    shrink = stretch = 0
    if auto and not settings.autospace_fixed and not settings.grid_mode:
        shrink = natural - to_lu(em, auto[1])
        stretch = to_lu(em, auto[2]) - natural
    return Lengths(
        to_lu(em, settings.first_line_indent),
        to_lu(em, settings.latin_space_min_max[0]),
        to_lu(em, settings.latin_space_min_max[1]),
        natural,
        shrink,
        stretch,
        to_lu(em, settings.tracking),
    )
