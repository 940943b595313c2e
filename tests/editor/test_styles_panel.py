"""The styles panel changes the page's paragraph styles as one undo step each."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox


def test_a_style_change_recomposes_and_undoes(make_editor):
    window = make_editor()
    document = window.session.document
    panel = window.styles
    panel.role.setCurrentText("正文")
    before_overrides = {k: dict(v) for k, v in document.style_overrides.items()}
    lines_before = len(window.session.layout.lines)
    size = panel.findChild(QDoubleSpinBox, "style-size")
    size.setValue(document.styles["正文"].size + 1.5)
    assert document.styles["正文"].size == size.value()
    assert len(window.session.layout.lines) > lines_before  # bigger type, more lines
    assert window.session.undo_stack.undoText().startswith("修改样式")
    window.session.undo()
    assert document.style_overrides == before_overrides
    assert len(window.session.layout.lines) == lines_before
    assert panel.findChild(QDoubleSpinBox, "style-size").value() == document.styles["正文"].size
