"""Font hashes remembered on disk: right, reused only while the file is unchanged, never fatal."""

import hashlib
import json
import os
import shutil
import time

import pytest

from app.fonts import Face, filehash
from app.fonts.filehash import CACHE_NAME, file_sha256
from app.fonts.registry import BUNDLED_DIR

KAI = BUNDLED_DIR / "PasteupWenKai-Regular.ttf"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A private cache folder and an empty in-process memory (as in a fresh process)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PASTEUP_CACHE_DIR", str(folder))
    monkeypatch.setattr(filehash, "_known", {})
    return folder


def forget_in_process(monkeypatch):
    monkeypatch.setattr(filehash, "_known", {})


def entries(folder):
    return json.loads((folder / CACHE_NAME).read_text("utf-8"))["files"]


def test_hash_is_the_files_sha256_and_is_remembered(cache):
    expected = hashlib.sha256(KAI.read_bytes()).hexdigest()
    assert file_sha256(KAI) == expected == Face(KAI).sha256
    assert entries(cache)[os.path.realpath(KAI)][1] == expected


def test_the_remembered_hash_is_used_while_the_file_is_unchanged(cache, monkeypatch):
    file_sha256(KAI)
    # Plant a wrong digest for the same file identity: a fresh process must take it from the
    # cache (this is how we see the cache is read; real entries are never wrong).
    data = json.loads((cache / CACHE_NAME).read_text("utf-8"))
    data["files"][os.path.realpath(KAI)][1] = "0" * 64
    (cache / CACHE_NAME).write_text(json.dumps(data), "utf-8")
    forget_in_process(monkeypatch)
    assert file_sha256(KAI) == "0" * 64


@pytest.mark.parametrize("change", ["append", "same-size-times-restored", "replaced"])
def test_a_changed_font_is_hashed_again(cache, tmp_path, monkeypatch, change):
    monkeypatch.setattr(filehash, "RACY_SECONDS", -1e9)  # remember even files changed just now
    font = tmp_path / "font.ttf"
    shutil.copyfile(KAI, font)
    original = file_sha256(font)
    stat = os.stat(font)
    # The kernel stamps ctime from a coarse clock (a few ms); the racy-file guard disabled
    # above is what covers two writes within one tick in real use.
    time.sleep(0.05)
    data = bytearray(font.read_bytes())
    if change == "append":
        font.write_bytes(bytes(data) + b"\0\0\0\0")
    elif change == "same-size-times-restored":  # what `cp -p` or a careless tool would do
        data[100] ^= 0xFF
        font.write_bytes(bytes(data))
        os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    else:
        data[100] ^= 0xFF
        other = tmp_path / "other.ttf"
        other.write_bytes(bytes(data))
        os.replace(other, font)
    forget_in_process(monkeypatch)
    changed = file_sha256(font)
    assert changed == hashlib.sha256(font.read_bytes()).hexdigest() != original


def test_a_file_changed_moments_ago_is_not_remembered(cache, tmp_path):
    font = tmp_path / "fresh.ttf"
    shutil.copyfile(KAI, font)
    assert file_sha256(font) == hashlib.sha256(font.read_bytes()).hexdigest()
    assert not (cache / CACHE_NAME).exists() or os.path.realpath(font) not in entries(cache)


@pytest.mark.parametrize("content", ["{not json", '{"format": 99, "files": {}}', '{"format": 1, "files": {"x": [1, 2]}}', "[]"])  # fmt: skip
def test_a_broken_cache_file_is_ignored_and_rewritten(cache, content):
    cache.mkdir()
    (cache / CACHE_NAME).write_text(content, "utf-8")
    assert file_sha256(KAI) == hashlib.sha256(KAI.read_bytes()).hexdigest()
    assert os.path.realpath(KAI) in entries(cache)


def test_an_unwritable_cache_folder_costs_only_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PASTEUP_CACHE_DIR", str(blocker / "pasteup"))
    monkeypatch.setattr(filehash, "_known", {})
    assert file_sha256(KAI) == hashlib.sha256(KAI.read_bytes()).hexdigest()


def test_the_cache_keeps_a_bounded_number_of_files(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(filehash, "RACY_SECONDS", -1e9)
    monkeypatch.setattr(filehash, "MAX_ENTRIES", 3)
    paths = []
    for i in range(5):
        path = tmp_path / f"f{i}.bin"
        path.write_bytes(bytes([i]) * 10)
        paths.append(os.path.realpath(path))
        file_sha256(path)
    assert list(entries(cache)) == paths[-3:]
