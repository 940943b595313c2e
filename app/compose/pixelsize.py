"""A picture's pixel size read from its header, without decoding or importing Pillow.

Composition needs only the size of a photo (for its crop and the ppi check), and importing
Pillow costs more than composing a block. JPEG and PNG, what newspapers place, are read here;
any other format, or a header this reader does not follow, goes to Pillow.
"""

from __future__ import annotations

import struct
from pathlib import Path

from app.errors import PasteupError
from app.model.files import open_regular
from app.model.limits import MAX_PHOTO_PIXELS

_PNG = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def pixel_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels; OSError if the file is missing, not a regular file, not a
    picture, or has more pixels than limits.MAX_PHOTO_PIXELS."""
    width, height = _header_size(path)
    if width * height > MAX_PHOTO_PIXELS:
        raise OSError(
            f"图片像素过多 (too many pixels): {width} × {height} is over the limit of "
            f"{MAX_PHOTO_PIXELS:,}"
        )
    return width, height


def _header_size(path: Path) -> tuple[int, int]:
    try:
        stream = open_regular(path)
    except PasteupError as error:
        raise OSError(str(error)) from None
    with stream:
        head = stream.read(32)
        if head.startswith(_PNG) and head[12:16] == b"IHDR":
            width, height = struct.unpack(">II", head[16:24])
            if width and height:
                return width, height
        elif head.startswith(b"\xff\xd8"):
            stream.seek(2)
            size = _jpeg_size(stream)
            if size is not None:
                return size
    return _size_by_pillow(path)


def _jpeg_size(stream) -> tuple[int, int] | None:
    """Walk the marker segments to the first start-of-frame."""
    while True:
        marker = stream.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        while marker[1] == 0xFF:  # fill bytes before a marker
            marker = marker[1:] + stream.read(1)
            if len(marker) < 2:
                return None
        kind = marker[1]
        if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:  # no length field
            continue
        length = stream.read(2)
        if len(length) < 2 or kind in (0xD9, 0xDA):  # end of image, or scan before a frame
            return None
        (count,) = struct.unpack(">H", length)
        if kind in _SOF:
            frame = stream.read(5)
            if len(frame) < 5:
                return None
            height, width = struct.unpack(">HH", frame[1:5])
            return (width, height) if width and height else None
        if count < 2:
            return None
        stream.seek(count - 2, 1)


def _size_by_pillow(path: Path) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            return picture.size
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise OSError(f"not an image: {error}") from None
