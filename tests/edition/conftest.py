import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "edition"


@pytest.fixture
def sample_edition_dir(tmp_path) -> Path:
    """A copy of the sample edition as it is, stand-in photo and ads included."""
    folder = tmp_path / "sample-edition"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.fixture
def edition_dir(tmp_path) -> Path:
    """A copy of the sample edition the test may change, its stand-in photo and ads declared
    the real ones: a placeholder never prints (the print PDF refuses it)."""
    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    for path in (folder / "edition.json", *folder.glob("p*.json")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"placeholder": true', '"placeholder": false'), "utf-8")
    return folder
