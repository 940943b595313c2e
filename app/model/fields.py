"""Reading untrusted JSON/TOML values with messages that name the file and the field.

Every loader in the model walks its input through a `Where` so that an error reads
``page.json: blocks[3].frames[0].span: expected a whole number ≥ 1, got "two"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from app.errors import PasteupError
from app.model import limits
from app.model.units import UnitError, length_pt, size_pt

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Where:
    """The file being read and the path to the current value inside it."""

    source: str
    path: str = ""

    def key(self, name: str) -> Where:
        return Where(self.source, f"{self.path}.{name}" if self.path else name)

    def index(self, i: int) -> Where:
        return Where(self.source, f"{self.path}[{i}]")

    def error(self, message: str) -> PasteupError:
        field = f"{self.path}: " if self.path else ""
        return PasteupError(f"{self.source}: {field}{message}")


def as_dict(value: Any, where: Where, allowed: Iterable[str], required: Iterable[str] = ()) -> dict:
    """A mapping whose keys are all known; unknown keys are refused by name, never dropped."""
    if not isinstance(value, dict):
        raise where.error(f"expected an object, got {_kind(value)}")
    allowed = set(allowed)
    for name in value:
        if name not in allowed:
            raise where.error(f"unknown field {name!r} (known: {', '.join(sorted(allowed))})")
    for name in required:
        if name not in value:
            raise where.key(name).error("missing required field")
    return value


def as_mapping(value: Any, where: Where, *, limit: int = limits.MAX_LIST) -> dict:
    """A mapping whose keys are names the user chose (story ids, font roles, editor titles)."""
    if not isinstance(value, dict):
        raise where.error(f"expected an object, got {_kind(value)}")
    if len(value) > limit:
        raise where.error(f"{len(value)} entries are more than the limit of {limit}")
    for key in value:
        as_str(key, where.key(limits.shown(key, 40)), limit=limits.MAX_FIELD_CHARS)
    return value


def as_str(
    value: Any, where: Where, *, empty: bool = True, limit: int = limits.MAX_FIELD_CHARS
) -> str:
    """Text of at most `limit` characters without controls, bidi overrides or lone surrogates."""
    if not isinstance(value, str):
        raise where.error(f"expected text, got {_kind(value)}")
    problem = limits.text_problem(value, limit)
    if problem:
        raise where.error(problem)
    if not empty and not value.strip():
        raise where.error("must not be empty")
    return value


def as_note(value: Any, where: Where) -> str:
    """Text a proof brought in (comments, authors, dates, the marked text): kept as written,
    line breaks and all, for review; only unsaveable lone surrogates and length past
    limits.MAX_PARAGRAPH_CHARS are refused. A replacement is checked like typed text when it
    is applied to a story (PageDocument.replace_text)."""
    if not isinstance(value, str):
        raise where.error(f"expected text, got {_kind(value)}")
    problem = limits.text_problem(value, limits.MAX_PARAGRAPH_CHARS, controls=True)
    if problem:
        raise where.error(problem)
    return value


def as_int(
    value: Any,
    where: Where,
    *,
    minimum: int | None = None,
    maximum: int = limits.MAX_WHOLE,
) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"expected a whole number, got {_kind(value)}")
    if minimum is not None and value < minimum:
        raise where.error(f"expected a whole number ≥ {minimum}, got {_number(value)}")
    if not -limits.MAX_WHOLE <= value <= maximum:
        raise where.error(f"expected a whole number ≤ {maximum:,} in size, got {_number(value)}")
    return value


def as_number(
    value: Any,
    where: Where,
    *,
    minimum: float | None = None,
    maximum: float = limits.MAX_NUMBER,
) -> float:
    """A finite number within [minimum, maximum] (NaN and Infinity are refused by name)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(f"expected a number, got {_kind(value)}")
    if value != value or value in (float("inf"), float("-inf")):
        raise where.error(f"expected a finite number, got {_number(value)}")
    if minimum is not None and value < minimum:
        raise where.error(f"expected a number ≥ {minimum}, got {_number(value)}")
    if not -limits.MAX_NUMBER <= value <= maximum:
        raise where.error(f"expected a number ≤ {maximum:g} in size, got {_number(value)}")
    return float(value)


def as_bool(value: Any, where: Where) -> bool:
    if not isinstance(value, bool):
        raise where.error(f"expected true or false, got {_kind(value)}")
    return value


def as_list(
    value: Any, where: Where, item: Callable[[Any, Where], T], *, limit: int = limits.MAX_LIST
) -> list[T]:
    if not isinstance(value, list):
        raise where.error(f"expected a list, got {_kind(value)}")
    if len(value) > limit:
        raise where.error(f"{len(value)} entries are more than the limit of {limit}")
    return [item(entry, where.index(i)) for i, entry in enumerate(value)]


def as_choice(value: Any, where: Where, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise where.error(f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def as_length(value: Any, where: Where, *, minimum: float | None = None) -> float:
    """A length in points, within ±3 m (limits.MAX_LENGTH_PT) and ≥ `minimum` if given."""
    try:
        points = length_pt(value)
    except UnitError as error:
        raise where.error(str(error)) from None
    low = -limits.MAX_LENGTH_PT if minimum is None else minimum
    if not low <= points <= limits.MAX_LENGTH_PT:
        raise where.error(
            f"expected a length from {low:g} to {limits.MAX_LENGTH_PT:.0f} pt (3 m), "
            f"got {_number(points)}"
        )
    return points


def as_size(value: Any, where: Where) -> float:
    """A type size, 1–500 pt."""
    try:
        points = size_pt(value)
    except UnitError as error:
        raise where.error(str(error)) from None
    if not limits.MIN_TYPE_SIZE_PT <= points <= limits.MAX_TYPE_SIZE_PT:
        raise where.error(
            f"expected a type size from {limits.MIN_TYPE_SIZE_PT:g} to "
            f"{limits.MAX_TYPE_SIZE_PT:g} pt, got {_number(points)}"
        )
    return points


def _number(value: float) -> str:
    """A number as the message shows it: short even when it has thousands of digits."""
    if isinstance(value, int) and abs(value) >= 10**30:
        return f"a whole number of {value.bit_length()} bits"
    return repr(value)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return (
                f"{name} {limits.shown(value, 40)!r}"
                if isinstance(value, str)
                else f"{name} {value!r}"
                if kind is bool
                else name
            )
    return (
        f"the number {_number(value)}" if isinstance(value, int | float) else type(value).__name__
    )
