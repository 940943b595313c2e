"""文件 → 新建: the page's grid (a layout) or a saved template, and its metadata.

The dialog only gathers the answer (`NewPageChoice`); the window makes the page with
`app.model.newpage`, the same code `pasteup new` uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from app.editor.i18n import tr
from app.model import PageMeta
from app.model.layouts import available_layouts, load_layout


@dataclass(frozen=True, slots=True)
class NewPageChoice:
    layout: str  # a layout name, used when `template` is None
    template: Path | None
    meta: PageMeta
    running_head: bool = True


class NewPageDialog(QDialog):
    def __init__(self, parent: QWidget | None, folder: str = ""):
        super().__init__(parent)
        self.setWindowTitle(tr("新建版面"))
        self.folder = folder
        self.template: Path | None = None
        self.layouts = available_layouts()
        self.source = QComboBox()
        for name in self.layouts:
            self.source.addItem(load_layout(name).title, name)
        self.source.addItem(tr("从版式模板…"), "")
        self.source.activated.connect(self._on_source)
        self.paper = QLineEdit()
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.edition = QLineEdit()
        self.page_name = QLineEdit()
        self.running_head = QCheckBox(tr("报眉"))
        self.running_head.setChecked(True)
        form = QFormLayout(self)
        form.addRow(tr("版式"), self.source)
        form.addRow(tr("报名"), self.paper)
        form.addRow(tr("日期"), self.date)
        form.addRow(tr("版次"), self.edition)
        form.addRow(tr("版名"), self.page_name)
        form.addRow("", self.running_head)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _on_source(self, index: int) -> None:
        if self.source.itemData(index):
            self.template = None
            return
        name, _ = QFileDialog.getOpenFileName(
            self, tr("从版式模板…"), self.folder, tr("版面文件 (*.json)")
        )
        if name:
            self.template = Path(name)
            self.source.setItemText(index, tr("模板：{name}", name=Path(name).name))
        else:
            self.source.setCurrentIndex(0)

    def choice(self) -> NewPageChoice:
        date = self.date.date()
        return NewPageChoice(
            layout=self.source.currentData() or self.layouts[0],
            template=self.template if not self.source.currentData() else None,
            meta=PageMeta(
                paper=self.paper.text().strip(),
                date=dt.date(date.year(), date.month(), date.day()).isoformat(),
                edition=self.edition.text().strip(),
                page_name=self.page_name.text().strip(),
            ),
            running_head=self.running_head.isChecked(),
        )


def ask_new_page(parent: QWidget | None, folder: str) -> NewPageChoice | None:
    dialog = NewPageDialog(parent, folder)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
