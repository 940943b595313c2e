"""The build step pyproject.toml cannot declare: a wheel carries `layouts/`, `fonts/` and
`assets/` from the top of the checkout as package data in `app/bundled/`, where
app/bundled.py finds them. Editable installs read them from the checkout and copy nothing."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("layouts", "fonts", "assets")  # app/bundled.py FOLDERS


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        top = Path(__file__).resolve().parent
        for name in FOLDERS:
            target = Path(self.build_lib) / "app" / "bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(top / name, target, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithData})
