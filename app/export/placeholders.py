"""Stand-in (FPO) pictures: refused on the plate, marked wherever else the page is shown.

A page may carry a placeholder photo while the real one is awaited (`PhotoBlock.placeholder`).
The print PDF refuses it (`refuse_placeholders`); proofs and the e-paper preview draw it with a
cross and 「占位图 FPO」 over it, so nobody takes it for the paper's photo.
"""

from __future__ import annotations

from app.compose.layout import Color, Image, Item, PageLayout, Rule, from_pt
from app.errors import PasteupError
from app.export.labels import label_font, label_run, label_width

LABEL = "占位图 FPO"
MARK_COLOR = Color(m=1.0, k=0.0)  # magenta: seen on every proof, never mistaken for content
MARK_WEIGHT = from_pt(1)


def placeholders(layout: PageLayout) -> list[Image]:
    return [item for item in layout.items if isinstance(item, Image) and item.placeholder]


def refuse_placeholders(layout: PageLayout) -> None:
    """One line naming the first placeholder picture, if the page has any."""
    found = placeholders(layout)
    if found:
        image = found[0]
        raise PasteupError(
            f"[{image.block}] {image.path}: 占位图不能付印，换上正式图片 "
            "(a placeholder (FPO) picture cannot go to print: place the real photo)"
        )


def placeholder_marks(layout: PageLayout) -> list[Item]:
    """A cross over each placeholder picture and the label at its centre, to draw last."""
    marks: list[Item] = []
    for image in placeholders(layout):
        rect = image.rect
        marks.append(Rule(rect.x, rect.y, rect.right, rect.bottom, MARK_WEIGHT, MARK_COLOR))
        marks.append(Rule(rect.x, rect.bottom, rect.right, rect.y, MARK_WEIGHT, MARK_COLOR))
        size = max(from_pt(6), min(from_pt(24), rect.w // 8))
        font = label_font(layout.fonts, LABEL)
        run = label_run(font, LABEL, size, 0, 0, MARK_COLOR)
        x = rect.x + (rect.w - label_width(run)) // 2
        marks.append(run._replace(x=x, y=rect.y + rect.h // 2 + size // 3, block=image.block))
    return marks
