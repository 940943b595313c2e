"""The composed page as a picture at the current zoom, repainted only where it changed.

A keystroke changes the runs of one block; the cache compares the old and new
display lists block by block and repaints just those regions, so typing in a long
story does not redraw the whole page.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QRegion, QTransform

from app.compose.layout import GlyphRun, Item, PageLayout, to_pt
from app.editor.canvas.painter import item_bounds, paint_items
from app.editor.canvas.resources import PaintResources

MAX_PIXELS = 40_000_000  # beyond this (deep zoom) the canvas paints directly, clipped


class PageCache:
    def __init__(self, resources: PaintResources) -> None:
        self.resources = resources
        self.image: QImage | None = None
        self.scale = 0.0  # device pixels per point
        self.layout: PageLayout | None = None
        self._bounds: list[QRectF] = []

    def fits(self, layout: PageLayout, scale: float) -> bool:
        width, height = _page_size_pt(layout)
        return width * scale * height * scale <= MAX_PIXELS

    def render(self, layout: PageLayout, scale: float) -> None:
        """Paint the whole page (trim plus bleed) afresh."""
        width, height = _page_size_pt(layout)
        self.image = QImage(
            max(1, round(width * scale)),
            max(1, round(height * scale)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        self.scale = scale
        self.layout = layout
        self._bounds = self._bounds_of(layout, None)
        self.image.fill(Qt.GlobalColor.white)
        painter = self._painter()
        paint_items(painter, layout, layout.items, self.resources)
        painter.end()

    def update(self, layout: PageLayout, scale: float) -> QRegion | None:
        """Bring the picture up to `layout`, repainting only the items that changed.

        Returns the repainted region in points, or None when the whole page was redrawn.
        """
        if (
            self.image is None
            or self.layout is None
            or scale != self.scale
            or (_page_size_pt(layout) != _page_size_pt(self.layout))
        ):
            self.render(layout, scale)
            return None
        old_layout = self.layout
        dirty = changed_region(old_layout.items, self._bounds, layout.items)
        self.layout = layout
        self._bounds = self._bounds_of(layout, old_layout)
        if dirty.isEmpty():
            return dirty
        painter = self._painter()
        page = painter.transform()
        # Whole device pixels: a clip edge inside a pixel would blend old ink into the new.
        pixels = QRegion()
        for rect in _rects(dirty):
            pixels += page.mapRect(QRectF(rect)).toAlignedRect()
        painter.resetTransform()
        painter.setClipRegion(pixels)
        for rect in _rects(pixels):
            painter.fillRect(rect, Qt.GlobalColor.white)
        painter.setTransform(page)
        back, _ = page.inverted()
        reach = [back.mapRect(QRectF(rect)) for rect in _rects(pixels)]
        around = back.mapRect(QRectF(pixels.boundingRect()))  # most items lie far outside it
        visible = [
            item
            for item, bounds in zip(layout.items, self._bounds, strict=True)
            if bounds.intersects(around) and any(bounds.intersects(r) for r in reach)
        ]
        paint_items(painter, layout, visible, self.resources)
        painter.end()
        return dirty

    def _bounds_of(self, layout: PageLayout, previous: PageLayout | None) -> list[QRectF]:
        """Item bounds, reusing those of items the composer carried over unchanged."""
        known = {}
        if previous is not None:
            known = {id(i): b for i, b in zip(previous.items, self._bounds, strict=True)}
        return [known.get(id(item)) or item_bounds(item) for item in layout.items]

    def _painter(self) -> QPainter:
        assert self.image is not None and self.layout is not None
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        bleed = to_pt(self.layout.bleed)
        painter.setTransform(
            QTransform(self.scale, 0, 0, self.scale, bleed * self.scale, bleed * self.scale)
        )
        return painter


def changed_region(
    old_items: tuple[Item, ...], old_bounds: list[QRectF], new_items: tuple[Item, ...]
) -> QRegion:
    """Where, in points (rounded out), the two display lists differ.

    Blocks whose items are the very objects of last time are skipped; inside a changed
    block only the items that differ count (a keystroke reflows the rest of one
    paragraph, not the whole story).
    """
    old_by_block = _group(old_items)
    new_by_block = _group(new_items)
    bounds_of = {id(item): bounds for item, bounds in zip(old_items, old_bounds, strict=True)}
    rects = []
    for block in old_by_block.keys() | new_by_block.keys():
        before = old_by_block.get(block, [])
        after = new_by_block.get(block, [])
        if len(before) == len(after) and all(a is b for a, b in zip(before, after, strict=True)):
            continue
        # In order: lines above an edit compare equal; below a reflow they moved anyway.
        for i in range(max(len(before), len(after))):
            old = before[i] if i < len(before) else None
            new = after[i] if i < len(after) else None
            if old is not None and new is not None and _same_ink(old, new):
                continue
            if old is not None:
                rects.append(_grow(bounds_of[id(old)]))
            if new is not None:
                rects.append(_grow(item_bounds(new)))
    region = QRegion()
    for rect in rects:
        region += rect
    return region


def _same_ink(old: Item, new: Item) -> bool:
    """Whether two items draw the same marks (a run's story offsets may shift unseen)."""
    if old is new:
        return True
    if isinstance(old, GlyphRun) and isinstance(new, GlyphRun):
        return (
            old.y == new.y
            and old.xs == new.xs
            and old.x == new.x
            and old.glyphs == new.glyphs
            and old.font == new.font
            and old.size == new.size
            and old.color == new.color
        )
    return old == new


def _group(items: tuple[Item, ...]) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.block, []).append(item)
    return groups


def _grow(rect: QRectF) -> QRect:
    return rect.adjusted(-1, -1, 1, 1).toAlignedRect()


def _page_size_pt(layout: PageLayout) -> tuple[float, float]:
    return to_pt(layout.width + 2 * layout.bleed), to_pt(layout.height + 2 * layout.bleed)


def _rects(region: QRegion) -> Iterator[QRect]:
    """The rectangles `region` is made of. PySide6's stub bug: QRegion iterates them at run time,
    but its QtGui.pyi declares no `__iter__`."""
    return iter(region)  # type: ignore[call-overload]
