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
STRIP = 128  # rows at a time: the sums of a whole photo would cost more memory than the photo


def max_ink(image: PILImage.Image) -> float:
    """Highest C+M+Y+K of any pixel of a CMYK image, in percent (0 for other modes)."""
    if image.mode != "CMYK":
        return 0.0
    return _highest(np.asarray(image)) * 100 / 255


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
        highest = _highest(np.asarray(_decode(jpeg)))
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


def _highest(pixels: np.ndarray) -> int:
    return max(
        (int(_totals(pixels[top : top + STRIP]).max()) for top in range(0, len(pixels), STRIP)),
        default=0,
    )


def _limit(pixels: np.ndarray, ceiling: int) -> np.ndarray:
    """Pixels over `ceiling` get their C, M, Y scaled so C+M+Y+K fits; K is kept (it carries
    the shadow detail), or cut to the ceiling itself on a limit below 100 %."""
    result = pixels.copy()
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
    return result


def _jpeg(image: PILImage.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _decode(jpeg: bytes) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(jpeg))
    image.load()
    return image
