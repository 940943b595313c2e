"""Work a print export does ahead of the writer — photos converted in a thread, fonts subset
while they convert — is the work the writer then finds done, not done twice."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PIL import Image as PILImage
from samples import sample_copy

from app.commands.export import compose_document
from app.compose.layout import Image
from app.export import fonts, pictures
from app.export.colors import BUNDLED_PROFILE
from app.export.photos import prepare
from app.export.print_pdf import export_print_pdf
from app.model import read_document
from app.publish import prefetch_pictures


def _sample_copy(tmp_path: Path):
    sample_copy(tmp_path / "page")
    return read_document(tmp_path / "page" / "page.json")


def test_prefetched_photo_is_the_one_preflight_and_export_use(tmp_path):
    document = _sample_copy(tmp_path)
    prefetch_pictures(document).join()
    (image,) = [i for i in compose_document(document).items if isinstance(i, Image)]
    key = pictures.cache_key(image.path, image.crop, "cmyk", BUNDLED_PROFILE, 240.0)
    assert key in pictures._prepared  # the layout's key: nothing is converted twice
    cached = pictures.prepare_image(image.path, image.crop, "cmyk", BUNDLED_PROFILE)
    fresh = prepare(image.path, image.crop, "cmyk", BUNDLED_PROFILE, 240.0)
    assert cached == fresh
    assert cached.mode == "CMYK" and cached.source_mode == "RGB"


def test_a_photo_to_convert_is_converted_before_the_prefetch_returns(tmp_path, monkeypatch):
    """Converted first, in a thread that has ended, the conversion's memory is back before
    composition loads the headline segmenter (publish.prefetch_pictures)."""
    monkeypatch.setenv("PASTEUP_CACHE_DIR", str(tmp_path / "cache"))  # nothing in the store
    monkeypatch.setattr(pictures, "_prepared", type(pictures._prepared)())  # a new process
    document = _sample_copy(tmp_path)
    assert not prefetch_pictures(document).is_alive()
    (image,) = [i for i in compose_document(document).items if isinstance(i, Image)]
    assert pictures.is_prepared(image.path, image.crop, "cmyk", BUNDLED_PROFILE)


def test_a_changed_picture_is_converted_again(tmp_path, photo):
    path = tmp_path / "p.jpg"
    shutil.copy(photo, path)
    crop = (0.0, 0.0, 320.0, 240.0)
    first = pictures.prepare_image(str(path), crop, "cmyk", BUNDLED_PROFILE)
    assert pictures.prepare_image(str(path), crop, "cmyk", BUNDLED_PROFILE) is first
    PILImage.new("L", (320, 240), 128).save(path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = pictures.prepare_image(str(path), crop, "cmyk", BUNDLED_PROFILE)
    assert second.source_mode == "L" and second.jpeg != first.jpeg


def test_fonts_subset_ahead_are_the_ones_the_writer_embeds(tmp_path):
    layout = compose_document(_sample_copy(tmp_path))
    fonts._cached_subset.cache_clear()
    fonts.subset_page_fonts(layout)
    made = fonts._cached_subset.cache_info().misses
    assert made == len({run.font for run in layout.items if getattr(run, "glyphs", None)})
    export_print_pdf(layout)
    after = fonts._cached_subset.cache_info()
    assert after.misses == made and after.hits == made
