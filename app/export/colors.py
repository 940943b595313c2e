"""How a layout colour becomes PDF colour operators: CMYK for print, RGB for proofs.

Print writes DeviceCMYK exactly as the layout says. Proofs are viewed on screens,
so they show the CMYK colour as it will print: converted through the output profile
to sRGB (a soft proof), once per distinct colour. Solid black (K 100 % alone) is the one
exception: it is shown black, not as newsprint's grey (RGB 119, 113, 109), because
proofreaders read the text in it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.bundled import bundled

if TYPE_CHECKING:
    from PIL import ImageCms

    from app.compose.layout import Color

BUNDLED_PROFILE = bundled("assets") / "profiles" / "CGATS-TR002-newsprint.icc"


def _components(values: tuple[float, ...]) -> str:
    return " ".join(f"{v:.4f}".rstrip("0").rstrip(".") or "0" for v in values)


class ProcessColors:
    """DeviceCMYK operators, straight from the layout."""

    rgb = False

    def fill(self, color: Color) -> str:
        return f"{_components((color.c, color.m, color.y, color.k))} k"

    def stroke(self, color: Color) -> str:
        return f"{_components((color.c, color.m, color.y, color.k))} K"


class ProofColors:
    """DeviceRGB operators: each CMYK colour as the output profile says it will print."""

    rgb = True

    def __init__(self, profile: Path) -> None:
        self._profile = profile

    def fill(self, color: Color) -> str:
        return f"{self._rgb(color)} rg"

    def stroke(self, color: Color) -> str:
        return f"{self._rgb(color)} RG"

    def _rgb(self, color: Color) -> str:
        key = _key(color)
        if key == SOLID_BLACK:
            return "0 0 0"
        return _components(_soft_proof(self._profile, key))


SOLID_BLACK = (0, 0, 0, 255)


def _key(color: Color) -> tuple[int, int, int, int]:
    return (round(color.c * 255), round(color.m * 255), round(color.y * 255), round(color.k * 255))


@lru_cache(maxsize=8)
def cmyk_to_srgb(profile: Path) -> ImageCms.ImageCmsTransform:
    from PIL import ImageCms  # proofs only: print never converts a colour

    cmyk = ImageCms.getOpenProfile(str(profile))
    srgb = ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(
        cmyk, srgb, "CMYK", "RGB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC
    )


@lru_cache(maxsize=256)
def _soft_proof(profile: Path, cmyk: tuple[int, int, int, int]) -> tuple[float, ...]:
    from PIL import Image

    pixel = cmyk_to_srgb(profile).apply(Image.new("CMYK", (1, 1), cmyk))
    red, green, blue = _channels(pixel.getpixel((0, 0)))
    return (red / 255, green / 255, blue / 255)


def _channels(value: object) -> tuple[float, ...]:
    """An RGB pixel's values (Pillow types `getpixel` for every mode at once)."""
    assert isinstance(value, tuple)
    return value
