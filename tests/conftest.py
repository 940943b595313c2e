"""Suite-wide settings. In CI, hypothesis draws the same examples every run, so a landing is
judged on the code, not on which random cases came up; locally it keeps exploring."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
