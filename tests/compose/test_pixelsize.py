"""A picture's pixel size from its header agrees with Pillow's for every kind of JPEG and PNG;
anything else goes to Pillow, and what is no picture is an OSError."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from app.compose.pixelsize import pixel_size


def _picture(tmp_path, name: str, size, mode: str, **save) -> object:
    path = tmp_path / name
    Image.new(mode, size, 90).save(path, **save)
    return path


@pytest.mark.parametrize(
    ("name", "mode", "save"),
    [
        ("baseline.jpg", "RGB", {}),
        ("progressive.jpg", "RGB", {"progressive": True}),
        ("cmyk.jpg", "CMYK", {}),
        ("grey.jpg", "L", {}),
        ("exif.jpg", "RGB", {"exif": Image.Exif().tobytes(), "dpi": (300, 300)}),
        ("rgb.png", "RGB", {}),
        ("palette.png", "P", {}),
        ("picture.tif", "CMYK", {}),
        ("picture.bmp", "RGB", {}),
    ],
)
def test_the_size_is_pillows(tmp_path, name, mode, save):
    path = _picture(tmp_path, name, (321, 123), mode, **save)
    assert pixel_size(path) == (321, 123)


def test_the_sample_photo():
    photo = Path(__file__).resolve().parents[2] / "assets/samples/news-page/photo-placeholder.jpg"
    with Image.open(photo) as opened:
        assert pixel_size(photo) == opened.size


def test_a_jpeg_with_fill_bytes_and_an_icc_segment(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, "JPEG", icc_profile=b"\0" * 5000)
    data = buffer.getvalue()
    path = tmp_path / "filled.jpg"
    path.write_bytes(data[:2] + b"\xff\xff" + data[2:])  # fill bytes before the first marker
    assert pixel_size(path) == (40, 30)


@pytest.mark.parametrize("data", [b"", b"not a picture at all", b"\xff\xd8\xff\xe0\x00"])
def test_what_is_no_picture_is_an_os_error(tmp_path, data):
    path = tmp_path / "broken.jpg"
    path.write_bytes(data)
    with pytest.raises(OSError):
        pixel_size(path)


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        pixel_size(tmp_path / "gone.jpg")
