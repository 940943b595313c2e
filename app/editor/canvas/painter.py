"""Paint a `PageLayout`'s display list with QPainter: the canvas's half of the contract.

The painter's coordinate system is points, origin at the trim's top-left, y down (the
canvas sets the zoom as a transform). Every position comes from the layout through
`to_pt`; glyphs are drawn by id with QRawFont/QGlyphRun at the engine's x and
baseline, never through Qt's text layout or Qt's advances.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGlyphRun, QPainter, QPainterPath, QPen

from app.compose.layout import Box, Color, GlyphRun, Image, Item, PageLayout, Rect, Rule, to_pt
from app.editor.canvas.resources import PaintResources

MISSING_IMAGE = QColor(200, 200, 200)
#: Device pixels per em from which Qt's raster engine stops drawing a QRawFont's glyphs from
#: its glyph cache, and its fallback draws nothing (a 36 pt headline at 150 dpi vanished):
#: glyphs this large are filled as outlines instead.
CACHED_GLYPH_LIMIT = 64


def paint_items(
    painter: QPainter,
    layout: PageLayout,
    items: Iterable[Item],
    resources: PaintResources,
) -> None:
    # Glyph origins at fractions of a pixel in both directions, as the PDF places them.
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.VerticalSubpixelPositioning)
    for item in items:
        match item:
            case GlyphRun():
                paint_glyph_run(painter, layout, item, resources)
            case Rule():
                paint_rule(painter, item)
            case Box():
                paint_box(painter, item)
            case Image():
                paint_image(painter, item, resources)
            case _:
                assert_never(item)  # every kind of item is painted (mypy checks)


def qcolor(color: Color) -> QColor:
    return QColor.fromCmykF(color.c, color.m, color.y, color.k)


def qrect(rect: Rect) -> QRectF:
    return QRectF(to_pt(rect.x), to_pt(rect.y), to_pt(rect.w), to_pt(rect.h))


def glyph_run(layout: PageLayout, run: GlyphRun, resources: PaintResources) -> QGlyphRun:
    """The Qt glyph run for a layout run: its glyph ids at the engine's positions, in points."""
    glyphs = QGlyphRun()
    glyphs.setRawFont(resources.raw_font(layout.font(run.font), to_pt(run.size)))
    glyphs.setGlyphIndexes(list(run.glyphs))
    baseline = to_pt(run.y)
    x0 = run.x
    glyphs.setPositions([QPointF(to_pt(x0 + x), baseline) for x in run.xs])
    return glyphs


def paint_glyph_run(
    painter: QPainter, layout: PageLayout, run: GlyphRun, resources: PaintResources
) -> None:
    if not run.glyphs:
        return
    transform = painter.worldTransform()
    scale = max(
        abs(transform.m11()) + abs(transform.m21()), abs(transform.m12()) + abs(transform.m22())
    )
    if to_pt(run.size) * scale >= CACHED_GLYPH_LIMIT:
        painter.fillPath(glyph_outlines(layout, run, resources), QBrush(qcolor(run.color)))
        return
    painter.setPen(QPen(qcolor(run.color)))
    painter.drawGlyphRun(QPointF(0.0, 0.0), glyph_run(layout, run, resources))


def glyph_outlines(layout: PageLayout, run: GlyphRun, resources: PaintResources) -> QPainterPath:
    """The run's glyphs as one path in points, at the same positions as `glyph_run`."""
    raw = resources.raw_font(layout.font(run.font), to_pt(run.size))
    baseline = to_pt(run.y)
    path = QPainterPath()
    for gid, x in zip(run.glyphs, run.xs, strict=True):
        path.addPath(raw.pathForGlyph(gid).translated(to_pt(run.x + x), baseline))
    return path


def paint_rule(painter: QPainter, rule: Rule) -> None:
    pen = QPen(qcolor(rule.color), to_pt(rule.weight))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if rule.dash and rule.weight > 0:
        pen.setDashPattern([to_pt(d) / to_pt(rule.weight) for d in rule.dash])
    painter.setPen(pen)
    painter.drawLine(QLineF(to_pt(rule.x0), to_pt(rule.y0), to_pt(rule.x1), to_pt(rule.y1)))


def paint_box(painter: QPainter, box: Box) -> None:
    rect = qrect(box.rect)
    if box.fill is not None:
        painter.fillRect(rect, qcolor(box.fill))
    if box.stroke is not None and box.weight > 0:
        pen = QPen(qcolor(box.stroke), to_pt(box.weight))
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)


def paint_image(painter: QPainter, image: Image, resources: PaintResources) -> None:
    target = qrect(image.rect)
    loaded = resources.image(image.path, image.pdf)
    if loaded is None:
        painter.fillRect(target, QBrush(MISSING_IMAGE, Qt.BrushStyle.DiagCrossPattern))
        return
    picture, scale = loaded
    left, top, right, bottom = image.crop
    source = QRectF(left * scale, top * scale, (right - left) * scale, (bottom - top) * scale)
    painter.drawImage(target, picture, source)


def item_bounds(item: Item) -> QRectF:
    """An item's extent in points, generous for glyphs (the em box plus a little)."""
    match item:
        case GlyphRun():
            size = to_pt(item.size)
            left = to_pt(item.x + item.xs[0]) if item.xs else 0.0
            right = to_pt(item.x + item.xs[-1] + item.advances[-1]) if item.xs else 0.0
            return QRectF(
                left - size * 0.1, to_pt(item.y) - size, right - left + size * 0.2, size * 1.4
            )
        case Rule():
            half = to_pt(item.weight) / 2 + 0.5
            return QRectF(
                QPointF(to_pt(min(item.x0, item.x1)) - half, to_pt(min(item.y0, item.y1)) - half),
                QPointF(to_pt(max(item.x0, item.x1)) + half, to_pt(max(item.y0, item.y1)) + half),
            )
        case Box():
            half = to_pt(item.weight) / 2 + 0.5
            return qrect(item.rect).adjusted(-half, -half, half, half)
        case Image():
            return qrect(item.rect)
        case _:
            assert_never(item)
