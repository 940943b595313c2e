"""The fuzz tests share one worker and one set of work folders per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fuzzing import Fuzzer
from harness import Harness


@pytest.fixture(scope="session")
def fuzzer(tmp_path_factory):
    with Harness(hang_seconds=20) as harness:
        yield Fuzzer(tmp_path_factory.mktemp("fuzz"), harness)
