"""The window's print export: the CLI's pre-print check, and its override, in the window."""

from __future__ import annotations

from dataclasses import replace

from app.model import GridFrame


def _nudge_onto_neighbour(window) -> None:
    document = window.session.document
    block = document.block("xiyun")
    frame = block.frames[0]
    moved = replace(block, frames=(replace(frame, col=frame.col - 1),))
    window.edit.replace_blocks([moved], "test")
    assert isinstance(frame, GridFrame)


def test_print_export_with_a_preflight_error_needs_the_explicit_override(make_editor, tmp_path):
    window = make_editor()
    _nudge_onto_neighbour(window)
    prompts = window.prompts
    pdf = tmp_path / "page.pdf"
    prompts.paths.append(pdf)
    window.actions_by_name["export_print"].trigger()
    assert prompts.asked == ["override"]
    assert not pdf.exists()  # declined: nothing written
    codes = {f.code for f in window.preflight.findings() if f.severity == "error"}
    assert codes & {"text-on-text", "headline-on-text"}
    prompts.answers["override"] = True
    prompts.paths.append(pdf)
    window.actions_by_name["export_print"].trigger()
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_clean_page_exports_without_asking(make_editor, tmp_path):
    window = make_editor()
    pdf = tmp_path / "page.pdf"
    window.prompts.paths.append(pdf)
    window.actions_by_name["export_print"].trigger()
    assert "override" not in window.prompts.asked
    assert pdf.read_bytes().startswith(b"%PDF")


def test_an_overlap_is_drawn_on_the_canvas(make_editor, qtbot):
    window = make_editor()
    window.canvas.check_overlaps()
    assert window.canvas.overlaps == []  # the sample page prints nothing on anything
    _nudge_onto_neighbour(window)
    qtbot.waitUntil(lambda: bool(window.canvas.overlaps), timeout=2000)
    assert any("xiyun" in (f.block, f.arg("other")) for f in window.canvas.overlaps)
    window.session.undo()
    qtbot.waitUntil(lambda: not window.canvas.overlaps, timeout=2000)


def test_the_word_list_is_checked_in_preflight(make_editor, tmp_path):
    words = tmp_path / "词表.txt"
    words.write_text("# 本报词表\n推进 → 推动\n", encoding="utf-8")
    window = make_editor()
    window.prompts.paths.append(words)
    window.actions_by_name["word_list"].trigger()
    window.actions_by_name["preflight"].trigger()
    hits = [f for f in window.preflight.findings() if f.code == "word-confused"]
    assert hits and {f.arg("suggestion") for f in hits} == {"推动"}
    assert all(f.severity == "warning" for f in hits)


def test_the_print_export_dialog_offers_pdfx_level_marks_and_profile(make_editor, tmp_path):
    import pikepdf

    from app.editor.dialogs.export_options import PrintChoice, PrintExportDialog

    window = make_editor()
    dialog = PrintExportDialog(window, str(tmp_path / "page.pdf"))
    dialog.pdfx.setCurrentIndex(dialog.pdfx.findData("1a"))
    dialog.marks.setChecked(True)
    choice = dialog.choice()
    dialog.deleteLater()
    assert choice == PrintChoice(tmp_path / "page.pdf", "1a", True, None)
    window.prompts.print_export = lambda suggestion: choice
    window.actions_by_name["export_print"].trigger()
    with pikepdf.open(choice.path) as pdf:
        assert str(pdf.trailer.Info.get("/GTS_PDFXVersion", "")).startswith("PDF/X-1")
