"""Draw the sample page's stand-in photo (the paper's own photo is not ours to ship).

A 2100 × 1400 sRGB JPEG (enough for 200 ppi at four columns): a factory-floor-like gradient and the words 示意图 PLACEHOLDER,
so nobody mistakes it for the real picture. Run once; the JPEG is committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

TARGET = (
    Path(__file__).resolve().parents[1]
    / "assets"
    / "samples"
    / "news-page"
    / "photo-placeholder.jpg"
)


def draw() -> Image.Image:
    width, height = 2100, 1400
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    scale = width / 1200
    for y in range(height):
        for x in range(width):
            glow = max(
                0,
                255 - int(((x - 780 * scale) ** 2 + (y - 360 * scale) ** 2) ** 0.5 / (2.2 * scale)),
            )
            pixels[x, y] = (min(255, 40 + glow), min(255, 45 + glow * 2 // 3), 60 + glow // 4)
    draw = ImageDraw.Draw(image)
    for i in range(9):  # a row of machine silhouettes
        x, lift = (60 + i * 125) * scale, (i % 3) * 40 * scale
        draw.rectangle((x, 470 * scale - lift, x + 80 * scale, 760 * scale), fill=(25, 28, 35))
        draw.ellipse(
            (x + 15 * scale, 420 * scale - lift, x + 65 * scale, 470 * scale - lift),
            fill=(200, 90, 30),
        )
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), outline=(255, 255, 255), width=6)
    draw.line((0, 0, width, height), fill=(255, 255, 255), width=3)
    draw.line((0, height, width, 0), fill=(255, 255, 255), width=3)
    draw.text((40, 30), "PLACEHOLDER / SHIYITU", fill=(255, 255, 255))
    return image


if __name__ == "__main__":
    draw().save(TARGET, quality=88, dpi=(300, 300))
    print(TARGET)
