"""Fuzzing in CI: hypothesis drives the structure-aware mutators (mutators.py,
edition_mutators.py) over the five kinds of input, through `app.cli.main` in a capped worker (harness.py), on a fixed budget of
examples (FUZZ_EXAMPLES scales it). Every input that ever failed is kept in corpus/ and
replayed first. `./dev fuzz N` runs the long campaign (campaign.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fuzzing import CORPUS, KINDS, SUFFIX, Fuzzer, keep
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# examples per kind: ~1 minute of the suite together on a loaded 2-core machine
BUDGET = {"page": 250, "layout": 150, "story": 150, "proof": 60, "edition": 40}
SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1"))


def _check(fuzzer: Fuzzer, kind: str, data: bytes, choice: int, *, save: bool = True) -> None:
    for outcome in fuzzer.run(kind, data, choice):
        if outcome.failed:
            name = keep(kind, data).name if save else "from the corpus"
            pytest.fail(f"{kind} input {name}: {outcome.kind}\n{outcome.detail}")


def _fuzz_test(kind: str):
    @settings(
        max_examples=max(1, int(BUDGET[kind] * SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(rnd=st.randoms(use_true_random=False), choice=st.integers(0, 11))
    def test(fuzzer, rnd, choice):
        _check(fuzzer, kind, fuzzer.make(kind, rnd), choice)

    test.__name__ = f"test_fuzz_{kind}"
    test.__doc__ = f"Mutated {kind} inputs: one line or success, never a traceback or a hang."
    return test


test_fuzz_page = _fuzz_test("page")
test_fuzz_layout = _fuzz_test("layout")
test_fuzz_story = _fuzz_test("story")
test_fuzz_proof = _fuzz_test("proof")
test_fuzz_edition = _fuzz_test("edition")


def _corpus(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).glob("*")) if (CORPUS / folder).is_dir() else []


CASES = [(kind, path) for kind in KINDS for path in _corpus(kind)]


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[p.name for _, p in CASES])
def test_corpus_input_stays_fixed(fuzzer, kind, path):
    """An input that once failed is kept (corpus/KIND/), and its every command stays clean."""
    assert path.suffix == SUFFIX[kind]
    for choice in range(1 if kind == "edition" else 4):  # an edition input names its command
        _check(fuzzer, kind, path.read_bytes(), choice, save=False)
