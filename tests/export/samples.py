"""The sample page, copied for a test to change and export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "assets" / "samples" / "news-page"


def sample_copy(folder: Path, real_photo: bool = True) -> Path:
    """The sample page copied to `folder`, its page.json's path. With `real_photo` its stand-in
    photo is declared the paper's own, as it will be once the real one is placed: a
    placeholder never prints."""
    shutil.copytree(SAMPLE, folder)
    page = folder / "page.json"
    if real_photo:
        data = json.loads(page.read_text(encoding="utf-8"))
        for block in data["blocks"]:
            if block["type"] == "photo":
                block["placeholder"] = False
        page.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return page
