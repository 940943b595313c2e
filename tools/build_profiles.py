"""Rebuild the bundled CMYK output profile from free characterisation data.

Debian's `icc-profiles-free` ships no CMYK profile, only measurement data. ArgyllCMS
`colprof` turns the CGATS/SNAP TR 002 newsprint data (coldset on newsprint) into an
ICC output profile. The ink limit is 236 %: the newsprint ceiling our preflight uses is 240 %, and the
profile's interpolation overshoots its limit by a few percent, so converted photos stay below it.

Usage: `.venv/bin/python tools/build_profiles.py` (needs apt packages `argyll` and
`icc-profiles-free`). Writes `assets/profiles/CGATS-TR002-newsprint.icc`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path("/usr/share/color/icc/TR002.ti3")
TARGET = (
    Path(__file__).resolve().parent.parent / "assets" / "profiles" / "CGATS-TR002-newsprint.icc"
)
DESCRIPTION = "CGATS TR 002 SNAP newsprint, TAC 236% (Pasteup, ArgyllCMS colprof)"
COLPROF_ARGS = [
    "-qm",
    "-kr",
    "-l236",
    "-L95",
    "-D",
    DESCRIPTION,
    "-C",
    "Data: ANSI CGATS/SNAP TR 002-2007",
]


def build() -> Path:
    if not SOURCE.is_file():
        sys.exit(f"{SOURCE}: missing (apt-get install icc-profiles-free)")
    if shutil.which("colprof") is None:
        sys.exit("colprof: not found (apt-get install argyll)")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "TR002"
        shutil.copyfile(SOURCE, work.with_suffix(".ti3"))
        subprocess.run(["colprof", *COLPROF_ARGS, str(work)], check=True)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work.with_suffix(".icc"), TARGET)
    return TARGET


if __name__ == "__main__":
    print(build())
