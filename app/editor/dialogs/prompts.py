"""The questions the window asks (save changes? recover? which file?), in one place.

Tests hand the window a `Prompts` whose answers are fixed, so the real window runs
without blocking on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget

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

    def save_path(self, suggestion: str, pattern: str, title: str = "另存为…") -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, tr(title), suggestion, tr(pattern))
        return Path(name) if name else None

    def new_page(self, folder: str):
        """文件 → 新建: a `NewPageChoice`, or None."""
        from app.editor.dialogs.new_page import ask_new_page

        return ask_new_page(self.parent, folder)

    def print_export(self, suggestion: str):
        """导出印刷 PDF: a `PrintChoice` (file, PDF/X level, marks, profile), or None."""
        from app.editor.dialogs.export_options import ask_print_export

        return ask_print_export(self.parent, suggestion)

    def manuscript_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent,
            tr("置入稿件…"),
            folder,
            tr("稿件与图片 (*.txt *.docx *.jpg *.jpeg *.png *.tif *.tiff)"),
        )
        return Path(name) if name else None

    def word_list_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent, tr("词表…"), folder, tr("文本文件 (*.txt)")
        )
        return Path(name) if name else None

    def take_over(self, page: str, holder: str, since: str) -> bool:
        """Take a page someone is editing? Their unsaved edits stay theirs (saved as a copy);
        only an explicit yes takes it, and the store records the takeover."""
        answer = QMessageBox.warning(
            self.parent,
            tr("接管此版"),
            tr(
                "{holder} 自 {since} 起正在编辑“{page}”。接管后对方不能再保存此版（其修改另存为"
                "冲突副本），接管会被记录。仍要接管吗？",
                holder=holder,
                since=since,
                page=page,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save_conflict(self, message: str) -> str:
        """A save lost a race: "copy" (keep mine as the conflict copy, take the new version),
        "reapply" (merge mine into the new version and save) or "cancel"."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("保存冲突"))
        box.setText(message)
        buttons: dict[QAbstractButton, str] = {
            box.addButton(tr("另存副本"), QMessageBox.ButtonRole.AcceptRole): "copy",
            box.addButton(tr("在新版本上重做"), QMessageBox.ButtonRole.ApplyRole): "reapply",
            box.addButton(tr("放弃"), QMessageBox.ButtonRole.RejectRole): "cancel",
        }
        box.exec()
        answer = buttons.get(box.clickedButton(), "cancel")
        box.deleteLater()
        return answer

    def reload_edition(self, records: str) -> bool:
        """Others changed the plan or a grid that this window's unsaved edits touch too:
        re-read the edition, dropping those edits? (the default is no: save them first)"""
        answer = QMessageBox.warning(
            self.parent,
            tr("他人修改了版面计划"),
            tr(
                "他人已修改 {records}，您在这些记录上也有未保存的修改。重新读取版期（放弃这些修改）？"
                "选“否”可先保存，您的修改将另存为冲突副本。",
                records=records,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def history(self, records: list, history):
        """版本历史: (kind, key, version) of a record to restore, or None."""
        from app.editor.dialogs.history import ask_history

        return ask_history(self.parent, records, history)

    def report(self, title: str, message: str) -> None:
        QMessageBox.information(self.parent, tr(title), message)

    def override_preflight(self, errors: list[str]) -> bool:
        """Print export with preflight errors: only an explicit yes writes the PDF."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("预检有错误"))
        box.setText(tr("预检发现 {count} 个错误，印厂可能退版。仍要输出吗？", count=len(errors)))
        box.setDetailedText("\n".join(errors))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        answer = box.exec()
        box.deleteLater()
        return answer == QMessageBox.StandardButton.Yes

    def error(self, title: str, message: str) -> None:
        QMessageBox.critical(self.parent, tr(title), message)
