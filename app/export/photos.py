"""Decoding, cropping and converting a picture with Pillow: the costly half of `images.py`.

Print gets CMYK JPEGs: colour photos go through ICC profiles (the picture's own or
sRGB → the output profile), greyscale photos go to the black plate only, so a mono
page stays single-ink. Proofs get RGB (CMYK pictures are soft-proofed to sRGB).
Imported only when a picture is converted (`pictures.prepare_image`, or the photo prefetch
of a print export), not by the writer or preflight themselves.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image as PILImage
from PIL import ImageCms, UnidentifiedImageError

from app.errors import PasteupError
from app.export.inklimit import STRIP, encode_within, max_ink
from app.export.pictures import PreparedImage, Target, UnreadableImage
from app.model.files import open_regular
from app.model.limits import MAX_PHOTO_PIXELS

PILImage.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS  # the same bound for what Pillow checks itself

JPEG_QUALITY = {"cmyk": 90, "rgb": 85}
GREY_MODES = ("1", "L", "LA", "I", "I;16", "F")
_INVERT = list(range(255, -1, -1))  # a grey level → its black ink (ImageOps.invert's table)


def open_image(path: str) -> PILImage.Image:
    """Open and fully decode a picture, or say in one line what is wrong with it.

    The pixel count is checked from the header before anything is decoded, so a small file
    that claims 50,000 × 50,000 pixels costs nothing (limits.MAX_PHOTO_PIXELS).
    """
    try:
        stream = open_regular(path)
    except PasteupError as error:
        raise UnreadableImage(str(error)) from None
    try:
        image = PILImage.open(stream)
        width, height = image.size
        if width * height > MAX_PHOTO_PIXELS:
            raise UnreadableImage(
                f"{path}: 图片像素过多 (too many pixels): {width} × {height} is over the limit "
                f"of {MAX_PHOTO_PIXELS:,}"
            )
        image.load()
    except (
        UnidentifiedImageError,
        PILImage.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise UnreadableImage(
            f"{path}: 图片无法读取，文件可能已损坏 (cannot read image): {error}"
        ) from None
    finally:
        stream.close()  # decoded: the pixels are in memory
    return image


def prepare(
    path: str,
    crop: tuple[float, float, float, float],
    target: Target,
    profile: Path,
    ink_limit: float,
) -> PreparedImage:
    """The picture cropped to `crop` (source pixels), converted for `target`, as a JPEG; for
    print, within `ink_limit` or the profile's own total ink, whichever is lower, as decoded."""
    image = open_image(path)
    source_mode = image.mode
    box = _pixel_box(crop, image.size)
    if box != (0, 0, *image.size):
        image = image.crop(box)
    if target == "cmyk":
        pixels = _cmyk_pixels(image, path, profile)
        del image  # the decoded picture is not needed while the JPEG is coded
        limit = min(ink_limit, profile_ink(profile))
        try:
            jpeg, ink = encode_within(pixels, limit, JPEG_QUALITY[target])
        except ValueError as error:
            raise PasteupError(f"{path}: {error}") from None
        mode = "CMYK"
    else:
        converted = _rgb(image, path, profile)
        buffer = io.BytesIO()
        converted.save(buffer, "JPEG", quality=JPEG_QUALITY[target])
        jpeg, ink, mode = buffer.getvalue(), 0.0, converted.mode
    name = "Img" + hashlib.md5(jpeg, usedforsecurity=False).hexdigest()[:20]
    return PreparedImage(jpeg, box, ink, mode, name, source_mode)


def give_back_memory() -> None:
    """Return the freed pixel buffers of a conversion to the system (glibc only; elsewhere
    nothing). glibc keeps freed memory in a thread's heap up to a trim threshold that rises
    with big buffers to tens of MB, and nothing loaded later (the headline segmenter's
    dictionary, in small objects of its own arenas) reuses it: without this, a first export
    still peaked at the conversion's working set plus the dictionary."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    """The C library the interpreter runs on (its own symbols), if it has malloc_trim."""
    try:
        libc = ctypes.CDLL(None)
    except (OSError, TypeError):  # no dlopen(NULL) (Windows)
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


@lru_cache(maxsize=4)
def profile_ink(profile: Path) -> float:
    """The most ink the profile puts down for any colour (its own limit), in percent: the
    highest total of sRGB's darkest colours converted through it, as photos are."""
    levels = (0, 32, 64)
    darks = [(r, g, b) for r in levels for g in levels for b in levels]
    swatch = PILImage.new("RGB", (len(darks), 1))
    for x, colour in enumerate(darks):
        swatch.putpixel((x, 0), colour)
    return max_ink(_srgb_to_cmyk(profile).apply(swatch))


def _pixel_box(
    crop: tuple[float, float, float, float], size: tuple[int, int]
) -> tuple[int, int, int, int]:
    left, top, right, bottom = crop
    width, height = size
    return (
        max(0, math.floor(left)),
        max(0, math.floor(top)),
        min(width, math.ceil(right)),
        min(height, math.ceil(bottom)),
    )


def _cmyk_pixels(image: PILImage.Image, path: str, profile: Path) -> np.ndarray:
    """The picture as print's CMYK pixels (height × width × 4): greyscale on the black plate
    only, CMYK as it is, colour through the profiles a strip of rows at a time, so that no
    whole converted image is held beside the array (and the picture)."""
    if image.mode in GREY_MODES:
        black = np.asarray(image.convert("L").point(_INVERT))  # a grey level → its black ink
        pixels = np.zeros((*black.shape, 4), np.uint8)
        pixels[..., 3] = black
        return pixels
    if image.mode == "CMYK":
        return np.asarray(image)  # the ink limit works on a copy
    embedded = image.info.get("icc_profile")
    rgb = _flatten(image)
    try:
        transform = (
            ImageCms.buildTransform(
                _profile_from_bytes(embedded),
                ImageCms.getOpenProfile(str(profile)),
                "RGB",
                "CMYK",
                ImageCms.Intent.PERCEPTUAL,
            )
            if embedded
            else _srgb_to_cmyk(profile)
        )
        width, height = rgb.size
        pixels = np.empty((height, width, 4), np.uint8)
        for top in range(0, height, STRIP):
            strip = rgb.crop((0, top, width, min(height, top + STRIP)))
            pixels[top : top + strip.height] = np.asarray(transform.apply(strip))
    except ImageCms.PyCMSError as error:
        raise _unusable_profile(path, error) from None
    return pixels


def _rgb(image: PILImage.Image, path: str, profile: Path) -> PILImage.Image:
    """The picture for a proof: grey stays grey, CMYK is soft-proofed to sRGB."""
    if image.mode in GREY_MODES:
        return image.convert("L")
    if image.mode != "CMYK":
        return _flatten(image)
    embedded = image.info.get("icc_profile")
    try:
        source = (
            _profile_from_bytes(embedded) if embedded else ImageCms.getOpenProfile(str(profile))
        )
        return ImageCms.buildTransform(source, ImageCms.createProfile("sRGB"), "CMYK", "RGB").apply(
            image
        )
    except ImageCms.PyCMSError as error:
        raise _unusable_profile(path, error) from None


def _unusable_profile(path: str, error: Exception) -> PasteupError:
    return PasteupError(f"{path}: 图片颜色配置文件无法使用 (unusable colour profile): {error}")


def _flatten(image: PILImage.Image) -> PILImage.Image:
    """Transparent pixels print on paper, so composite them onto white."""
    if image.mode == "RGB" and "transparency" not in image.info:
        return image  # most photos: no 6 MB copy
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = PILImage.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB")


def _profile_from_bytes(data: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@lru_cache(maxsize=4)
def _srgb_to_cmyk(profile: Path) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(profile)),
        "RGB",
        "CMYK",
        ImageCms.Intent.PERCEPTUAL,
    )
