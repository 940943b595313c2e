"""The corrections panel on a real annotated proof of the sample page.

The proof is exported by the real `pasteup export --proof`, marked up with pikepdf the way
Acrobat/Foxit write annotations (helpers shared with tests/proof), imported through the
校对 menu, then decided in the panel: the story text, the composed layout, the undo stack
and the saved document JSON are checked after each step.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.cli import main
from app.compose.layout import GlyphRun, to_pt
from app.editor.canvas.proof_highlight import range_spots
from app.editor.panels.corrections import ZOOM_TO
from app.model import dumps_document
from app.proof.anchor import CONTEXT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "proof"))
from proofpdf import annotation
from test_pinning import acrobat_replace, annotated, caret, markup, strikeout

pytestmark = pytest.mark.qt


class ScriptedProofPrompts:
    """The proof dialogs with scripted answers; None (cancel) once a queue is empty."""

    def __init__(self, paths=(), reasons=(), texts=()):
        self.paths, self.reasons, self.texts = list(paths), list(reasons), list(texts)
        self.shown: list[tuple[str, str]] = []

    def pdf_path(self, folder: str) -> Path | None:
        return self.paths.pop(0) if self.paths else None

    def reason(self, count: int) -> str | None:
        return self.reasons.pop(0) if self.reasons else None

    def text(self, title: str, label: str, default: str = "") -> str | None:
        return self.texts.pop(0) if self.texts else None

    def info(self, title: str, text: str) -> None:
        self.shown.append((title, text))


def corner_note(doc, pdf) -> None:
    """A sticky note in the page's lower-left corner, far from any text: not pinned."""
    annotation(doc, "Text", [2, 2, 20, 20], Contents="版面整体偏紧", T="赵审读", NM="note-corner")


@pytest.fixture
def marked_proof(sample_page: Path, capsys) -> Path:
    """一校 of the sample page (round 1 recorded in page.json), marked by four proofreaders."""
    proof = sample_page.with_name("一校.pdf")
    assert main(["export", str(sample_page), "--proof", "-o", str(proof)]) == 0
    capsys.readouterr()
    marked = annotated(
        proof.read_bytes(),
        strikeout("组织部部长"),
        acrobat_replace("显著成就", "重大成就"),
        acrobat_replace("加紧生产", "加紧赶制", caret_is_parent=False),
        caret("累计举办", 0, "已"),
        strikeout("晋剧名家", author="孙校对"),
        markup("Highlight", "李文兵", Contents="请核实人名"),
        corner_note,
    )
    path = sample_page.with_name("一校-marked.pdf")
    path.write_bytes(marked)
    return path


def proof_window(make_editor, *paths: Path, **answers):
    window = make_editor()
    prompts = ScriptedProofPrompts(paths, **answers)
    window.proof_prompts = window.corrections.prompts = prompts
    return window, prompts


def imported(make_editor, marked_proof: Path, **answers):
    window, prompts = proof_window(make_editor, marked_proof, **answers)
    window.actions_by_name["proof_import"].trigger()
    assert window.prompts.errors == []
    return window, prompts


def rows(window) -> dict[str, object]:
    """Row items by the marked text (or the note) they show."""
    return {
        row.text(1) if "【" not in row.text(1) else row.text(1).split("【")[1].split("】")[0]: row
        for row in window.corrections._rows()
    }


def correction(window, text: str = "", action: str = ""):
    """The stored correction marking `text` (a comment: with these contents; or by action)."""
    found = [
        c
        for c in window.session.document.proof.corrections
        if (c.text and c.text == text)
        or (c.action == "comment" and c.contents == text)
        or (action and c.action == action)
    ]
    assert len(found) == 1, text
    return found[0]


def click_row(qtbot, window, correction_id: str) -> None:
    tree = window.corrections.tree
    item = next(r for r in window.corrections._rows() if r.data(0, Qt.ItemDataRole.UserRole) == correction_id)  # fmt: skip
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def story_runs(window, story: str) -> str:
    items = window.session.layout.items
    return "".join(i.text for i in items if isinstance(i, GlyphRun) and i.story == story)


def test_import_from_the_menu_lists_corrections_by_round_and_proofreader(make_editor, marked_proof):
    window, _ = proof_window(make_editor, marked_proof)
    session = window.session
    before = dumps_document(session.document)
    window.actions_by_name["proof_import"].trigger()
    assert window.prompts.errors == []
    assert len(session.document.proof.corrections) == 7
    assert session.undo_stack.count() == 1
    assert window.docks["corrections"].isVisible()

    tree = window.corrections.tree
    assert tree.topLevelItemCount() == 1
    first_round = tree.topLevelItem(0)
    assert first_round.text(0) == "一校（7）"
    readers = {first_round.child(i).text(0) for i in range(first_round.childCount())}
    assert readers == {"张校对（1）", "李编辑（2）", "王校对（1）", "孙校对（1）", "赵审读（2）"}

    shown = rows(window)
    assert set(shown) == {"组织部部长", "显著成就", "加紧生产", "‸", "晋剧名家", "李文兵", "未定位"}
    delete = shown["组织部部长"]
    assert [delete.text(i) for i in (0, 2, 3, 4)] == [
        "删除",
        "删除「组织部部长」",
        "张校对",
        "待处理",
    ]
    zhengwu = session.document.stories["zhengwu"].stream
    at = zhengwu.index("组织部部长")
    assert (
        delete.text(1)
        == f"{zhengwu[at - CONTEXT : at]}【组织部部长】{zhengwu[at + 5 : at + 5 + CONTEXT]}"
    )
    html = delete.data(1, Qt.ItemDataRole.UserRole + 1)
    assert "<b style='color:#c00000'>组织部部长</b>" in html
    replace = shown["显著成就"]
    assert (replace.text(0), replace.text(2)) == ("替换", "「显著成就」改为「重大成就」")
    insert = shown["‸"]
    assert (insert.text(0), insert.text(2), insert.text(3)) == ("插入", "插入「已」", "王校对")
    assert insert.text(1).split("【")[1].startswith("‸】累计举办")
    assert (shown["李文兵"].text(0), shown["李文兵"].text(2)) == ("批注", "请核实人名")
    assert (shown["未定位"].text(0), shown["未定位"].text(2)) == ("批注", "版面整体偏紧")

    window.actions_by_name["undo"].trigger()  # importing is one undo step
    assert dumps_document(session.document) == before
    assert window.corrections._rows() == []


def test_a_bad_pdf_gives_one_line_and_changes_nothing(make_editor, sample_page, tmp_path):
    not_pdf = tmp_path / "broken.pdf"
    not_pdf.write_bytes(b"%PDF-1.7\nthis is not a PDF body\n")
    plain = tmp_path / "plain.pdf"
    import pikepdf

    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(plain)
    window, _ = proof_window(make_editor, not_pdf, plain)
    before = dumps_document(window.session.document)
    window.actions_by_name["proof_import"].trigger()
    window.actions_by_name["proof_import"].trigger()
    assert len(window.prompts.errors) == 2
    assert all("\n" not in e for e in window.prompts.errors)
    assert "broken.pdf" in window.prompts.errors[0] and "无法读取 PDF" in window.prompts.errors[0]
    assert "不是 Pasteup 校样" in window.prompts.errors[1]
    assert window.session.undo_stack.count() == 0
    assert dumps_document(window.session.document) == before


def test_clicking_a_row_selects_the_block_and_highlights_the_marked_characters(
    make_editor, marked_proof, qtbot
):
    window, _ = imported(make_editor, marked_proof)
    session, canvas, panel = window.session, window.canvas, window.corrections
    window.show_corrections()
    canvas.fit_page()
    target = correction(window, "显著成就")

    click_row(qtbot, window, target.id)
    assert session.selection == ("zhengwu",)
    assert canvas.scale >= ZOOM_TO
    assert panel.highlight and all(s.block == "zhengwu" for s in panel.highlight)
    # The highlighted rectangles cover exactly the marked characters of the text map.
    covered = ""
    for line in session.layout.lines:
        for ch, (a, b) in zip(line.text, line.char_x, strict=True):
            centre, middle = to_pt(a + b) / 2, to_pt(line.top + line.bottom) / 2
            if any(
                s.rect.x <= centre <= s.rect.right and s.rect.y <= middle <= s.rect.bottom
                for s in panel.highlight
            ):
                covered += ch
    assert covered == "显著成就"
    # …brought into view and drawn on the canvas.
    view = canvas.view()
    box = view.rect(panel.highlight[0].rect).toRect()
    assert canvas.viewport().rect().contains(box)
    lit = canvas.viewport().grab().toImage()
    panel.highlight = []
    canvas.viewport().update()
    unlit = canvas.viewport().grab().toImage()
    tinted = 0
    for x in range(box.left() + 1, box.right()):
        for y in range(box.top() + 1, box.bottom()):
            a, b = lit.pixelColor(x, y), unlit.pixelColor(x, y)
            if a.blue() < b.blue() or (a.blue() == b.blue() == 0 and a.red() > b.red()):
                tinted += 1
    assert tinted > (box.width() - 2) * (box.height() - 2) * 0.8

    # An insertion shows as a bar before the character; a note that is not pinned, nothing.
    click_row(qtbot, window, correction(window, action="insert").id)
    (bar,) = panel.highlight
    xiyun = session.document.stories["xiyun"].stream
    at = xiyun.index("累计举办")
    line = next(
        li for li in session.layout.lines if li.story == "xiyun" and li.start <= at < li.end
    )
    assert abs(bar.rect.x + bar.rect.w / 2 - to_pt(line.char_x[at - line.start][0])) < 0.01
    assert session.selection == (line.block,)
    click_row(qtbot, window, correction(window, "版面整体偏紧").id)
    assert panel.highlight == []
    assert "附近没有正文行" in panel.detail.text()


def test_accept_applies_the_change_recomposes_and_undo_restores(make_editor, marked_proof, qtbot):
    window, _ = imported(make_editor, marked_proof)
    session, panel = window.session, window.corrections
    before = dumps_document(session.document)
    old_layout = session.layout
    target = correction(window, "显著成就")
    click_row(qtbot, window, target.id)
    depth = session.undo_stack.count()

    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    story = session.document.stories["zhengwu"].stream
    assert "重大成就" in story and "显著成就" not in story
    assert session.layout is not old_layout  # re-composed at once
    assert "重大成就" in story_runs(window, "zhengwu")
    assert "显著成就" not in story_runs(window, "zhengwu")
    assert correction(window, "显著成就").state == "applied"
    assert session.undo_stack.count() == depth + 1
    assert target.id not in {r.data(0, Qt.ItemDataRole.UserRole) for r in panel._rows()}
    panel.filter.setCurrentIndex(1)  # 全部: decided ones are listed too
    assert rows(window)["重大成就"].text(4) == "已采用"
    click_row(qtbot, window, target.id)  # the highlight follows the new text
    spots = panel.highlight
    assert spots and spots == range_spots(session.layout, "zhengwu", story.index("重大成就"), story.index("重大成就") + 4)  # fmt: skip

    window.actions_by_name["undo"].trigger()
    assert dumps_document(session.document) == before
    assert story_runs(window, "zhengwu") == "".join(
        i.text for i in old_layout.items if isinstance(i, GlyphRun) and i.story == "zhengwu"
    )
    assert rows(window)["显著成就"].text(4) == "待处理"
    window.actions_by_name["redo"].trigger()
    assert "重大成就" in session.document.stories["zhengwu"].stream


def test_reject_reply_accept_all_and_sign_off(make_editor, marked_proof, qtbot):
    window, prompts = imported(
        make_editor,
        marked_proof,
        reasons=["人名无误", "原文无误"],
        texts=["已与作者核实", "值班主任", "值班主任", "值班主任"],
    )
    session, panel = window.session, window.corrections
    stack = session.undo_stack
    kept = correction(window, "晋剧名家")
    xiyun = session.document.stories["xiyun"].stream

    click_row(qtbot, window, kept.id)
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    kept = correction(window, "晋剧名家")
    assert (kept.state, kept.why) == ("rejected", "人名无误")
    assert session.document.stories["xiyun"].stream == xiyun
    window.actions_by_name["undo"].trigger()
    assert correction(window, "晋剧名家").state == "open"
    window.actions_by_name["redo"].trigger()
    assert correction(window, "晋剧名家").why == "人名无误"

    panel.filter.setCurrentIndex(1)
    click_row(qtbot, window, kept.id)
    qtbot.mouseClick(panel.reply_button, Qt.MouseButton.LeftButton)
    assert correction(window, "晋剧名家").replies[-1].text == "已与作者核实"
    assert "已与作者核实" in panel.detail.text() and "人名无误" in panel.detail.text()

    window.actions_by_name["proof_sign_off"].trigger()  # six still open: refused
    assert "还有 6 条校对意见未处理" in window.prompts.errors[-1]
    assert session.document.proof.signed_off is None

    depth = stack.count()
    before_all = dumps_document(session.document)
    qtbot.mouseClick(panel.accept_all_button, Qt.MouseButton.LeftButton)
    assert stack.count() == depth + 1  # one undo step for all of them
    assert {c.state for c in session.document.proof.corrections} == {"applied", "rejected"}
    zhengwu = session.document.stories["zhengwu"].stream
    assert "组织部部长" not in zhengwu and "重大成就" in zhengwu
    assert "加紧赶制" in session.document.stories["photo-caption"].stream
    assert "已累计举办" in session.document.stories["xiyun"].stream
    assert "晋剧名家" in session.document.stories["xiyun"].stream
    assert "已累计举办" in story_runs(window, "xiyun")

    window.actions_by_name["proof_sign_off"].trigger()  # decided, but the page changed
    assert "请先出校样核红" in window.prompts.errors[-1]
    window.actions_by_name["proof_status"].trigger()
    title, summary = prompts.shown[-1]
    assert title == "校次状态"
    assert "李编辑：待处理 0，已采用 2，已退回 0" in summary
    assert "孙校对：待处理 0，已采用 0，已退回 1" in summary
    assert "一校后版面已改动" in summary and "未签发付印" in summary

    window.actions_by_name["undo"].trigger()
    assert dumps_document(session.document) == before_all
    # Rejecting the rest keeps the text of round 1, so the page may be signed off.
    for row in panel._rows():
        row.setSelected(correction_state(window, row) == "open")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert all(c.state == "rejected" for c in session.document.proof.corrections)
    window.actions_by_name["proof_sign_off"].trigger()
    signed = session.document.proof.signed_off
    assert signed is not None and (signed.by, signed.round) == ("值班主任", 1)
    window.actions_by_name["proof_status"].trigger()
    assert "已签发付印：值班主任" in prompts.shown[-1][1]
    window.actions_by_name["undo"].trigger()
    assert session.document.proof.signed_off is None


def correction_state(window, row) -> str:
    key = row.data(0, Qt.ItemDataRole.UserRole)
    return next(c.state for c in window.session.document.proof.corrections if c.id == key)


def test_the_panel_and_menu_switch_to_english(make_editor, marked_proof):
    window, _ = imported(make_editor, marked_proof)
    window.switch_language("en")
    panel = window.corrections
    header = panel.tree.headerItem()
    assert [header.text(i) for i in range(5)] == ["Action", "Marked text", "Change", "Proofreader", "State"]  # fmt: skip
    assert panel.tree.topLevelItem(0).text(0).startswith("1st proof")
    row = rows(window)["显著成就"]
    assert (row.text(0), row.text(2), row.text(4)) == ("Replace", "Replace “显著成就” with “重大成就”", "Open")  # fmt: skip
    assert window.actions_by_name["proof_import"].text() == "Import Annotated Proof…"
    assert panel.accept_all_button.text() == "Accept All Open"
    window.switch_language("zh_CN")
    assert rows(window)["显著成就"].text(4) == "待处理"
