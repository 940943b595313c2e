"""The page's paragraph styles (样式), edited in the window: each change is one undo step.

A style is shown as the page uses it (the layout's style with the page's changes); what
is written back is only what differs from the layout (`style_to_data`), so the page file
stays short. Sizes in points or as 号 names; leading in points (0 = the line pitch);
indent and tracking (letter-spacing, negative tightens) in 字 (em); space before/after in
body lines.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from app.editor.commands.undo import SetStyles
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.model import limits
from app.model.styles import ALIGNMENTS, ROLES, ParagraphStyle, style_to_data
from app.model.units import CHINESE_SIZES

NUMBERS = (
    # field, label, low, high, decimals
    ("size", "字号 (pt)", 3.0, 200.0, 2),
    ("leading", "行距 (pt)", 0.0, 300.0, 2),
    ("indent", "首行缩进 (字)", 0.0, 10.0, 1),
    ("tracking", "字距 (字)", *limits.TRACKING_EM, 2),
    ("space_before", "段前 (行)", 0.0, 10.0, 0),
    ("space_after", "段后 (行)", 0.0, 10.0, 0),
)
ALIGN_NAMES = {"justify": "两端对齐", "left": "居左", "center": "居中", "right": "居右",
               "distribute": "撑满"}  # fmt: skip


class StylesPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._loading = False
        self.role = QComboBox()
        self.role.addItems(ROLES)
        self.role.currentIndexChanged.connect(lambda _: self.load())
        self.font_box = QComboBox()
        self.font_box.addItems(sorted(session.document.layout.fonts))
        self.font_box.activated.connect(lambda _: self.apply())
        self.hao = QComboBox()
        self.hao.addItem("—", 0.0)
        for name, size in CHINESE_SIZES.items():
            self.hao.addItem(name, size)
        self.hao.activated.connect(self._on_hao)
        self.align = QComboBox()
        for name in ALIGNMENTS:
            self.align.addItem(tr(ALIGN_NAMES.get(name, name)), name)
        self.align.activated.connect(lambda _: self.apply())
        self.numbers: dict[str, QDoubleSpinBox] = {}
        self.form = QFormLayout()
        outer = QVBoxLayout(self)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.form.addRow(tr("段落角色"), self.role)
        self.form.addRow(tr("字体"), self.font_box)
        self.form.addRow(tr("字号 (号)"), self.hao)
        for key, label, low, high, decimals in NUMBERS:
            spin = QDoubleSpinBox()
            spin.setObjectName(f"style-{key}")
            spin.setRange(low, high)
            spin.setDecimals(decimals)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(lambda _=0.0: self.apply())
            self.numbers[key] = spin
            self.form.addRow(tr(label), spin)
        self.form.addRow(tr("对齐"), self.align)
        session.document_changed.connect(self._on_change)
        self.load()

    def role_style(self) -> ParagraphStyle:
        """The chosen role's paragraph style (named apart from `QWidget.style()`, its QStyle)."""
        return self.session.document.styles[self.role.currentText()]

    def load(self) -> None:
        style = self.role_style()
        self._loading = True
        self.font_box.setCurrentText(style.font)
        for key, spin in self.numbers.items():
            spin.setValue(getattr(style, key))
        index = self.hao.findData(style.size)
        self.hao.setCurrentIndex(max(0, index))
        self.align.setCurrentIndex(max(0, self.align.findData(style.align)))
        self._loading = False

    def _on_change(self, kind: str, _ids: tuple) -> None:
        if kind == "styles":
            self.load()

    def _on_hao(self, index: int) -> None:
        size = self.hao.itemData(index)
        if size:
            self.numbers["size"].setValue(size)

    def edited(self) -> ParagraphStyle:
        number = {key: spin.value() for key, spin in self.numbers.items()}  # all of NUMBERS
        return replace(
            self.role_style(),
            font=self.font_box.currentText(),
            align=self.align.currentData(),
            size=number["size"],
            leading=number["leading"],
            indent=number["indent"],
            tracking=number["tracking"],
            space_before=number["space_before"],
            space_after=number["space_after"],
        )

    def apply(self) -> None:
        if self._loading:
            return
        document = self.session.document
        role = self.role.currentText()
        style = self.edited()
        if style == self.role_style():
            return
        overrides = {k: dict(v) for k, v in document.style_overrides.items()}
        changes = style_to_data(style, document.layout.styles[role])
        if changes:
            overrides[role] = changes
        else:
            overrides.pop(role, None)
        self.session.push(SetStyles(document, overrides, tr("修改样式 {role}", role=role)))

    def retranslate(self) -> None:
        pass
