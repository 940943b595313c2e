"""Nothing printed on top of anything: text lines of one block over another's, or over a picture.

Each composed line's ink box (its characters' left and right edges, its em box's top and
bottom) is compared with the lines of every other block whose lines come near, and with
every picture (photos and ads, which are placed as pictures). A touch is not an overlap:
both boxes must share more than `TOLERANCE_PT` each way. One finding per pair of blocks,
carrying the overlapped area in points (x, y, w, h) so the editor can draw it.

Codes, by what lies on what: `headline-on-text` (a headline line is one of the pair),
`caption-on-text` (a caption is), `text-on-text` (any other text), `text-on-picture`.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.layout import Finding, Image, PageLayout, Rect, TextLine, from_pt, to_pt

TOLERANCE_PT = 1.0
OVERLAP_CODES = ("headline-on-text", "caption-on-text", "text-on-text", "text-on-picture")

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in layout units


def overlap_findings(
    layout: PageLayout, headlines: Iterable[tuple[str, int]] = ()
) -> list[Finding]:
    """Overlaps on the page; `headlines` are the (story, paragraph) pairs set as headlines."""
    heads = frozenset(headlines)
    tolerance = from_pt(TOLERANCE_PT)
    kinds = {frame.block: frame.kind for frame in layout.blocks}
    by_block: dict[str, list[tuple[Box, bool]]] = {}
    for line in layout.lines:
        box = _ink_box(line)
        if box is not None:
            by_block.setdefault(line.block, []).append(
                ((box), (line.story, line.paragraph) in heads)
            )
    bounds = {block: _union([b for b, _ in boxes]) for block, boxes in by_block.items()}
    found: list[Finding] = []
    names = list(by_block)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            if _shared(bounds[first], bounds[second], tolerance) is None:
                continue
            finding = _pair(first, second, by_block, kinds, tolerance)
            if finding is not None:
                found.append(finding)
    pictures = [item for item in layout.items if isinstance(item, Image)]
    for picture in pictures:
        area = _box(picture.rect)
        for block, boxes in by_block.items():
            if block == picture.block or _shared(bounds[block], area, tolerance) is None:
                continue
            hits = [s for b, _ in boxes if (s := _shared(b, area, tolerance)) is not None]
            if hits:
                found.append(_finding("text-on-picture", block, picture.block, _union(hits)))
    return found


def _pair(first, second, by_block, kinds, tolerance) -> Finding | None:
    hits: list[Box] = []
    headline = False
    for box_a, head_a in by_block[first]:
        for box_b, head_b in by_block[second]:
            shared = _shared(box_a, box_b, tolerance)
            if shared is not None:
                hits.append(shared)
                headline = headline or head_a or head_b
    if not hits:
        return None
    if headline:
        code = "headline-on-text"
    elif "caption" in (kinds.get(first), kinds.get(second)):
        code = "caption-on-text"
    else:
        code = "text-on-text"
    # name the block that lies on top (later in painter's order) first
    order = list(kinds)
    top, under = (second, first) if order.index(second) > order.index(first) else (first, second)
    return _finding(code, top, under, _union(hits))


def _finding(code: str, block: str, other: str, area: Box) -> Finding:
    x0, y0, x1, y1 = area
    args = (
        ("other", other),
        ("x", round(to_pt(x0), 1)),
        ("y", round(to_pt(y0), 1)),
        ("w", round(to_pt(x1 - x0), 1)),
        ("h", round(to_pt(y1 - y0), 1)),
    )
    return Finding(code, "error", block, args=args)


def _ink_box(line: TextLine) -> Box | None:
    if not line.char_lefts or line.text.strip() == "":
        return None
    left = line.origin + min(line.char_lefts)
    right = line.origin + max(line.char_rights)
    return (left, line.top, right, line.bottom)


def _box(rect: Rect) -> Box:
    return (rect.x, rect.y, rect.right, rect.bottom)


def _shared(a: Box, b: Box, tolerance: int) -> Box | None:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    if x1 - x0 > tolerance and y1 - y0 > tolerance:
        return (x0, y0, x1, y1)
    return None


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
