"""导出印刷 PDF and 导出校样 PDF: where, and how — the choices `pasteup export` takes.

Print: PDF/X level, printer's marks, the printer's CMYK profile (--pdfx, --marks, --profile).
Proof: watermark, the profile its colours are shown by, last round's decisions marked
(--watermark, --profile, --no-answers) as one `publish.ProofSettings`, the value the CLI builds
too, so both write the proof by one path; the round it makes is shown (it is not a choice: the
next round follows the page's history). The proof choices are remembered in the settings.
"""

from __future__ import annotations

from collections.abc import Callable
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
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.editor import settings
from app.editor.i18n import tr
from app.publish import DEFAULT_PROOF, ProofSettings

WATERMARKS = ("校样", "样张")  # offered; any text may be typed


@dataclass(frozen=True, slots=True)
class PrintChoice:
    path: Path
    pdfx: str = "4"
    marks: bool = False
    profile: Path | None = None


@dataclass(frozen=True, slots=True)
class ProofChoice:
    path: Path
    settings: ProofSettings = DEFAULT_PROOF


def _with_browse(edit: QLineEdit, browse: Callable[[], None]) -> QWidget:
    """A line edit with its 浏览… button on one row."""
    button = QPushButton(tr("浏览…"))
    button.clicked.connect(browse)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(edit, 1)
    line.addWidget(button)
    return row


class _ExportDialog(QDialog):
    """The file row, the printer's profile row and the buttons both exports share."""

    def __init__(self, parent: QWidget | None, title: str, suggestion: str):
        super().__init__(parent)
        self.title = title
        self.setWindowTitle(tr(title))
        self.path = QLineEdit(suggestion)
        self.profile = QLineEdit()
        self.profile.setPlaceholderText(tr("内置新闻纸配置文件"))
        self.form = QFormLayout(self)
        self.form.addRow(tr("文件"), _with_browse(self.path, self._browse))

    def _add_profile_and_buttons(self) -> None:
        self.form.addRow(tr("印厂 CMYK 配置文件"), _with_browse(self.profile, self._pick_profile))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr(self.title), self.path.text(), tr("PDF 文件 (*.pdf)")
        )
        if name:
            self.path.setText(name)

    def _pick_profile(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("印厂 CMYK 配置文件"), "", tr("ICC 配置文件 (*.icc *.icm)")
        )
        if name:
            self.profile.setText(name)

    def _chosen_path(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text) if text else None

    def _chosen_profile(self) -> Path | None:
        text = self.profile.text().strip()
        return Path(text) if text else None


class PrintExportDialog(_ExportDialog):
    def __init__(self, parent: QWidget | None, suggestion: str):
        super().__init__(parent, "导出印刷 PDF…", suggestion)
        self.pdfx = QComboBox()
        self.pdfx.addItem("PDF/X-4", "4")
        self.pdfx.addItem("PDF/X-1a", "1a")
        self.marks = QCheckBox(tr("裁切线、套准线与版面信息"))
        self.form.addRow(tr("PDF/X 级别"), self.pdfx)
        self.form.addRow("", self.marks)
        self._add_profile_and_buttons()

    def choice(self) -> PrintChoice | None:
        path = self._chosen_path()
        if path is None:
            return None
        return PrintChoice(
            path, self.pdfx.currentData(), self.marks.isChecked(), self._chosen_profile()
        )


class ProofExportDialog(_ExportDialog):
    """The proof's options, filled with the last ones used."""

    def __init__(self, parent: QWidget | None, suggestion: str, round_label: str):
        super().__init__(parent, "导出校样 PDF…", suggestion)
        self.round = QLabel(round_label)
        self.watermark = QComboBox()
        self.watermark.setEditable(True)
        self.watermark.addItem(tr("（无）"), "")
        for text in WATERMARKS:
            self.watermark.addItem(text, text)
        self.answers = QCheckBox(tr("标出上一轮的处理结果"))
        self.form.addRow(tr("校次"), self.round)
        self.form.addRow(tr("水印"), self.watermark)
        self.form.addRow("", self.answers)
        self._add_profile_and_buttons()
        self.set_watermark(settings.get(settings.PROOF_WATERMARK))
        self.profile.setText(settings.get(settings.PROOF_PROFILE))
        self.answers.setChecked(settings.get(settings.PROOF_ANSWERS))

    def set_watermark(self, text: str) -> None:
        index = self.watermark.findData(text)
        if index >= 0:
            self.watermark.setCurrentIndex(index)
        else:
            self.watermark.setEditText(text)

    def watermark_text(self) -> str:
        text = self.watermark.currentText().strip()
        index = self.watermark.findText(text)
        return self.watermark.itemData(index) if index >= 0 else text  # （无） is no watermark

    def choice(self) -> ProofChoice | None:
        path = self._chosen_path()
        if path is None:
            return None
        proof = ProofSettings(
            profile=self._chosen_profile(),
            watermark=self.watermark_text(),
            answers=self.answers.isChecked(),
        )
        return ProofChoice(path, proof)

    def remember(self, choice: ProofChoice) -> None:
        """The next proof export starts from these choices."""
        settings.put(settings.PROOF_WATERMARK, choice.settings.watermark)
        profile = choice.settings.profile
        settings.put(settings.PROOF_PROFILE, str(profile) if profile else "")
        settings.put(settings.PROOF_ANSWERS, choice.settings.answers)


def ask_print_export(parent: QWidget | None, suggestion: str) -> PrintChoice | None:
    dialog = PrintExportDialog(parent, suggestion)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_proof_export(
    parent: QWidget | None, suggestion: str, round_label: str
) -> ProofChoice | None:
    dialog = ProofExportDialog(parent, suggestion, round_label)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or (choice := dialog.choice()) is None:
            return None
        dialog.remember(choice)
        return choice
    finally:
        dialog.deleteLater()
