"""Converted pictures outlive the process: the next export of a page finds its unchanged photos
converted, and a damaged, stale or unwritable store only costs the conversion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image as PILImage
from samples import sample_copy

from app.export import picture_store, pictures
from app.export.colors import BUNDLED_PROFILE
from app.export.photos import prepare

ROOT = Path(__file__).resolve().parents[2]
CROP = (0.0, 0.0, 320.0, 240.0)


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PASTEUP_CACHE_DIR", str(folder))
    monkeypatch.setattr(pictures, "_prepared", type(pictures._prepared)())  # a new process
    return folder / picture_store.FOLDER


def _forget() -> None:
    """What a new process knows: nothing in memory."""
    pictures._prepared.clear()


def test_the_next_process_reads_the_conversion_from_the_store(store, photo):
    first = pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    name = picture_store.entry_name(str(photo), CROP, "cmyk", BUNDLED_PROFILE, 240.0)
    assert (store / name).is_file()
    _forget()
    assert pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE) == first
    # an entry with other (valid) facts is what the next process gets: it does not convert
    picture_store.store(name, first._replace(max_ink=12.5))
    _forget()
    assert pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE).max_ink == 12.5


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty"])
def test_a_damaged_entry_is_converted_again_and_replaced(store, photo, damage):
    fresh = prepare(str(photo), CROP, "cmyk", BUNDLED_PROFILE, 240.0)
    pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    entry = store / picture_store.entry_name(str(photo), CROP, "cmyk", BUNDLED_PROFILE, 240.0)
    data = entry.read_bytes()
    head, _, jpeg = data.partition(b"\n")
    entry.write_bytes(
        {
            "truncate": data[: len(data) - 100],
            "flip": head + b"\n" + jpeg[:50] + bytes([jpeg[50] ^ 1]) + jpeg[51:],
            "header": b'{"format": 1, "box": 3}\n' + jpeg,
            "empty": b"",
        }[damage]
    )
    _forget()
    assert pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE) == fresh
    assert entry.read_bytes() == data  # written whole again


def test_each_input_of_a_conversion_is_part_of_its_name(tmp_path, store, photo):
    name = picture_store.entry_name(str(photo), CROP, "cmyk", BUNDLED_PROFILE, 240.0)
    assert name != picture_store.entry_name(str(photo), (0.0, 0.0, 300.0, 240.0), "cmyk",
                                            BUNDLED_PROFILE, 240.0)  # fmt: skip
    assert name != picture_store.entry_name(str(photo), CROP, "rgb", BUNDLED_PROFILE, 240.0)
    assert name != picture_store.entry_name(str(photo), CROP, "cmyk", BUNDLED_PROFILE, 220.0)
    other_profile = tmp_path / "other.icc"
    other_profile.write_bytes(BUNDLED_PROFILE.read_bytes() + b"\0")
    assert name != picture_store.entry_name(str(photo), CROP, "cmyk", other_profile, 240.0)
    copy = tmp_path / "same.jpg"
    shutil.copy(photo, copy)  # the same bytes elsewhere: the same conversion
    assert name == picture_store.entry_name(str(copy), CROP, "cmyk", BUNDLED_PROFILE, 240.0)
    PILImage.new("L", (320, 240), 100).save(copy)
    assert name != picture_store.entry_name(str(copy), CROP, "cmyk", BUNDLED_PROFILE, 240.0)
    assert (
        picture_store.entry_name(str(tmp_path / "gone.jpg"), CROP, "cmyk", BUNDLED_PROFILE, 240.0)
        is None
    )


def test_an_unusable_store_only_costs_the_conversion(tmp_path, monkeypatch, photo):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("PASTEUP_CACHE_DIR", str(blocked))
    monkeypatch.setattr(pictures, "_prepared", type(pictures._prepared)())
    prepared = pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    assert prepared == prepare(str(photo), CROP, "cmyk", BUNDLED_PROFILE, 240.0)


def test_the_store_keeps_the_newest_entries(store, photo, monkeypatch):
    monkeypatch.setattr(picture_store, "MAX_ENTRIES", 3)
    prepared = pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    for number in range(5):
        picture_store.store(f"{number:064x}", prepared)
    assert sorted(p.name for p in store.iterdir()) == [f"{n:064x}" for n in (2, 3, 4)]


def test_two_exports_in_two_processes_embed_the_same_photo(tmp_path):
    sample_copy(tmp_path / "page")
    env_cache = tmp_path / "cache"
    outputs = []
    for number in (1, 2):
        output = tmp_path / f"page-{number}.pdf"
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", "export", str(tmp_path / "page" / "page.json"),
             "-o", str(output), "--force"],
            capture_output=True, text=True, cwd=ROOT, check=False,
            env={**os.environ, "PASTEUP_CACHE_DIR": str(env_cache)},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs.append(output)
    entries = list((env_cache / picture_store.FOLDER).iterdir())
    assert len(entries) == 1
    facts = json.loads(entries[0].read_bytes().partition(b"\n")[0])
    streams = []
    for output in outputs:
        with pikepdf.open(output) as pdf:
            (image,) = [
                x
                for x in pdf.pages[0].get_images().values()
                if x.get("/ColorSpace") == "/DeviceCMYK"
            ]
            streams.append(image.read_raw_bytes())
    assert streams[0] == streams[1]
    assert len(streams[0]) == facts["length"]


def test_is_prepared_tells_a_conversion_made_from_one_to_make(store, photo):
    """The print prefetch converts up front only what is not made yet (publish.py)."""
    other = (8.0, 8.0, 200.0, 150.0)
    assert not pictures.is_prepared(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    pictures.prepare_image(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    assert pictures.is_prepared(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    _forget()  # a new process: the store has it
    assert pictures.is_prepared(str(photo), CROP, "cmyk", BUNDLED_PROFILE)
    assert not pictures.is_prepared(str(photo), other, "cmyk", BUNDLED_PROFILE)
    assert not pictures.is_prepared(str(photo), CROP, "cmyk", BUNDLED_PROFILE, 200.0)
