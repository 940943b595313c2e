"""The window on the sample page: panels, status bar, zoom, language, remembered layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from app.editor import settings
from app.editor.i18n import ENGLISH, placeholders, tr
from app.model import read_document

pytestmark = pytest.mark.qt


def test_opening_the_sample_page_shows_every_block(make_editor, sample_page):
    window = make_editor()
    document = read_document(sample_page)
    assert window.layers.count() == len(document.blocks)
    assert window.session.layout is not None and not window.session.compose_error
    assert window.windowTitle().startswith("page.json")
    assert not window.isWindowModified()
    drawn = {i.block for i in window.session.layout.items if getattr(i, "glyphs", None)}
    assert {b.id for b in document.blocks if getattr(b, "story", "")} <= drawn
    window.layers.item(0).setSelected(True)  # the topmost block
    assert window.session.selection == (document.blocks[-1].id,)
    assert window.status.selection.text() == f"选中 {document.blocks[-1].id}"


def test_status_bar_shows_cursor_in_mm_and_grid(make_editor):
    window = make_editor()
    grid = window.session.document.layout.grid
    x, y = grid.column_x(2) + 1, grid.line_top(9) + 1
    window.canvas.cursor_moved.emit(x, y)
    text = window.status.position.text()
    assert "第 3 栏 第 10 行" in text
    assert f"{x * 25.4 / 72:.1f}" in text


def test_zoom_fit_actual_in_out_and_wheel(make_editor):
    window = make_editor()
    canvas = window.canvas
    window.actions_by_name["actual"].trigger()
    assert canvas.scale == pytest.approx(canvas.logicalDpiX() / 72)
    window.actions_by_name["zoom_in"].trigger()
    assert canvas.scale == pytest.approx(canvas.logicalDpiX() / 72 * 1.25)
    window.actions_by_name["zoom_out"].trigger()
    window.actions_by_name["fit"].trigger()
    grid = window.session.document.layout.grid
    view = canvas.view()
    top_left = view.point(-grid.bleed, -grid.bleed)
    bottom_right = view.point(grid.trim_width + grid.bleed, grid.trim_height + grid.bleed)
    port = canvas.viewport().rect()
    assert port.contains(top_left.toPoint()) and port.contains(bottom_right.toPoint())
    assert "缩放" in window.status.zoom.text()
    # A page point under the mouse stays under it when zooming with the wheel.
    anchor = QPointF(port.center())
    before = canvas.view().to_page(anchor)
    canvas.set_scale(canvas.scale * 2, anchor)
    after = canvas.view().to_page(anchor)
    assert after == pytest.approx(before, abs=1.0)


def test_translations_keep_their_placeholders():
    for chinese, english in ENGLISH.items():
        assert placeholders(chinese) == placeholders(english), chinese


def test_switching_to_english_retranslates_the_window(make_editor):
    window = make_editor()
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    window.switch_language("en")
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.docks["story"].windowTitle() == "Story Editor"
    assert window.tool_actions["article"].text() == "Article"
    assert settings.get(settings.LANGUAGE) == "en"
    assert tr("字数 {chars}", chars=5) == "5 characters"
    window.switch_language("zh_CN")
    assert window.docks["story"].windowTitle() == "稿件编辑"


def test_window_layout_and_view_toggles_are_remembered(make_editor, sample_page):
    window = make_editor()
    window.actions_by_name["grid"].trigger()  # off
    window.resize(1111, 777)
    assert window.close()
    assert settings.get(settings.SHOW_GRID) is False
    again = make_editor(sample_page)
    assert not again.canvas.show_grid
    assert not settings.get(settings.WINDOW_GEOMETRY).isEmpty()


def test_export_and_preflight_from_the_menus(make_editor, tmp_path):
    import pikepdf

    window = make_editor()
    print_pdf, proof_pdf = tmp_path / "print.pdf", tmp_path / "proof.pdf"
    window.prompts.paths += [print_pdf, proof_pdf]
    window.actions_by_name["export_print"].trigger()
    window.actions_by_name["export_proof"].trigger()
    assert not window.prompts.errors
    for path in (print_pdf, proof_pdf):
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) == 1
    window.actions_by_name["preflight"].trigger()
    panel = window.preflight
    assert panel.topLevelItemCount() == len(panel.findings()) > 0
    item = next(
        panel.topLevelItem(i)
        for i in range(panel.topLevelItemCount())
        if panel.topLevelItem(i).data(0, 256)
    )
    panel.itemClicked.emit(item, 0)
    assert window.session.selection == (item.data(0, 256),)


def test_proof_export_from_the_menu_starts_a_round_undoably(make_editor, sample_page, tmp_path):
    from app.compose.textmap import TEXTMAP_FILENAME, load_textmap
    from app.proof.pdfread import read_proof_pdf

    window = make_editor(sample_page)
    document = window.session.document
    first, second = tmp_path / "一校.pdf", tmp_path / "二校.pdf"
    window.prompts.paths += [first, second]
    window.actions_by_name["export_proof"].trigger()
    assert [r.number for r in document.proof.rounds] == [1]
    document.replace_text(next(iter(document.stories)), 0, 0, "新")  # a changed page: round 2
    window.actions_by_name["export_proof"].trigger()
    assert not window.prompts.errors
    assert [r.number for r in document.proof.rounds] == [1, 2]
    found = read_proof_pdf(second.read_bytes(), second.name).textmap
    assert load_textmap(found, TEXTMAP_FILENAME).proof_round == 2  # what the proof says
    window.session.undo_stack.undo()
    assert [r.number for r in document.proof.rounds] == [1]


def test_round_names_follow_the_model_in_chinese_and_read_as_ordinals_in_english():
    from app.editor.dialogs.proof import round_label
    from app.editor.i18n import set_language

    assert [round_label(n) for n in (1, 3, 4, 11)] == ["一校", "三校", "四校", "十一校"]
    set_language("en")
    try:
        assert [round_label(n) for n in (1, 4)] == ["1st proof", "Proof 4"]
    finally:
        set_language("zh_CN")


def test_the_proof_export_dialog_offers_the_clis_options_and_remembers_them(
    make_editor, sample_page, tmp_path
):
    import subprocess

    window = make_editor(sample_page)
    prompts = window.prompts
    first, second = tmp_path / "一校.pdf", tmp_path / "二校.pdf"
    prompts.paths += [first]
    prompts.answers["proof"] = {"watermark": "样张", "answers": False}
    window.actions_by_name["export_proof"].trigger()
    assert not prompts.errors
    assert prompts.proof_dialog == {
        "round": "一校",
        "watermark": "",
        "answers": True,
        "profile": "",
    }

    def text(pdf):
        out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True)
        return "".join(out.stdout.decode("utf-8").split())

    assert "样张" in text(first)  # the watermark is on the proof
    assert settings.get(settings.PROOF_WATERMARK) == "样张"
    assert settings.get(settings.PROOF_ANSWERS) is False
    window.session.document.replace_text(next(iter(window.session.document.stories)), 0, 0, "新")
    prompts.paths += [second]
    prompts.answers["proof"] = {"watermark": "校样"}
    window.actions_by_name["export_proof"].trigger()
    assert prompts.proof_dialog == {  # the last choices, and the round this proof makes
        "round": "二校",
        "watermark": "样张",
        "answers": False,
        "profile": "",
    }
    assert "样张" not in text(second)
    assert text(second).count("校样") > text(first).count("校样")  # the header has one too
