"""Shared fixtures: a real sample page document and a proof of three of its stories."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from proofpdf import Column, build_proof, set_columns

from app.model import read_document

SAMPLE = Path(__file__).parents[2] / "assets" / "samples" / "news-page"
COLUMNS = [
    Column("zhengwu", "zhengwu", 10, 20, 126),
    Column("xiyun", "xiyun", 150, 20, 126),
    Column("photo-caption", "photo-caption", 290, 20, 117),
]


@pytest.fixture
def page_path(tmp_path: Path) -> Path:
    """A private copy of the sample page (its photo alongside) that tests may save over."""
    for item in SAMPLE.iterdir():
        if item.is_file():
            shutil.copy(item, tmp_path / item.name)
    return tmp_path / "page.json"


@pytest.fixture
def document(page_path: Path):
    return read_document(page_path)


@pytest.fixture
def layout(document):
    return set_columns(document, COLUMNS)


@pytest.fixture
def proof_pdf(document, layout) -> bytes:
    return build_proof(document, layout)
