"""The status bar: zoom, the cursor in mm and in grid column/line, the selection."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.editor.canvas.page_canvas import PageCanvas
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.model.units import pt_to_mm

FLASH_MS = 4000


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zoom = QLabel()
        self.position = QLabel()  # the pointer's place on the page (not QWidget.cursor())
        self.selection = QLabel()
        for label in (self.selection, self.position, self.zoom):
            self.addPermanentWidget(label)
        self.session: Session | None = None  # both set by `attach`, before any signal comes
        self.canvas: PageCanvas | None = None

    def attach(self, session: Session, canvas: PageCanvas) -> None:
        self.session, self.canvas = session, canvas
        canvas.zoom_changed.connect(lambda _: self.show_zoom())
        canvas.cursor_moved.connect(self.show_cursor)
        session.selection_changed.connect(self.show_selection)
        self.retranslate()

    def flash(self, message: str) -> None:
        self.showMessage(message, FLASH_MS)

    def show_zoom(self) -> None:
        if self.canvas is not None:
            dpi_scale = self.canvas.logicalDpiX() / 72.0
            self.zoom.setText(
                tr("缩放 {percent}%", percent=round(self.canvas.scale / dpi_scale * 100))
            )

    def show_cursor(self, x: float, y: float) -> None:
        assert self.session is not None
        grid = self.session.document.layout.grid
        where = tr("X {x}  Y {y} 毫米", x=f"{pt_to_mm(x):.1f}", y=f"{pt_to_mm(y):.1f}")
        col, line = grid.column_at(x), grid.line_at(y)
        if 0 <= col < grid.columns and 0 <= line < grid.lines:
            where += "  " + tr("第 {col} 栏 第 {line} 行", col=int(col) + 1, line=int(line) + 1)
        else:
            where += "  " + tr("版心外")
        self.position.setText(where)

    def show_selection(self) -> None:
        assert self.session is not None
        ids = self.session.selection
        if not ids:
            self.selection.setText(tr("未选中"))
        elif len(ids) == 1:
            self.selection.setText(tr("选中 {block}", block=ids[0]))
        else:
            self.selection.setText(tr("选中 {count} 个块", count=len(ids)))

    def retranslate(self) -> None:
        self.show_zoom()
        self.show_selection()
