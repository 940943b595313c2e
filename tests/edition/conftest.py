import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "edition"


@pytest.fixture
def edition_dir(tmp_path) -> Path:
    """A copy of the sample edition the test may change."""
    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    return folder
