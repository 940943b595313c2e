"""Where the data Pasteup ships with lives: layout grids, fonts and assets (ICC profiles, the
sample page).

In a checkout they are the top-level `layouts/`, `fonts/` and `assets/` folders; a built wheel
carries them as package data in `app/bundled/` (setup.py copies them there), found through
importlib.resources. One function answers for both, so no module counts parent folders.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FOLDERS = ("layouts", "fonts", "assets")


def bundled(name: str) -> Path:
    """The shipped folder `name` (one of FOLDERS)."""
    packaged = resources.files("app").joinpath("bundled", name)
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / name
