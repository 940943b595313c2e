"""版本历史: the versions of a record of the team store — who saved each, when, what changed —
and the one to restore (docs/store.md). Restoring makes it current again as a new version, so
nothing saved after it is lost; the dialog only chooses.

`history(kind, key)` gives a record's versions (a `PostgresStore.history` bound to the edition);
the dialog asks it again whenever another record is chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editor.i18n import tr

Record = tuple[str, str, str]  # kind, key, what the user sees ("版面 p1", "稿件 renda")


class HistoryDialog(QDialog):
    def __init__(
        self,
        records: list[Record],
        history: Callable[[str, str], list],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(tr("版本历史"))
        self.records = records
        self.history = history
        self.record = QComboBox()
        self.record.addItems([label for _kind, _key, label in records])
        self.record.currentIndexChanged.connect(self._load)
        self.versions = QTreeWidget()
        self.versions.setRootIsDecorated(False)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions.setHeaderLabels([tr("版本"), tr("保存人"), tr("时间"), tr("修改")])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore = self.buttons.addButton(
            tr("恢复此版本"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.versions.itemSelectionChanged.connect(self._enable)
        self.versions.itemDoubleClicked.connect(lambda *_: self.restore.click())
        layout = QVBoxLayout(self)
        layout.addWidget(self.record)
        layout.addWidget(self.versions, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        self._load()

    def _load(self) -> None:
        self.versions.clear()
        if not self.records:
            self._enable()
            return
        kind, key, _label = self.records[self.record.currentIndex()]
        versions = self.history(kind, key)
        for version in reversed(versions):  # the newest first
            at = version.at.astimezone().strftime("%m-%d %H:%M:%S")
            item = QTreeWidgetItem([str(version.version), version.by, at, version.summary])
            self.versions.addTopLevelItem(item)
        for column in range(3):
            self.versions.resizeColumnToContents(column)
        self._enable()

    def _enable(self) -> None:
        chosen = self.versions.selectedItems()
        # the newest is current already: restoring it would change nothing
        self.restore.setEnabled(bool(chosen) and self.versions.indexOfTopLevelItem(chosen[0]) > 0)

    def choice(self) -> tuple[str, str, int] | None:
        """(kind, key, version) to restore, once accepted."""
        chosen = self.versions.selectedItems()
        if not chosen or not self.records:
            return None
        kind, key, _label = self.records[self.record.currentIndex()]
        return kind, key, int(chosen[0].text(0))


def ask_history(
    parent: QWidget, records: list[Record], history: Callable[[str, str], list]
) -> tuple[str, str, int] | None:
    dialog = HistoryDialog(records, history, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    choice = dialog.choice() if accepted else None
    dialog.deleteLater()
    return choice
