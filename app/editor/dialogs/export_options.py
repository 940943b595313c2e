"""导出印刷 PDF: where, and how — PDF/X level, printer's marks, the printer's CMYK profile.

The same choices `pasteup export` takes (--pdfx, --marks, --profile), gathered in one dialog
titled for what it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.editor.i18n import tr


@dataclass(frozen=True, slots=True)
class PrintChoice:
    path: Path
    pdfx: str = "4"
    marks: bool = False
    profile: Path | None = None


class PrintExportDialog(QDialog):
    def __init__(self, parent: QWidget | None, suggestion: str):
        super().__init__(parent)
        self.setWindowTitle(tr("导出印刷 PDF…"))
        self.path = QLineEdit(suggestion)
        browse = QPushButton(tr("浏览…"))
        browse.clicked.connect(self._browse)
        where = QWidget()
        row = QHBoxLayout(where)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.pdfx = QComboBox()
        self.pdfx.addItem("PDF/X-4", "4")
        self.pdfx.addItem("PDF/X-1a", "1a")
        self.marks = QCheckBox(tr("裁切线、套准线与版面信息"))
        self.profile = QLineEdit()
        self.profile.setPlaceholderText(tr("内置新闻纸配置文件"))
        pick = QPushButton(tr("浏览…"))
        pick.clicked.connect(self._pick_profile)
        profile = QWidget()
        line = QHBoxLayout(profile)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.profile, 1)
        line.addWidget(pick)
        form = QFormLayout(self)
        form.addRow(tr("文件"), where)
        form.addRow(tr("PDF/X 级别"), self.pdfx)
        form.addRow("", self.marks)
        form.addRow(tr("印厂 CMYK 配置文件"), profile)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("导出印刷 PDF…"), self.path.text(), tr("PDF 文件 (*.pdf)")
        )
        if name:
            self.path.setText(name)

    def _pick_profile(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("印厂 CMYK 配置文件"), "", tr("ICC 配置文件 (*.icc *.icm)")
        )
        if name:
            self.profile.setText(name)

    def choice(self) -> PrintChoice | None:
        if not self.path.text().strip():
            return None
        profile = self.profile.text().strip()
        return PrintChoice(
            Path(self.path.text().strip()),
            self.pdfx.currentData(),
            self.marks.isChecked(),
            Path(profile) if profile else None,
        )


def ask_print_export(parent: QWidget | None, suggestion: str) -> PrintChoice | None:
    dialog = PrintExportDialog(parent, suggestion)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
