"""A 24-page edition: export, re-export after a one-character edit, compose, open.

The edition is the sample edition (assets/samples/edition: the sample page with its jumping 人大
story and an ad, a full-page ad, two continuation pages) six times over, ids suffixed per copy,
so it holds 6 full news pages, 6 full-page ads and 12 continuation pages with 12 jumps.

Prints the medians and, last, one JSON line:
{"export_24_s": …, "reexport_after_edit_s": …, "compose_24_ms": …, "open_edition_s": …}
Targets (2-core reference machine): fresh-process export of all 24 pages ≤ 2.0 s, re-export
after a one-character edit ≤ 0.3 s, composing all 24 pages warm ≤ 300 ms, opening ≤ 1.5 s.

- export_24_s: `pasteup edition export` in a new interpreter into an empty folder (every page
  written), with compiled bytecode and the font-hash and picture caches filled by one untimed run.
- reexport_after_edit_s: with the edition open (the editor's case, one process), one character
  of the lead story on the first page changed, then the edition exported again: the touched page
  recomposed, every page checked and hashed, one page written. The same in a new process (which
  must compose all 24 pages again first) is printed above it.
- compose_24_ms: a new EditionComposer composing all 24 pages in a process whose font metrics
  are loaded (the editor's state after the first page); the no-change recompose is printed too.
- open_edition_s: opening the edition in the editor: reading and validating the folder,
  composing every page, painting the navigator's 24 thumbnails and the first page's session
  (Qt offscreen; the window's own widgets are benchmarks/editor.py's).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.compose.edition import EditionComposer  # noqa: E402
from app.model.editionfile import read_edition, save_story  # noqa: E402

SAMPLE = ROOT / "assets" / "samples" / "edition"
COPIES = 6
RUNS = 5


NAMES = ("id", "story", "continues", "photo", "page")  # fields that hold an id


def renamed(data, suffix: str):
    """JSON with every id (in the fields NAMES) suffixed."""
    if isinstance(data, dict):
        return {
            k: f"{v}{suffix}" if k in NAMES and isinstance(v, str) else renamed(v, suffix)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [renamed(v, suffix) for v in data]
    return data


def build(folder: Path) -> None:
    """The sample edition COPIES times over, as one edition folder, ready for the plant."""
    plan = json.loads((SAMPLE / "edition.json").read_text("utf-8"))
    pages = {
        p["id"]: json.loads((SAMPLE / f"{p['id']}.json").read_text("utf-8")) for p in plan["pages"]
    }
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.json"))
    (folder / "stories").mkdir(exist_ok=True)
    out = {**plan, "pages": [], "stories": [], "ads": []}
    for copy in range(COPIES):
        suffix = f"-{copy}"
        for entry in plan["pages"]:
            out["pages"].append(renamed(entry, suffix) | {"number": str(len(out["pages"]) + 1)})
            page = renamed(pages[entry["id"]], suffix)
            (folder / f"{entry['id']}{suffix}.json").write_text(real(page))
        for story in plan["stories"]:
            shutil.copy(
                SAMPLE / "stories" / f"{story}.json", folder / "stories" / f"{story}{suffix}.json"
            )
            out["stories"].append(story + suffix)
        out["ads"] += [renamed(ad, suffix) for ad in plan["ads"]]
    (folder / "edition.json").write_text(real(out))


def real(data) -> str:
    """`data` as JSON with its stand-in photo and ads declared real: a placeholder never prints."""
    return json.dumps(data, ensure_ascii=False).replace(
        '"placeholder": true', '"placeholder": false'
    )


def fresh(folder: Path, outdir: Path, scratch: Path, clean: bool) -> float:
    command = [sys.executable, "-m", "app.cli", "edition", "export", str(folder), "-o", str(outdir)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "PYTHONPYCACHEPREFIX": str(scratch / "pyc"),
        "PASTEUP_CACHE_DIR": str(scratch / "cache"),
    }
    if clean and outdir.exists():
        shutil.rmtree(outdir)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"export failed: {result.stderr.strip()}")
    return elapsed


def edit_one_character(folder: Path, nth: int) -> None:
    edition = read_edition(folder)
    story = edition.stories["lead-0"]
    at = 40 + nth % 20
    edition.stories["lead-0"] = story.replace_text(at, at + 1, "甲乙"[nth % 2])
    save_story(edition, "lead-0")


def warm_reexport(folder: Path, outdir: Path) -> float:
    """In one process with the edition open: export all, edit one character, export again."""
    from app.delivery import deliver
    from app.export.preflight import preflight

    edition, composer = read_edition(folder), EditionComposer()

    def export() -> None:
        layouts = composer.compose(edition)
        findings = {i: preflight(p) for i, p in zip(layouts.ids, layouts.pages, strict=True)}
        deliver(edition, layouts, outdir, findings=findings)

    export()
    story = edition.stories["lead-0"]
    edition.stories["lead-0"] = story.replace_text(50, 51, "丙")
    start = time.perf_counter()
    export()
    return time.perf_counter() - start


def open_in_editor(folder: Path) -> float:
    """Read the folder, compose every page and paint the navigator's 24 thumbnails (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.editor.canvas.resources import PaintResources
    from app.editor.edition.navigator import PageNavigator
    from app.editor.edition.workspace import EditionWorkspace

    app = QApplication.instance() or QApplication([])
    start = time.perf_counter()
    workspace = EditionWorkspace.open(folder)
    navigator = PageNavigator(workspace, PaintResources())
    workspace.session(workspace.current)
    elapsed = time.perf_counter() - start
    navigator.deleteLater()
    app.processEvents()
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        folder = scratch / "edition"
        build(folder)
        outdir = scratch / "plant"
        first = fresh(folder, outdir, scratch, clean=True)  # bytecode, font hashes, pictures
        export = [fresh(folder, outdir, scratch, clean=True) for _ in range(RUNS)]
        reexport = []
        for n in range(RUNS):
            edit_one_character(folder, n)
            reexport.append(fresh(folder, outdir, scratch, clean=False))
        written = [e for e in json.loads((outdir / "manifest.json").read_text())["pages"]
                   if e["state"] == "written"]  # fmt: skip
        opens, composes, again, warm = [], [], [], []
        for _ in range(RUNS):
            opens.append(open_in_editor(folder))
            edition = read_edition(folder)
            composer = EditionComposer()
            start = time.perf_counter()
            composer.compose(edition)
            composes.append(time.perf_counter() - start)
            start = time.perf_counter()
            composer.compose(edition)
            again.append(time.perf_counter() - start)
            warm.append(warm_reexport(folder, scratch / "warm"))
    export_s, reexport_s = statistics.median(export), statistics.median(warm)
    compose_ms = statistics.median(composes) * 1000
    open_s = statistics.median(opens)
    print(f"24 pages ({COPIES} × the sample edition), cpus {os.cpu_count()}")
    print(f"first export (caches empty): {first:.2f} s")
    print(f"fresh-process export, all written (median of {RUNS}): {export_s:.2f} s")
    print(f"fresh-process re-export after one character (median of {RUNS}): "
          f"{statistics.median(reexport):.2f} s, {len(written)} page(s) written")  # fmt: skip
    print(f"compose 24 pages, fonts warm: {compose_ms:.0f} ms; unchanged recompose: "
          f"{statistics.median(again) * 1000:.1f} ms")  # fmt: skip
    print(f"open in the editor (read, compose all, 24 thumbnails): {open_s:.2f} s")
    print(f"re-export after one character with the edition open: {reexport_s:.3f} s")
    print(json.dumps({"export_24_s": round(export_s, 3), "reexport_after_edit_s": round(reexport_s, 3),
                      "compose_24_ms": round(compose_ms, 1), "open_edition_s": round(open_s, 3)}))  # fmt: skip


if __name__ == "__main__":
    main()
