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


def max_ink(image: PILImage.Image) -> float:
    """Highest C+M+Y+K of any pixel of a CMYK image, in percent (0 for other modes)."""
    if image.mode != "CMYK":
        return 0.0
    return int(_totals(np.asarray(image)).max(initial=0)) * 100 / 255


def encode_within(image: PILImage.Image, limit: float, quality: int) -> tuple[bytes, float]:
    """The image as a JPEG whose decoded pixels stay within `limit` percent total ink, and
    the highest ink of those decoded pixels."""
    if image.mode != "CMYK":
        jpeg = _jpeg(image, quality)
        return jpeg, 0.0
    ceiling = int(limit * 255 / 100)  # in 8-bit sums; a pixel at the ceiling is within limit
    pixels = np.asarray(image)
    target = ceiling
    for _ in range(ATTEMPTS):
        limited = _limit(pixels, target)
        jpeg = _jpeg(PILImage.fromarray(limited, "CMYK"), quality)
        highest = int(_totals(np.asarray(_decode(jpeg))).max(initial=0))
        if highest <= ceiling:
            return jpeg, highest * 100 / 255
        target -= highest - ceiling
    raise ValueError(f"JPEG coding keeps the photo over {limit:g} % total ink")


def _totals(pixels: np.ndarray) -> np.ndarray:
    return pixels.astype(np.uint16).sum(axis=2)


def _limit(pixels: np.ndarray, ceiling: int) -> np.ndarray:
    """Pixels over `ceiling` get their C, M, Y scaled so C+M+Y+K fits; K is kept (it carries
    the shadow detail), or cut to the ceiling itself on a limit below 100 %."""
    totals = _totals(pixels)
    over = totals > ceiling
    if not over.any():
        return pixels
    result = pixels.copy()
    chosen = result[over].astype(np.int32)
    black = np.minimum(chosen[:, 3], ceiling)
    colour = chosen[:, :3]
    room = ceiling - black
    sums = np.maximum(colour.sum(axis=1), 1)
    scaled = colour * room[:, None] // sums[:, None]  # floor: never rounds back over
    chosen[:, :3] = scaled
    chosen[:, 3] = black
    result[over] = chosen.astype(np.uint8)
    return result


def _jpeg(image: PILImage.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _decode(jpeg: bytes) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(jpeg))
    image.load()
    return image
