"""A wheel built from the checkout, installed in a clean virtual environment outside it, is a
Pasteup that finds its grids, fonts and profiles and exports the sample page.

The new environment gets the wheel alone (--no-deps --no-index); its dependencies come from
this test's own environment through a .pth line naming that site-packages folder. A .pth line
adds the folder but runs none of the .pth files in it, so the checkout's editable install
stays out and `app` can only come from the wheel (asserted). On a clean CI machine the wheel
build fetches its build backend (setuptools) from PyPI, as any `pip wheel` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str | Path, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_the_wheel_installs_and_exports_the_sample_page(tmp_path):
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT, cwd=tmp_path)
    (wheel,) = dist.glob("pasteup-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("app/bundled/layouts/broadsheet-8col.toml", "app/bundled/fonts/manifest.json",
                    "app/bundled/assets/profiles/CGATS-TR002-newsprint.icc"):  # fmt: skip
        assert shipped in names

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path
        ).strip()
    )
    (site / "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
         "--no-index", wheel, cwd=tmp_path)  # fmt: skip

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = _run(python, "-c", "import app; print(app.__file__)", cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(venv)
    shipped_sample = site / "app" / "bundled" / "assets" / "samples" / "news-page"
    sample = shutil.copytree(shipped_sample, tmp_path / "news-page")
    pasteup = venv / "bin" / "pasteup"
    _run(pasteup, "validate", sample / "page.json", cwd=tmp_path, env=env)
    _run(pasteup, "compose", sample / "page.json", cwd=tmp_path, env=env)
    _run(
        pasteup, "export", sample / "page.json", "-o", tmp_path / "page.pdf", cwd=tmp_path, env=env
    )
    assert (tmp_path / "page.pdf").read_bytes().startswith(b"%PDF")
