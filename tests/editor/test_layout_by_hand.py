"""Moving, resizing, nudging, creating and arranging blocks with the mouse and keyboard."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from gestures import click, drag
from PySide6.QtCore import QPointF, Qt

from app.model import dumps_document
from app.model.blocks import FreeFrame, GridFrame, PhotoBlock
from app.model.geometry import frame_rect

pytestmark = pytest.mark.qt


def centre(window, block_id: str, frame: int = 0) -> QPointF:
    document = window.session.document
    from app.editor.commands.editing import block_rects

    rect = block_rects(document.block(block_id), document.layout.grid)[frame]
    return window.canvas.view().point(rect.x + rect.w / 2, rect.y + rect.h / 2)


def zoom_to_fit_large(window) -> None:
    window.canvas.set_scale(1.0)  # 1 px per pt: a column is 126 px, a line 13.5 px


def test_drag_moves_a_block_by_whole_columns_and_lines(make_editor):
    window = make_editor()
    zoom_to_fit_large(window)
    grid = window.session.document.layout.grid
    before = dumps_document(window.session.document)
    old = window.session.document.block("yingshang").frames[0]
    start = centre(window, "yingshang")
    # 1.3 columns right and 2.4 lines up: snaps to one column and two lines.
    dx = 1.3 * (grid.column_width + grid.gutter)
    dy = -2.4 * grid.line_pitch
    drag(window.canvas.viewport(), start, start + QPointF(dx, dy))
    frame = window.session.document.block("yingshang").frames[0]
    assert frame == replace(old, col=old.col + 1, line=old.line - 2)
    assert window.session.selection == ("yingshang",)
    window.session.undo()
    assert dumps_document(window.session.document) == before


def test_shift_drag_places_the_block_freely(make_editor):
    window = make_editor()
    zoom_to_fit_large(window)
    grid = window.session.document.layout.grid
    old = frame_rect(window.session.document.block("photo").frame, grid)
    start = centre(window, "photo")
    drag(
        window.canvas.viewport(), start, start + QPointF(-37, 11), Qt.KeyboardModifier.ShiftModifier
    )
    frame = window.session.document.block("photo").frame
    assert isinstance(frame, FreeFrame)
    assert frame.x == pytest.approx(old.x - 37, abs=0.6)
    assert frame.y == pytest.approx(old.y + 11, abs=0.6)
    assert (frame.w, frame.h) == pytest.approx((old.w, old.h))


def test_resize_handle_snaps_to_columns_and_lines(make_editor):
    window = make_editor()
    zoom_to_fit_large(window)
    grid = window.session.document.layout.grid
    canvas = window.canvas
    click(canvas.viewport(), centre(window, "zhengwu"))
    old = window.session.document.block("zhengwu").frames[0]
    rect = frame_rect(old, grid)
    corner = canvas.view().point(rect.x, rect.bottom)  # the south-west handle
    drag(
        canvas.viewport(),
        corner,
        corner + QPointF(-(grid.column_width + grid.gutter) * 0.9, grid.line_pitch * 3.2),
    )
    frame = window.session.document.block("zhengwu").frames[0]
    assert frame == replace(old, col=old.col - 1, span=old.span + 1, depth=old.depth + 3)


def test_arrow_keys_nudge_and_merge_into_one_undo_step(make_editor, qtbot):
    window = make_editor()
    session = window.session
    before = dumps_document(session.document)
    old = session.document.block("zhengwu").frames[0]
    session.select(["zhengwu"])
    window.canvas.setFocus()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Left):
        qtbot.keyClick(window.canvas, key)
    moved = replace(old, col=old.col - 1, line=old.line + 2)
    assert session.document.block("zhengwu").frames[0] == moved
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    frame = session.document.block("zhengwu").frames[0]
    assert isinstance(frame, FreeFrame)
    assert frame.x == pytest.approx(grid_x(session, moved.col) + 1)
    assert frame.y == pytest.approx(session.document.layout.grid.line_top(moved.line))
    assert session.undo_stack.count() == 1  # nudges of one block merge
    session.undo()
    assert dumps_document(session.document) == before


def grid_x(session, col: int) -> float:
    return session.document.layout.grid.column_x(col)


def test_multi_select_align_delete_duplicate_and_z_order(make_editor):
    window = make_editor()
    session = window.session
    canvas = window.canvas
    zoom_to_fit_large(window)
    renda = session.document.block("renda")
    session.document.update_block("renda", frames=(replace(renda.frames[0], line=44, depth=60),))
    before = dumps_document(session.document)
    click(canvas.viewport(), centre(window, "yingshang"))
    click(canvas.viewport(), centre(window, "renda"), Qt.KeyboardModifier.ControlModifier)
    assert session.selection == ("yingshang", "renda")
    window.actions_by_name["align_top"].trigger()
    assert session.document.block("renda").frames[0].line == 41
    window.actions_by_name["duplicate"].trigger()
    assert len(session.selection) == 2 and set(session.selection).isdisjoint({"renda"})
    copies = session.selection
    for copy in copies:
        original = session.document.stories[copy.rstrip("0123456789")]
        assert session.document.stories[copy].paragraphs == original.paragraphs
    window.actions_by_name["delete"].trigger()
    assert all(c not in {b.id for b in session.document.blocks} for c in copies)
    session.select(["photo"])
    window.actions_by_name["front"].trigger()
    assert session.document.blocks[-1].id == "photo"
    window.actions_by_name["back"].trigger()
    assert session.document.blocks[0].id == "photo"
    while session.undo_stack.canUndo():
        session.undo()
    assert dumps_document(session.document) == before


@pytest.mark.parametrize("kind", ["article", "photo", "caption", "text", "rule", "box", "section"])
def test_each_kind_of_block_can_be_drawn_with_its_tool(make_editor, sample_page, kind):
    window = make_editor()
    window.prompts.paths.append(sample_page.parent / "photo-placeholder.jpg")
    zoom_to_fit_large(window)
    session = window.session
    grid = session.document.layout.grid
    count = len(session.document.blocks)
    window.tool_actions[kind].trigger()
    view = window.canvas.view()
    start = view.point(grid.column_x(0) + 5, grid.line_top(10) + 3)
    end = view.point(grid.column_x(1) + grid.column_width - 4, grid.line_top(20))
    drag(window.canvas.viewport(), start, end)
    assert len(session.document.blocks) == count + 1
    block = session.document.blocks[-1]
    assert block.kind == kind
    assert session.selection == (block.id,)
    if kind == "rule":
        assert block.y0 == block.y1  # wider than tall: a horizontal rule, in a line gap
    else:
        frame = getattr(block, "frame", None) or block.frames[0]
        assert frame == GridFrame(col=0, span=2, line=10, depth=10)
    if kind == "caption":
        assert block.photo == "photo"
    assert window.tool_actions["select"].isChecked()
    session.undo()
    assert len(session.document.blocks) == count


def test_dropping_a_story_file_and_an_image(make_editor, sample_page: Path):
    window = make_editor()
    session = window.session
    grid = session.document.layout.grid
    folder = sample_page.parent
    window.canvas.drop_files(
        [folder / "stories" / "xiyun.txt", folder / "photo-placeholder.jpg"],
        grid.column_x(2) + 3,
        grid.line_top(50) + 2,
    )
    article, photo = session.document.blocks[-2:]
    assert article.kind == "article"
    story = session.document.stories[article.story]
    assert story.source == "stories/xiyun.txt"
    assert article.frames[0].col == 2 and article.frames[0].line == 50
    assert isinstance(photo, PhotoBlock) and photo.image == "photo-placeholder.jpg"


def test_link_unlink_and_caption_under_photo(make_editor):
    window = make_editor()
    session = window.session
    session.select(["yingshang", "xiyun"])
    window.actions_by_name["link"].trigger()
    block = session.document.block("yingshang")
    assert len(block.frames) == 2
    assert "xiyun" not in {b.id for b in session.document.blocks}
    window.actions_by_name["unlink"].trigger()
    assert len(session.document.block("yingshang").frames) == 1
    photo = session.document.block("photo").frame
    session.document.update_block("photo-caption", frame=GridFrame(5, 2, 30, 4))
    session.select(["photo"])
    window.actions_by_name["caption_under"].trigger()
    assert session.document.block("photo-caption").frame == GridFrame(
        photo.col, photo.span, photo.line + photo.depth, 4
    )
