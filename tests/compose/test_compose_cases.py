"""T01–T25 of cjk-composition.md (d), plus style and grid cases, against their golden dumps."""

from __future__ import annotations

import compose_golden as golden
import pytest

FILES = ("spec", "styles")


def _params():
    for name in FILES:
        _, cases = golden.load(name)
        for case in cases:
            yield pytest.param(name, case, id=f"{name}:{case.name}")


@pytest.mark.parametrize(("file", "case"), list(_params()))
def test_case(file, case):
    assert case.compose() == "\n".join(case.expected)


def test_every_spec_case_is_present():
    _, cases = golden.load("spec")
    names = {case.name.split()[0] for case in cases}
    assert names == {f"T{n:02d}" for n in range(1, 26)}


@pytest.mark.skipif(not golden.updating(), reason="set PASTEUP_UPDATE_GOLDEN=1 to rewrite")
@pytest.mark.parametrize("file", [f for f in FILES if f != "spec"])
def test_update_golden(file):
    header, cases = golden.load(file)
    golden.save(file, header, cases)
