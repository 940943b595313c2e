"""The styles panel changes the page's paragraph styles as one undo step each."""

from __future__ import annotations

import collections
import itertools
from fractions import Fraction

from PySide6.QtWidgets import QDoubleSpinBox

from app.compose.config import to_lu
from app.compose.layout import from_pt


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


def test_tracking_is_offered_composed_and_undone(make_editor):
    """字距 opens every gap between a body line's characters by the tracking, one undo step."""
    window = make_editor()
    session = window.session
    document = session.document
    panel = window.styles
    panel.role.setCurrentText("正文")

    def commonest_gap() -> int:
        """The gap seen most between neighbouring characters of the body's last lines (set
        at natural width, not justified), in the text map."""
        last = {}
        for line in session.layout.lines:
            story = document.stories.get(line.story)  # none for a running head
            if story and story.paragraphs[line.paragraph].role == "正文":
                last[line.story, line.paragraph] = line  # lines come in reading order
        gaps = collections.Counter()
        for line in last.values():
            boxes = line.char_x
            gaps.update(left - right for (_, right), (left, _) in itertools.pairwise(boxes))
        return gaps.most_common(1)[0][0]

    em = from_pt(document.styles["正文"].size)
    lines_before = len(session.layout.lines)
    assert commonest_gap() == 0
    tracking = panel.findChild(QDoubleSpinBox, "style-tracking")
    tracking.setValue(0.25)
    assert document.styles["正文"].tracking == 0.25
    assert document.style_overrides["正文"]["tracking"] == 0.25
    assert len(session.layout.lines) > lines_before  # wider lines break sooner
    assert commonest_gap() == to_lu(em, Fraction(1, 4))
    assert session.undo_stack.undoText().startswith("修改样式")
    session.undo()
    assert document.styles["正文"].tracking == 0
    assert tracking.value() == 0
    assert len(session.layout.lines) == lines_before
