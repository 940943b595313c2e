"""Suite-wide settings. In CI, hypothesis draws the same examples every run, so a landing is
judged on the code, not on which random cases came up; locally it keeps exploring. The tests
(and the commands they start) keep their caches of font hashes and converted pictures in a
folder of their own, not the user's."""

import atexit
import os
import shutil
import tempfile

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

if "PASTEUP_CACHE_DIR" not in os.environ:
    os.environ["PASTEUP_CACHE_DIR"] = tempfile.mkdtemp(prefix="pasteup-test-cache-")
    atexit.register(shutil.rmtree, os.environ["PASTEUP_CACHE_DIR"], ignore_errors=True)
