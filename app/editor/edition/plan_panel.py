"""The plan panel (版面计划): the edition's pages in order, to add, move and remove pages.

Plan changes are not steps on a page's undo stack: they renumber the whole edition. They mark
the edition modified and are saved with it; removing a page that a story jumps to or from is
refused with the reason, never silently.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.editor.edition.workspace import EditionWorkspace
from app.editor.i18n import tr
from app.errors import PasteupError


class PlanPanel(QWidget):
    problem = Signal(str)

    def __init__(self, workspace: EditionWorkspace, prompts):
        super().__init__()
        self.workspace = workspace
        self.prompts = prompts  # () -> what asks page_name() and ad_booking()
        self.list = QListWidget(self)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, slot in (
            ("up", lambda: self._move(-1)),
            ("down", lambda: self._move(+1)),
            ("add", self._add),
            ("remove", self._remove),
            ("ad", self._book_ad),
        ):
            button = QPushButton(self)
            button.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[name] = button
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        workspace.plan_changed.connect(self.refresh)
        workspace.page_switched.connect(lambda _: self.refresh())
        self.refresh()
        self.retranslate()

    def retranslate(self) -> None:
        for name, text in (
            ("up", "上移"),
            ("down", "下移"),
            ("add", "加版"),
            ("remove", "撤版"),
            ("ad", "订广告…"),
        ):
            self.buttons[name].setText(tr(text))
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for page in self.workspace.edition.pages:
            colour = tr("彩") if page.color else tr("黑")
            self.list.addItem(f"{page.label} {page.name} · {colour} · {tr(page.stage)}")
            self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, page.id)
        ids = [p.id for p in self.workspace.edition.pages]
        self.list.setCurrentRow(ids.index(self.workspace.current))

    def selected(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else self.workspace.current

    def _move(self, step: int) -> None:
        ids = [p.id for p in self.workspace.edition.pages]
        page_id = self.selected()
        to = ids.index(page_id) + 1 + step
        if 1 <= to <= len(ids):
            self._try(lambda: self.workspace.move_page(page_id, to))
            self.list.setCurrentRow(to - 1)

    def _add(self) -> None:
        name = self.prompts().page_name()
        if name is not None:
            at = [p.id for p in self.workspace.edition.pages].index(self.selected()) + 2
            self._try(lambda: self.workspace.add_page(name, at))

    def _book_ad(self) -> None:
        """An ad slot on the selected page: its file, size and place, and the advertiser."""
        booking = self.prompts().ad_booking()
        if booking is not None:
            file, size, at, advertiser = booking
            self._try(lambda: self.workspace.book_ad(self.selected(), file, size, at, advertiser))

    def _remove(self) -> None:
        self._try(lambda: self.workspace.remove_page(self.selected()))

    def _try(self, change) -> None:
        try:
            change()
        except PasteupError as error:
            self.problem.emit(str(error))
        except OSError as error:  # an ad file that cannot be copied
            self.problem.emit(f"{error.filename}: {error.strerror}")
