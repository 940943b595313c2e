"""The questions the window asks (save changes? recover? which file?), in one place.

Tests hand the window a `Prompts` whose answers are fixed, so the real window runs
without blocking on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.editor.i18n import tr


class Prompts:
    def __init__(self, parent: QWidget):
        self.parent = parent

    def save_changes(self, name: str) -> str:
        """ "save", "discard" or "cancel"."""
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        answer = QMessageBox.question(
            self.parent,
            tr("Pasteup 版面编辑"),
            tr("“{name}”有未保存的修改。要保存吗？", name=name),
            buttons,
            QMessageBox.StandardButton.Save,
        )
        return {
            QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard",
        }.get(answer, "cancel")

    def recover(self, name: str, time: str) -> bool:
        answer = QMessageBox.question(
            self.parent,
            tr("恢复工作"),
            tr(
                "发现“{name}”的自动恢复文件（{time}）。要恢复未保存的工作吗？", name=name, time=time
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def open_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent, tr("打开…"), folder, tr("版面文件 (*.json)")
        )
        return Path(name) if name else None

    def image_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent, tr("图片"), folder, tr("图片 (*.jpg *.jpeg *.png *.tif *.tiff)")
        )
        return Path(name) if name else None

    def save_path(self, suggestion: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, tr("另存为…"), suggestion, tr(pattern))
        return Path(name) if name else None

    def error(self, title: str, message: str) -> None:
        QMessageBox.critical(self.parent, tr(title), message)
