"""Golden cases in readable text files (tests/compose/cases/*.txt).

Set PASTEUP_UPDATE_GOLDEN=1 to rewrite the expected dumps of a file from the engine's output
(only for cases whose expectation is not dictated by the spec; review the diff before committing).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from app.compose.config import INFINITE, Settings
from app.compose.dump import dump_paragraph
from app.compose.metrics import SpecMetrics
from app.compose.paragraph import compose_paragraph

CASES = Path(__file__).parent / "cases"
METRICS = SpecMetrics(em=1680)
BASE = Settings(first_line_indent=Fraction(0))


@dataclass
class Case:
    name: str
    width: Fraction = Fraction(0)
    options: dict[str, object] = field(default_factory=dict)
    text: str = ""
    expected: list[str] = field(default_factory=list)

    def settings(self) -> Settings:
        return BASE.but(**self.options)

    def compose(self) -> str:
        measure = int(self.width * METRICS.em)
        return dump_paragraph(compose_paragraph(self.text, measure, METRICS, self.settings()))


def _value(text: str) -> object:
    if text == "inf":
        return INFINITE
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    try:
        return Fraction(text)
    except ValueError:
        return text


def load(name: str) -> tuple[list[str], list[Case]]:
    """The header lines and the cases of cases/<name>.txt."""
    header: list[str] = []
    cases: list[Case] = []
    for raw in (CASES / f"{name}.txt").read_text(encoding="utf-8").split("\n"):
        if raw.startswith("== "):
            cases.append(Case(raw[3:].strip()))
        elif not cases:
            header.append(raw)
        elif raw.startswith("width "):
            cases[-1].width = Fraction(raw[6:])
        elif raw.startswith("option "):
            key, _, value = raw[7:].partition("=")
            cases[-1].options[key.strip()] = _value(value.strip())
        elif raw.startswith("text "):
            cases[-1].text = raw[5:]
        elif raw.strip():
            cases[-1].expected.append(raw)
    return header, cases


def save(name: str, header: list[str], cases: list[Case]) -> None:
    out = list(header)
    for case in cases:
        out.append(f"== {case.name}")
        out.append(f"width {case.width}")
        for key, value in case.options.items():
            out.append(f"option {key}={'inf' if value == INFINITE else value}")
        out.append(f"text {case.text}")
        out.append(case.compose())
        out.append("")
    (CASES / f"{name}.txt").write_text("\n".join(out), encoding="utf-8")


def updating() -> bool:
    return os.environ.get("PASTEUP_UPDATE_GOLDEN") == "1"
