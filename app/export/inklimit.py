"""Total area coverage (C+M+Y+K) of a converted photo, limited where the JPEG is made.

The plant's limit applies to what is embedded, and JPEG coding rings around dark edges: a
photo converted to 236 % can decode at 250 %. So the limit is applied to the pixels (cyan,
magenta and yellow scaled down, black kept, as grey component replacement would), the JPEG is
coded, decoded and measured, and the pixels are limited harder by the overshoot until the
decoded JPEG is within the limit. Preflight then reports what the JPEG holds.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image as PILImage

ATTEMPTS = 6  # each lowers the target by the last overshoot; two or three are typical
STRIP = 16  # rows at a time: the sums of a whole photo would cost more memory than the photo


def max_ink(image: PILImage.Image) -> float:
    """Highest C+M+Y+K of any pixel of a CMYK image, in percent (0 for other modes)."""
    if image.mode != "CMYK":
        return 0.0
    return _highest_decoded(image) * 100 / 255


def encode_within(pixels: np.ndarray, limit: float, quality: int) -> tuple[bytes, float]:
    """CMYK pixels (height × width × 4) as a JPEG whose decoded pixels stay within `limit`
    percent total ink, and the highest ink of those decoded pixels.

    Beside `pixels` the attempts share one buffer for the limited copy and hold the decoded
    JPEG, measured a strip at a time: three copies of the photo at most, the same three on
    every attempt (a fresh copy each time leaves the heap ever larger)."""
    ceiling = int(limit * 255 / 100)  # in 8-bit sums; a pixel at the ceiling is within limit
    target = ceiling
    limited = np.empty_like(pixels)
    for _ in range(ATTEMPTS):
        _limit(pixels, target, limited)
        jpeg = _jpeg(limited, quality)
        highest = _highest_decoded(_decode(jpeg))
        if highest <= ceiling:
            return jpeg, highest * 100 / 255
        target -= highest - ceiling
    raise ValueError(f"JPEG coding keeps the photo over {limit:g} % total ink")


def _totals(pixels: np.ndarray) -> np.ndarray:
    """C+M+Y+K per pixel of a strip of CMYK pixels (8-bit values, so at most 1020)."""
    totals = pixels[..., 0].astype(np.uint16)
    for channel in (1, 2, 3):
        totals += pixels[..., channel]
    return totals


def _highest_decoded(image: PILImage.Image) -> int:
    """The highest C+M+Y+K sum of a CMYK image, read a strip of rows at a time."""
    width, height = image.size
    return max(
        (
            int(_totals(np.asarray(image.crop((0, top, width, min(height, top + STRIP))))).max())
            for top in range(0, height, STRIP)
        ),
        default=0,
    )


def _limit(pixels: np.ndarray, ceiling: int, result: np.ndarray) -> None:
    """`pixels` into `result`, where pixels over `ceiling` get their C, M, Y scaled so
    C+M+Y+K fits; K is kept (it carries the shadow detail), or cut to the ceiling itself on a
    limit below 100 %. A strip of STRIP rows at a time keeps the arithmetic's temporaries
    small (at 128 rows they came to twice the photo's size)."""
    np.copyto(result, pixels)
    for top in range(0, len(result), STRIP):
        strip = result[top : top + STRIP]  # a view: changed in place
        over = _totals(strip) > ceiling
        if not over.any():
            continue
        chosen = strip[over].astype(np.int32)
        black = np.minimum(chosen[:, 3], ceiling)
        colour = chosen[:, :3]
        sums = np.maximum(colour.sum(axis=1), 1)
        chosen[:, :3] = colour * (ceiling - black)[:, None] // sums[:, None]  # floor: stays under
        chosen[:, 3] = black
        strip[over] = chosen.astype(np.uint8)


def _jpeg(pixels: np.ndarray, quality: int) -> bytes:
    """The pixels coded as a CMYK JPEG; the image shares their memory (no copy)."""
    height, width = pixels.shape[:2]
    image = PILImage.frombuffer("CMYK", (width, height), pixels, "raw", "CMYK", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _decode(jpeg: bytes) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(jpeg))
    image.load()
    return image
