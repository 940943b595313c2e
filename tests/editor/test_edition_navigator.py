"""The edition in the editor: navigator, page switching with per-page undo, a story continued
onto another page by the menu command, live thumbnails, saving."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt

from app.compose.layout import GlyphRun
from app.model.blocks import GridFrame
from app.model.editionfile import read_edition

pytestmark = pytest.mark.qt

EDITION = Path(__file__).resolve().parents[2] / "assets" / "samples" / "edition"


class ScriptedEditionPrompts:
    def __init__(self, page_label: str):
        self.page_label = page_label

    def edition_folder(self, folder: str):
        return None

    def choose_page(self, labels: list[str]) -> int | None:
        return labels.index(self.page_label)

    def page_name(self) -> str | None:
        return "体育"

    def ad_booking(self):
        return self.ad


@pytest.fixture
def edition_dir(tmp_path) -> Path:
    folder = tmp_path / "edition"
    shutil.copytree(EDITION, folder)
    return folder


def page_text(window) -> str:
    return "".join(i.text for i in window.session.layout.items if isinstance(i, GlyphRun))


def click_page(qtbot, window, page_id: str) -> None:
    navigator = window.navigator
    rect = navigator.visualItemRect(navigator.item_of(page_id))
    qtbot.mouseClick(navigator.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_navigator_shows_every_page_and_switches(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    navigator = window.navigator
    assert navigator.count() == 4
    labels = [navigator.item(r).text().split("\n")[0] for r in range(4)]
    assert labels == ["第1版 要闻", "第2版 广告", "第3版 综合", "第4版 文化"]
    assert "排版中" in navigator.item(0).text()
    assert not navigator.item(2).icon().isNull()
    assert "晋中日报 2026-01-09 · 第1版 要闻" in window.windowTitle()
    click_page(qtbot, window, "p3")
    assert window.workspace.current == "p3"
    assert "第3版 综合" in window.windowTitle()
    assert "（上接第1版）" in page_text(window) and "（下转第4版）" in page_text(window)


def test_each_page_keeps_its_own_undo_history(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    window.session.select(["rule-mid"])
    window.edit.delete_selection()
    assert window.session.undo_stack.canUndo()
    click_page(qtbot, window, "p4")
    assert not window.session.undo_stack.canUndo()
    click_page(qtbot, window, "p1")
    assert window.session.undo_stack.canUndo()
    window.session.undo()
    assert any(b.id == "rule-mid" for b in window.session.document.blocks)


def test_a_story_edit_repaints_the_thumbnails_of_the_pages_it_reaches(make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    navigator = window.navigator
    keys = {p: navigator.item_of(p).icon().cacheKey() for p in ("p2", "p3", "p4")}
    story = window.session.document.stories["renda"]
    at = story.stream.index("。") + 1
    window.session.document.replace_text("renda", at, at, "甲乙丙丁戊己庚辛壬癸" * 3)
    assert navigator.item_of("p2").icon().cacheKey() == keys["p2"]
    assert navigator.item_of("p3").icon().cacheKey() != keys["p3"]


def test_continue_a_story_onto_another_page_by_the_menu(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    window.edition_prompts = ScriptedEditionPrompts("第4版 文化")
    window.session.select(["xiyun"])
    window.actions_by_name["continue_story"].trigger()
    assert window.workspace.current == "p4"
    new = window.session.selection[0]
    assert window.workspace.page("p4").continues == {"renda-3": "renda-2", new: "xiyun"}
    assert "（上接第1版）" in page_text(window)
    window.actions_by_name["save"].trigger()
    edition = read_edition(edition_dir)
    assert edition.page("p4").continues[new] == "xiyun"
    click_page(qtbot, window, "p1")
    assert "（下转第4版）" in page_text(window)  # the part before the jump says where it goes
    click_page(qtbot, window, "p4")
    window.session.undo()  # undone on page 4's own stack
    assert new not in window.workspace.page("p4").continues
    click_page(qtbot, window, "p1")
    assert "（下转第4版）" not in page_text(window)


def test_dropping_the_overset_marker_on_a_page_continues_the_story(qtbot, make_editor, edition_dir):
    import json

    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    from app.editor.commands.editing import block_rects
    from app.editor.edition.overset_drag import continue_mime, marker_at

    page = json.loads((edition_dir / "p4.json").read_text("utf-8"))
    page["blocks"][1]["frames"][0]["depth"] = 2  # the story's last part overflows
    (edition_dir / "p4.json").write_text(json.dumps(page, ensure_ascii=False), "utf-8")
    window = make_editor(page=edition_dir)
    click_page(qtbot, window, "p4")
    canvas = window.canvas
    last = block_rects(window.session.document.block("renda-3"), canvas.grid)[-1]
    corner = canvas.view().point(last.right, last.bottom)
    assert marker_at(canvas, corner - QPointF(6, 6)) == "renda-3"
    assert marker_at(canvas, corner - QPointF(60, 60)) is None

    navigator = window.navigator
    target = QPointF(navigator.visualItemRect(navigator.item_of("p3")).center())
    mime = continue_mime("renda-3")  # held here: the event does not own it
    drop = QDropEvent(target, Qt.DropAction.LinkAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    navigator.dropEvent(drop)
    assert window.workspace.current == "p3"
    new = window.session.selection[0]
    chain = [link.block for link in window.workspace.edition.chains()["renda"]]
    assert chain == ["renda", "renda-2", "renda-3", new]
    assert window.session.layout.blocks  # page 3 composed with its new part
    # On a thumbnail: the page's first free column area, as wide as the part it continues —
    # in the first column, under the part already there.
    assert window.session.document.block(new).frames == (GridFrame(0, 2, 16, 20),)


def overset_drop(widget, pos: QPointF, block_id: str, drop: bool = True) -> None:
    """An overset marker's drag entering `widget` at `pos` and moving there, then dropped
    unless `drop` is False (synthetic events: a real QDrag runs a platform loop the offscreen
    platform cannot drive)."""
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from app.editor.edition.overset_drag import continue_mime

    mime = continue_mime(block_id)  # held here: the events do not own it
    args = (Qt.DropAction.LinkAction, mime, Qt.MouseButton.LeftButton)
    nomod = Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(widget, QDragEnterEvent(pos.toPoint(), *args, nomod))
    QApplication.sendEvent(widget, QDragMoveEvent(pos.toPoint(), *args, nomod))
    if drop:
        QApplication.sendEvent(widget, QDropEvent(pos, *args, nomod))


def test_a_marker_held_over_a_page_shows_it_and_drops_where_it_is_let_go(
    qtbot, make_editor, edition_dir
):
    window = make_editor(page=edition_dir)
    click_page(qtbot, window, "p4")
    navigator = window.navigator
    over_p3 = QPointF(navigator.visualItemRect(navigator.item_of("p3")).center())
    overset_drop(navigator.viewport(), over_p3, "renda-3", drop=False)
    assert window.workspace.current == "p4"  # not at once: a drag passing by switches nothing
    qtbot.waitUntil(lambda: window.workspace.current == "p3", timeout=3000)
    canvas, grid = window.canvas, window.session.document.layout.grid
    at = canvas.view().point(grid.column_x(4) + 5, grid.line_top(30) + 3)
    overset_drop(canvas.viewport(), at, "renda-3")  # on the canvas: at the grid cell under it
    first = window.session.selection[0]
    assert window.session.document.block(first).frames == (GridFrame(4, 2, 30, 20),)
    assert window.workspace.page("p3").continues[first] == "renda-3"
    on_a_block = canvas.view().point(grid.column_x(0) + 5, grid.line_top(5))  # renda-2 is here
    overset_drop(canvas.viewport(), on_a_block, "renda-3")
    second = window.session.selection[0]
    assert window.session.document.block(second).frames == (GridFrame(0, 2, 16, 20),)
    chain = [link.block for link in window.workspace.edition.chains()["renda"]]
    assert chain == ["renda", "renda-2", "renda-3", first, second]
    overset_drop(  # a page the ad fills: no room, one message, nothing placed
        navigator.viewport(),
        QPointF(navigator.visualItemRect(navigator.item_of("p2")).center()),
        "renda-3",
    )
    assert "没有空位" in window.prompts.errors[-1]
    assert window.workspace.current == "p3"
    assert [b.id for b in window.workspace.page("p2").document.blocks] == ["p2-head"]


def test_the_plan_panel_moves_adds_and_removes_pages(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    window.edition_prompts = ScriptedEditionPrompts("")
    plan, navigator = window.plan_panel, window.navigator
    plan.list.setCurrentRow(2)  # 第3版 综合
    qtbot.mouseClick(plan.buttons["up"], Qt.MouseButton.LeftButton)
    labels = [navigator.item(r).text().split("\n")[0] for r in range(navigator.count())]
    assert labels == ["第1版 要闻", "第2版 综合", "第3版 广告", "第4版 文化"]
    click_page(qtbot, window, "p3")
    assert "（上接第1版）" in page_text(window) and "第2版" in window.windowTitle()
    qtbot.mouseClick(plan.buttons["remove"], Qt.MouseButton.LeftButton)  # renda jumps here
    assert window.prompts.errors and navigator.count() == 4
    plan.list.setCurrentRow(2)  # the ad page
    qtbot.mouseClick(plan.buttons["remove"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(plan.buttons["add"], Qt.MouseButton.LeftButton)
    window.actions_by_name["save"].trigger()
    edition = read_edition(edition_dir)
    assert [(p.number, p.name) for p in edition.pages] == [
        ("1", "要闻"), ("2", "综合"), ("3", "体育"), ("4", "文化"),
    ]  # fmt: skip
    assert [ad.id for ad in edition.ads] == ["ad-front"]


def test_the_edition_panels_switch_language(make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    window.switch_language("en")
    assert "In layout" in window.navigator.item(0).text()
    assert window.plan_panel.buttons["add"].text() == "Add page"
    assert window.docks["pages"].windowTitle() == "Pages"


def test_booking_an_ad_from_the_plan_panel_copies_its_file_in(qtbot, make_editor, edition_dir):
    window = make_editor(page=edition_dir)
    prompts = window.edition_prompts = ScriptedEditionPrompts("")
    outside = edition_dir.parent / "ad-front.jpg"  # a file of the same name as one inside
    outside.write_bytes((edition_dir / "ads" / "ad-full.jpg").read_bytes())
    prompts.ad = (outside, "8x30", "0,74", "示例")
    plan = window.plan_panel
    plan.list.setCurrentRow(2)
    qtbot.mouseClick(plan.buttons["ad"], Qt.MouseButton.LeftButton)
    ad = window.workspace.edition.ads[-1]
    assert (ad.page, ad.file) == ("p3", "ads/ad-front-2.jpg")
    assert (edition_dir / ad.file).read_bytes() == outside.read_bytes()
    prompts.ad = (outside, "9x30", "0,0", "")  # wider than the grid
    qtbot.mouseClick(plan.buttons["ad"], Qt.MouseButton.LeftButton)
    assert "does not fit" in window.prompts.errors[-1]
    assert len(window.workspace.edition.ads) == 3
