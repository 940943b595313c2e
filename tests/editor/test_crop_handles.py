"""Cropping a photo on the canvas: crop handles of their own move the visible part's edges."""

from __future__ import annotations

import pytest
from gestures import double_click, drag
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from app.editor.canvas.crop import CROP_COLOR, CropTool
from app.editor.canvas.overlays import handle_points
from app.model.geometry import frame_rect

pytestmark = pytest.mark.qt


def _cropping(window):
    """The sample's photo in crop mode at 1 px per pt (a column is 126 px)."""
    canvas = window.canvas
    canvas.set_scale(1.0)
    grid = window.session.document.layout.grid
    rect = frame_rect(window.session.document.block("photo").frame, grid)
    corner = canvas.view().point(rect.x, rect.y)  # scrolled to the photo's top left
    canvas.horizontalScrollBar().setValue(canvas.horizontalScrollBar().value() + corner.x() - 40)
    canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().value() + corner.y() - 40)
    double_click(canvas.viewport(), canvas.view().point(rect.x + rect.w / 2, rect.y + rect.h / 2))
    assert isinstance(canvas.tool, CropTool)
    return canvas, grid


def _handle(window, name: str) -> QPointF:
    canvas = window.canvas
    x, y = handle_points(window.session.document.block("photo"), 0, canvas.grid)[name]
    return canvas.view().point(x, y)


def test_crop_handles_replace_the_frame_handles_and_are_drawn_apart(make_editor):
    window = make_editor()
    canvas, _ = _cropping(window)
    east = _handle(window, "e")
    assert canvas.hit_handle(east) is None  # the frame's own handles give way
    assert canvas.tool.hit_crop_handle(east) == "e"
    viewport = canvas.viewport()
    image = QImage(viewport.size(), QImage.Format.Format_RGB32)
    viewport.render(image)
    bar = image.pixelColor(round(east.x()) - 1, round(east.y()))  # on the dark bar
    assert (bar.red(), bar.green(), bar.blue()) == (
        CROP_COLOR.red(),
        CROP_COLOR.green(),
        CROP_COLOR.blue(),
    )


def test_a_crop_handle_crops_that_edge_keeping_the_picture_in_place(make_editor):
    """The east crop handle dragged one column in: the frame and the visible part lose that
    column on the right; the left edge, the picture's scale and its place stay; one undo step."""
    window = make_editor()
    session = window.session
    canvas, grid = _cropping(window)
    before = session.document.block("photo")
    rect = frame_rect(before.frame, grid)
    assert before.frame.span >= 2
    east = _handle(window, "e")
    drag(canvas.viewport(), east, east - QPointF(grid.column_width + grid.gutter, 0))
    after = session.document.block("photo")
    new = frame_rect(after.frame, grid)
    assert after.frame.span == before.frame.span - 1 and new.x == rect.x
    left, top, right, bottom = before.crop
    assert after.crop[:2] == (left, top) and after.crop[3] == bottom
    # Picture fraction per point unchanged: the same scale, the left edge in the same place.
    assert (after.crop[2] - left) / new.w == pytest.approx((right - left) / rect.w, rel=1e-3)
    assert after.crop[2] < right
    assert isinstance(canvas.tool, CropTool)  # still cropping
    session.undo()
    assert session.document.block("photo") == before


def test_a_crop_handle_shows_no_more_than_the_whole_picture(make_editor):
    window = make_editor()
    session = window.session
    canvas, grid = _cropping(window)
    before = session.document.block("photo")
    west = _handle(window, "w")
    drag(canvas.viewport(), west, west - QPointF(4 * grid.column_width, 0))
    after = session.document.block("photo")
    assert 0 <= after.crop[0] <= before.crop[0]
    assert frame_rect(after.frame, grid).right == frame_rect(before.frame, grid).right
