"""Reading untrusted JSON/TOML values with messages that name the file and the field.

Every loader in the model walks its input through a `Where` so that an error reads
``page.json: blocks[3].frames[0].span: expected a whole number ≥ 1, got "two"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from app.errors import PasteupError
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


def as_mapping(value: Any, where: Where) -> dict:
    """A mapping whose keys are names the user chose (story ids, font roles, editor titles)."""
    if not isinstance(value, dict):
        raise where.error(f"expected an object, got {_kind(value)}")
    return value


def as_str(value: Any, where: Where, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise where.error(f"expected text, got {_kind(value)}")
    if not empty and not value.strip():
        raise where.error("must not be empty")
    return value


def as_int(value: Any, where: Where, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"expected a whole number, got {_kind(value)}")
    if minimum is not None and value < minimum:
        raise where.error(f"expected a whole number ≥ {minimum}, got {value}")
    return value


def as_number(value: Any, where: Where, *, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(f"expected a number, got {_kind(value)}")
    if minimum is not None and value < minimum:
        raise where.error(f"expected a number ≥ {minimum}, got {value}")
    return float(value)


def as_bool(value: Any, where: Where) -> bool:
    if not isinstance(value, bool):
        raise where.error(f"expected true or false, got {_kind(value)}")
    return value


def as_list(value: Any, where: Where, item: Callable[[Any, Where], T]) -> list[T]:
    if not isinstance(value, list):
        raise where.error(f"expected a list, got {_kind(value)}")
    return [item(entry, where.index(i)) for i, entry in enumerate(value)]


def as_choice(value: Any, where: Where, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise where.error(f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def as_length(value: Any, where: Where) -> float:
    try:
        return length_pt(value)
    except UnitError as error:
        raise where.error(str(error)) from None


def as_size(value: Any, where: Where) -> float:
    try:
        return size_pt(value)
    except UnitError as error:
        raise where.error(str(error)) from None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return f"{name} {value!r}" if kind in (str, bool) else name
    return f"the number {value!r}" if isinstance(value, int | float) else type(value).__name__
