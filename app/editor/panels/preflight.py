"""Findings as a list (composition's and preflight's); clicking one selects its block.

Each row: the severity as an icon (its word in the tooltip), the block, and what is wrong
and what to do — the block is not named twice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QStyle, QTreeWidget, QTreeWidgetItem, QWidget

from app.compose.layout import Finding
from app.editor.document.session import Session
from app.editor.i18n import language, tr
from app.export.preflight import MESSAGES, describe

ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
LEVELS = {"error": "错误", "warning": "警告", "info": "提示"}

BLOCK_ROLE = Qt.ItemDataRole.UserRole
COMPOSER_WORDING = {
    "underset": "欠排 {lines} 行",
    "overset": "超排 {chars} 字",
    "loose-line": "松行",
}


class PreflightPanel(QTreeWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.extra: tuple[Finding, ...] = ()  # from an explicit preflight run
        self._shown: tuple[Finding, ...] | None = None
        self.setRootIsDecorated(False)
        self.setColumnCount(2)
        self.setMinimumHeight(60)  # the dock resizes it; it never insists on its own height
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.itemClicked.connect(self._on_clicked)
        session.layout_changed.connect(lambda *_: self.refresh(only_if_changed=True))
        self.retranslate()

    def findings(self) -> tuple[Finding, ...]:
        layout = self.session.layout
        return tuple(dict.fromkeys((layout.findings if layout else ()) + self.extra))

    def set_preflight(self, findings: tuple[Finding, ...]) -> None:
        self.extra = tuple(findings)
        self.refresh()

    def refresh(self, only_if_changed: bool = False) -> None:
        """List the findings; after a keystroke, only when they differ from those shown."""
        findings = self.findings()
        if only_if_changed and findings == self._shown:
            return
        self._shown = findings
        self.clear()
        for finding in findings:
            words = self.describe(finding)
            item = QTreeWidgetItem([finding.block or finding.story, words])
            item.setData(0, BLOCK_ROLE, finding.block)
            item.setIcon(0, self.style().standardIcon(ICONS.get(finding.severity, ICONS["info"])))
            item.setToolTip(0, tr(LEVELS.get(finding.severity, "提示")))
            item.setToolTip(1, words)
            self.addTopLevelItem(item)
        self.resizeColumnToContents(0)

    @staticmethod
    def describe(finding: Finding) -> str:
        """Preflight words its own findings; composition's notes the export has no words for
        (e.g. underset) are worded here."""
        template = COMPOSER_WORDING.get(finding.code)
        if finding.code in MESSAGES or template is None:
            plain = finding._replace(block="")  # the block has its own column
            words = describe(plain, "zh" if language() == "zh_CN" else "en")
            return words.split(" ", 1)[1] if " " in words else words  # the icon says the level
        return tr(template, **dict(finding.args))

    def _on_clicked(self, item: QTreeWidgetItem) -> None:
        block = item.data(0, BLOCK_ROLE)
        if block and any(b.id == block for b in self.session.document.blocks):
            self.session.select([block])

    def retranslate(self) -> None:
        self.setHeaderLabels([tr("块"), tr("问题")])
        self.refresh()
