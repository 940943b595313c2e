"""The inspector with nothing selected: the page itself — 报名, 日期, 版次, 版名, 报眉.

The running head's three parts are templates ({paper}, {date}, {weekday}, {edition},
{page_name}) filled from the metadata; a change to any field is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from app.editor.commands.undo import SetBlock, SetMeta
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model import RunningHeadBlock
from app.model.newpage import check_meta

META_FIELDS = (("paper", "报名"), ("date", "日期"), ("edition", "版次"), ("page_name", "版名"))
HEAD_FIELDS = (("left", "报眉左"), ("center", "报眉中"), ("right", "报眉右"))


class PageRows:
    """The page's rows in the inspector's form, and applying what they say."""

    def __init__(self, form: QFormLayout, session: Session, report: Callable[[str], None]) -> None:
        self.session = session
        self.report = report  # shows a problem (a date that is not a date)
        document = session.document
        grid = document.layout
        self.fields: dict[str, QLineEdit] = {}
        form.addRow(QLabel(tr("版面")), QLabel(grid.title))
        for key, label in META_FIELDS:
            self._field(form, key, label, getattr(document.meta, key))
        head = self.running_head()
        if head is not None:
            for key, label in HEAD_FIELDS:
                self._field(form, key, label, getattr(head, key))

    def _field(self, form: QFormLayout, key: str, label: str, value: str) -> None:
        edit = QLineEdit(value)
        edit.setObjectName(f"page-{key}")
        edit.editingFinished.connect(self.apply)
        self.fields[key] = edit
        form.addRow(tr(label), edit)

    def running_head(self) -> RunningHeadBlock | None:
        return next(
            (b for b in self.session.document.blocks if isinstance(b, RunningHeadBlock)), None
        )

    def apply(self) -> None:
        document = self.session.document
        values = {key: edit.text() for key, edit in self.fields.items()}
        try:
            meta = check_meta(
                replace(
                    document.meta,
                    paper=values["paper"],
                    date=values["date"],
                    edition=values["edition"],
                    page_name=values["page_name"],
                )
            )
        except PasteupError as error:
            self.report(str(error))
            return
        commands: list[QUndoCommand] = []
        if meta != document.meta:
            commands.append(SetMeta(document, meta, tr("版面信息")))
        head = self.running_head()
        if head is not None:
            changed = replace(
                head, left=values["left"], center=values["center"], right=values["right"]
            )
            if changed != head:
                commands.append(SetBlock(document, changed, tr("报眉")))
        self.session.macro(tr("版面信息"), commands)
