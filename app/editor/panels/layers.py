"""The block list (图层): every block, topmost first; selecting here selects on the canvas.

Double-clicking a block's row edits its name in place (稿件1 → 头条); `rename` (set by
the window) carries it out as one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from app.editor.document.session import Session
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model.blocks import KIND_NAMES

BLOCK_ROLE = Qt.ItemDataRole.UserRole


class LayersPanel(QListWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._updating = False
        self.rename = None  # (old id, new id) → None, raises PasteupError when refused
        self.problem = None  # shows a refused name
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.itemSelectionChanged.connect(self._on_item_selection)
        self.itemDoubleClicked.connect(self.start_rename)
        self.itemChanged.connect(self._on_item_changed)
        session.document_changed.connect(self._on_document_change)
        session.selection_changed.connect(self._show_selection)
        self.refresh()

    def _on_document_change(self, kind: str, ids: tuple) -> None:
        if kind in ("block", "order"):
            self.refresh()

    def refresh(self) -> None:
        self._updating = True
        self.clear()
        for block in reversed(self.session.document.blocks):
            story = getattr(block, "story", "")
            label = f"{tr(KIND_NAMES.get(block.kind, block.kind))}  {block.id}"
            if story and story != block.id:
                label += f"  ({story})"
            item = QListWidgetItem(label)
            item.setData(BLOCK_ROLE, block.id)
            self.addItem(item)
        self._updating = False
        self._show_selection()

    def start_rename(self, item: QListWidgetItem) -> None:
        self._updating = True
        item.setText(item.data(BLOCK_ROLE))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self._updating = False
        self.editItem(item)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._updating or self.rename is None:
            return
        old, new = item.data(BLOCK_ROLE), item.text().strip()
        try:
            self.rename(old, new)
        except PasteupError as error:
            if self.problem is not None:
                self.problem(str(error))
        if new == old or not any(b.id == new for b in self.session.document.blocks):
            self.refresh()  # unchanged or refused: back to the usual label

    def _show_selection(self) -> None:
        self._updating = True
        chosen = set(self.session.selection)
        for row in range(self.count()):
            item = self.item(row)
            item.setSelected(item.data(BLOCK_ROLE) in chosen)
        self._updating = False

    def _on_item_selection(self) -> None:
        if self._updating:
            return
        self.session.select([item.data(BLOCK_ROLE) for item in self.selectedItems()])

    def retranslate(self) -> None:
        self.refresh()
