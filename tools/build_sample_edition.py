"""Build the sample edition `assets/samples/edition/` from the sample page, adding no text.

Four pages: 第1版 要闻 is the sample page (its 人大 story shortened so that it jumps, and an ad
booked in the room that frees), 第2版 a full-page ad, 第3版 综合 and 第4版 文化 carry the 人大
story's continuations (it jumps twice). Both ads are generated placeholders, marked as such
(`placeholder: true`, and the words 广告位示意 PLACEHOLDER on the picture). Run once; the
result is committed.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.model import ArticleBlock, GridFrame, read_document
from app.model.edition import Ad
from app.model.editionfile import save_edition
from app.model.plan import PlannedPage, adopt_page, new_edition

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "assets" / "samples" / "news-page" / "page.json"
TARGET = ROOT / "assets" / "samples" / "edition"
FONT = ROOT / "fonts" / "NotoSansCJKsc-Bold.otf"


def placeholder_ad(path: Path, size: tuple[int, int], words: str) -> None:
    """A grey stand-in for an advertiser's file (greyscale, 200 ppi at its booked size)."""
    image = Image.new("L", size, 225)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, 0, w - 1, h - 1), outline=60, width=12)
    draw.line((0, 0, w, h), fill=150, width=6)
    draw.line((0, h, w, 0), fill=150, width=6)
    font = ImageFont.truetype(str(FONT), max(40, min(w, h) // 8))
    box = draw.textbbox((0, 0), words, font=font)
    draw.rectangle(
        (
            (w - box[2]) // 2 - 40,
            (h - box[3]) // 2 - 40,
            (w + box[2]) // 2 + 40,
            (h + box[3]) // 2 + 40,
        ),
        fill=245,
    )
    draw.text(((w - box[2]) // 2, (h - box[3]) // 2), words, fill=30, font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, quality=85, dpi=(200, 200))


def build() -> None:
    for old in TARGET.glob("*") if TARGET.exists() else ():
        if old.is_dir():
            shutil.rmtree(old)
        elif old.name != "README.md":  # the folder's description is written by hand
            old.unlink()
    plan = [
        PlannedPage("要闻"),
        PlannedPage("广告", color=False),
        PlannedPage("综合", color=False),
        PlannedPage("文化"),
    ]
    edition = new_edition(TARGET, "晋中日报", "2026-01-09", plan, issue="第20260109期")
    TARGET.mkdir(parents=True, exist_ok=True)
    front = edition.pages.pop(0)  # replaced by the sample page, adopted as 第1版
    page, renames = adopt_page(edition, read_document(SAMPLE), at=1)
    assert not renames, renames
    page.color, page.name = front.color, front.name
    document = page.document
    renda = document.block("renda")
    document.set_block(dataclasses.replace(renda, frames=(GridFrame(4, 4, 41, 38),)))
    edition.ads.append(
        Ad(
            "ad-front",
            page.id,
            "示例广告主（占位）",
            "ads/ad-front.jpg",
            GridFrame(4, 4, 80, 24),
            True,
        )
    )
    _, full, second, third = edition.pages
    edition.ads.append(
        Ad(
            "ad-full",
            full.id,
            "示例广告主（占位）",
            "ads/ad-full.jpg",
            GridFrame(0, 8, 0, 104),
            True,
        )
    )
    for member, after, frame in (
        (second, "renda", GridFrame(0, 2, 0, 16)),
        (third, "renda-2", GridFrame(0, 2, 0, 40)),
    ):
        block_id = "renda-2" if member is second else "renda-3"
        member.document.insert_block(ArticleBlock(block_id, "renda", (frame,)))
        member.continues[block_id] = after
    edition.renumber()
    placeholder_ad(TARGET / "ads" / "ad-front.jpg", (1380, 930), "广告位示意 PLACEHOLDER")
    placeholder_ad(TARGET / "ads" / "ad-full.jpg", (2780, 3900), "整版广告位示意 PLACEHOLDER")
    save_edition(edition)
    print(TARGET)


if __name__ == "__main__":
    build()
