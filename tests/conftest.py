"""Suite-wide settings. In CI, hypothesis draws the same examples every run, so a landing is
judged on the code, not on which random cases came up; locally it keeps exploring. The tests
(and the commands they start) keep their caches of font hashes and converted pictures in a
folder of their own, not the user's."""

import atexit
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

if "PASTEUP_CACHE_DIR" not in os.environ:
    os.environ["PASTEUP_CACHE_DIR"] = tempfile.mkdtemp(prefix="pasteup-test-cache-")
    atexit.register(shutil.rmtree, os.environ["PASTEUP_CACHE_DIR"], ignore_errors=True)


def _pdfx_rules():
    """tests/export/pdfx_rules.py, loaded once (it is not a package module)."""
    path = Path(__file__).parent / "export" / "pdfx_rules.py"
    spec = importlib.util.spec_from_file_location("pdfx_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PDFX_RULES = _pdfx_rules()


@pytest.fixture(autouse=True)
def every_print_pdf_meets_pdfx(tmp_path_factory):
    """After each test, every PDF/X file written into the test folders it made (its tmp_path,
    fixtures' folders made for it) is held to our own PDF/X rule check
    (tests/export/pdfx_rules.py), whatever the test itself looked at."""
    base = tmp_path_factory.getbasetemp()
    before = set(base.iterdir())
    yield
    for folder in set(base.iterdir()) - before:
        for path in folder.rglob("*.pdf"):
            if PDFX_RULES.is_print_pdf(path):
                PDFX_RULES.assert_pdfx(path)
