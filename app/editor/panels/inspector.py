"""The inspector: the selected block's geometry, in columns/lines or in millimetres.

Grid frames are edited as column, span, line and depth (1-based, as layout staff
count); switching to millimetres edits any frame as x, y, width and height and
turns it into a free frame. Every change is one undo step.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.editor.commands.actions import EditActions
from app.editor.commands.editing import with_frames
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.editor.panels.block_fields import BlockRows
from app.editor.panels.page_inspector import PageRows
from app.model.blocks import (
    KIND_NAMES,
    ArticleBlock,
    Block,
    Frame,
    FreeFrame,
    GridFrame,
    RuleBlock,
    TextBlock,
    block_frames,
)
from app.model.geometry import frame_rect
from app.model.units import mm_to_pt, pt_to_mm

UNITS = ("grid", "mm")


class Inspector(QWidget):
    problem = Signal(str)

    def __init__(self, session: Session, edit: EditActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.edit = edit
        self.units = "grid"
        self.ask_image = lambda: None  # the window asks the user for a picture
        self.block_rows: BlockRows | None = None
        self._fields: dict[str, QSpinBox | QDoubleSpinBox] = {}
        self.form = QFormLayout()
        outer = QVBoxLayout(self)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.timeout.connect(self.rebuild)
        session.selection_changed.connect(self._rebuild_timer.start)
        session.document_changed.connect(self._on_document_change)
        self.rebuild()

    def _on_document_change(self, kind: str, ids: tuple) -> None:
        # Deferred: the field whose signal made the change must outlive its own signal.
        selected = set(self.session.selection)
        if kind in ("meta", "block") and (not selected or selected & set(ids)):
            self._rebuild_timer.start()

    def block(self) -> Block | None:
        blocks = self.session.selected_blocks()
        return blocks[0] if len(blocks) == 1 else None

    def rebuild(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._fields = {}
        block = self.block()
        self.page_rows = None
        if block is None:
            count = len(self.session.selection)
            if count:
                self.form.addRow(QLabel(tr("选中 {count} 个块", count=count)))
            else:  # nothing selected: the page itself
                self.page_rows = PageRows(self.form, self.session, self.problem.emit)
            return
        self.form.addRow(tr("类型"), QLabel(tr(KIND_NAMES.get(block.kind, block.kind))))
        self.block_rows = BlockRows(
            self.form, block, self.edit, self.problem.emit, lambda: self.ask_image()
        )
        if isinstance(block, RuleBlock):
            self._rule_rows(block)
            return
        frames = block_frames(block)
        if not frames:
            return
        units = QComboBox()
        units.addItems([tr("栏/行"), tr("毫米")])
        units.setCurrentIndex(UNITS.index(self.units))
        units.currentIndexChanged.connect(self._on_units)
        self.form.addRow(tr("单位"), units)
        index = min(self.session.active_frame, len(frames) - 1)
        if len(frames) > 1:
            chooser = self._spin("frame", index + 1, 1, len(frames))
            chooser.valueChanged.connect(
                lambda v: self.session.select(self.session.selection, v - 1)
            )
            self.form.addRow(tr("文框 {n}", n=""), chooser)
        frame = frames[index]
        grid = self.session.document.layout.grid
        if self.units == "grid" and isinstance(frame, GridFrame):
            self._row(tr("栏"), self._spin("col", frame.col + 1, 1, grid.columns))
            self._row(tr("跨栏"), self._spin("span", frame.span, 1, grid.columns))
            self._row(tr("行"), self._spin("line", frame.line + 1, 1, grid.lines))
            self._row(tr("行数"), self._spin("depth", frame.depth, 1, grid.lines))
            if isinstance(block, ArticleBlock | TextBlock):  # columns of text inside the frame
                self._row(tr("文内分栏"), self._spin("columns", frame.columns, 0, grid.columns))
        else:
            rect = frame_rect(frame, grid)
            for key, label, value in (
                ("x", "左", rect.x),
                ("y", "上", rect.y),
                ("w", "宽", rect.w),
                ("h", "高", rect.h),
            ):
                self._row(tr(label) + f" ({tr('毫米')})", self._mm(key, value))
        if isinstance(block, ArticleBlock):
            self._row(tr("标题占行"), self._spin("head_lines", block.head_lines, 0, grid.lines))

    def _row(self, label: str, field: QWidget) -> None:
        self.form.addRow(label, field)

    def _spin(self, key: str, value: int, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setKeyboardTracking(False)
        if key != "frame":
            spin.editingFinished.connect(self.apply)
        self._fields[key] = spin
        return spin

    def _mm(self, key: str, value_pt: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-1000, 2000)
        spin.setDecimals(2)
        spin.setValue(pt_to_mm(value_pt))
        spin.setKeyboardTracking(False)
        spin.editingFinished.connect(self.apply)
        self._fields[key] = spin
        return spin

    def _rule_rows(self, rule: RuleBlock) -> None:
        for key in ("x0", "y0", "x1", "y1"):
            self._row(f"{key} ({tr('毫米')})", self._mm(key, getattr(rule, key)))
        weight = QDoubleSpinBox()
        weight.setRange(0.05, 20)
        weight.setValue(rule.weight)
        weight.editingFinished.connect(self.apply)
        self._fields["weight"] = weight
        self._row(tr("粗细") + " (pt)", weight)

    def _on_units(self, index: int) -> None:
        self.units = UNITS[index]
        self.rebuild()

    def edited_block(self) -> Block | None:
        """The selected block as the fields now describe it."""
        block = self.block()
        if block is None:
            return None
        # Counts (columns, lines) in the QSpinBoxes; millimetres and points in the others.
        count = {k: f.value() for k, f in self._fields.items() if isinstance(f, QSpinBox)}
        real = {k: f.value() for k, f in self._fields.items() if isinstance(f, QDoubleSpinBox)}
        if isinstance(block, RuleBlock):
            return replace(
                block,
                weight=real["weight"],
                x0=mm_to_pt(real["x0"]),
                y0=mm_to_pt(real["y0"]),
                x1=mm_to_pt(real["x1"]),
                y1=mm_to_pt(real["y1"]),
            )
        frames = block_frames(block)
        index = min(self.session.active_frame, len(frames) - 1)
        grid = self.session.document.layout.grid
        frame: Frame
        if "col" in count:
            span = min(count["span"], grid.columns - count["col"] + 1)
            depth = min(count["depth"], grid.lines - count["line"] + 1)
            columns = count.get("columns", frames[index].columns)
            frame = GridFrame(count["col"] - 1, span, count["line"] - 1, depth, columns)
        else:
            x, y, w, h = (mm_to_pt(real[k]) for k in "xywh")
            frame = FreeFrame(x, y, w, h, columns=max(1, frames[index].columns))
        block = with_frames(block, (*frames[:index], frame, *frames[index + 1 :]))
        if isinstance(block, ArticleBlock) and "head_lines" in count:
            block = replace(block, head_lines=count["head_lines"])
        return block

    def apply(self) -> None:
        block = self.edited_block()
        if block is not None and block != self.block():
            self.edit.replace_blocks([block], tr("修改属性"))

    def retranslate(self) -> None:
        self.rebuild()
