"""Saving never leaves a corrupt page: proven by killing a writer at random moments."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.model import read_document, save_document
from app.model.save import backup_path, write_atomic

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"

WRITER = """
import sys
from pathlib import Path
from app.model import read_document, save_document
target = Path(sys.argv[1])
document = read_document(target)
n = 0
print("ready", flush=True)
while True:
    n += 1
    document.replace_text("lead", 0, 1, "榆" if n % 2 else "渝")
    save_document(document, target)
"""


def test_save_keeps_previous_version_as_backup(tmp_path):
    target = tmp_path / "page.json"
    target.write_bytes(SAMPLE.read_bytes())
    document = read_document(target)
    document.replace_text("lead", 0, 0, "新")
    save_document(document)
    assert backup_path(target).read_bytes() == SAMPLE.read_bytes()
    assert read_document(target).stories["lead"].stream.startswith("新")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_killed_writer_never_leaves_a_corrupt_file(tmp_path):
    target = tmp_path / "page.json"
    target.write_bytes(SAMPLE.read_bytes())
    rng = random.Random(20261128)
    kills = 0
    for _ in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        kills += 1
        document = read_document(target)  # must load: old or new version, whole
        assert document.stories["lead"].stream[0] in "榆渝"
        if backup_path(target).exists():
            read_document(backup_path(target))
    assert kills == 12
    save_document(read_document(target))  # the next save sweeps up what the killed ones left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.json", "page.json.bak"]


def test_the_next_save_removes_stale_temporaries_of_that_page_only(tmp_path):
    target = tmp_path / "page.json"
    target.write_bytes(SAMPLE.read_bytes())
    stale = [tmp_path / ".page.json.k3j_9x.tmp", tmp_path / ".page.json.bak.tmp"]
    others = [tmp_path / ".other.json.a1.tmp", tmp_path / "page.json.tmp"]
    for path in stale + others:
        path.write_bytes(b"{")
    save_document(read_document(target))
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in others)


def test_saving_never_replaces_what_is_not_a_regular_file(tmp_path):
    import pytest

    from app.errors import PasteupError

    folder = tmp_path / "page.json"
    folder.mkdir()
    with pytest.raises(PasteupError, match="is a directory"):
        write_atomic(folder, b"{}")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(PasteupError, match="not a file"):
        write_atomic(fifo, b"{}")
    assert folder.is_dir() and fifo.is_fifo()


def test_a_symlinked_page_is_saved_through_to_its_file(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(SAMPLE.read_bytes())
    link = tmp_path / "page.json"
    link.symlink_to(real.name)
    document = read_document(link)
    document.replace_text("lead", 0, 0, "新")
    save_document(document)
    assert link.is_symlink()
    assert read_document(real).stories["lead"].stream.startswith("新")


def test_unwritable_folder_is_one_clear_error(tmp_path):
    import pytest

    from app.errors import PasteupError

    with pytest.raises(PasteupError, match="cannot write"):
        write_atomic(tmp_path / "missing-folder" / "page.json", b"{}")


def _save_many(target: str, mark: int, keep_backup: bool) -> str:
    from app.model.save import write_atomic

    try:
        for n in range(150):
            write_atomic(Path(target), f"{mark}-{n}".encode(), keep_backup=keep_backup)
    except Exception as error:  # reported to the test, which fails on it
        return f"{type(error).__name__}: {error}"
    return ""


def test_concurrent_saves_of_one_file_never_sweep_each_others_temporaries(tmp_path):
    """Two commands on one database edition fetch the same picture into one work folder: a
    save's sweep of stale temporaries must not delete the other's file mid-save."""
    from concurrent.futures import ProcessPoolExecutor

    target = tmp_path / "ad-full.jpg"
    with ProcessPoolExecutor(4) as pool:
        runs = [pool.submit(_save_many, str(target), m, m % 2 == 0) for m in range(4)]
        errors = [run.result() for run in runs]
    assert errors == ["", "", "", ""]
    assert target.read_bytes().decode().split("-")[0] in "0123"
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["ad-full.jpg"],
        ["ad-full.jpg", "ad-full.jpg.bak"],
    )
