"""The core never imports Qt: checked at run time in a fresh interpreter."""

import json
import subprocess
import sys


def test_no_qt_outside_the_editor():
    script = """
import importlib, json, pkgutil, sys
import app
names = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")
         if not m.name.startswith("app.editor")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names,
                  "qt": sorted(k for k in sys.modules if k.split(".")[0] in ("PySide6", "shiboken6"))}))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert "app.model.document" in result["modules"]
    assert result["qt"] == []
