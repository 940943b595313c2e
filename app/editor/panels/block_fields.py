"""The inspector's rows beyond geometry: a block's name, text wrap, 平衡分栏, a photo's picture.

Each field applies itself as one undo step through `EditActions`. Photos get their
picture file (替换… relinks or replaces it), credit, placeholder flag, standoff, zoom in
percent of 填满 and the 填满 / 适合 / 全图 buttons; captions and boxes their standoff
(boxes wrap only with a standoff above 0: without one a box is a panel behind its text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.editor.commands import photo as photos
from app.editor.commands.actions import EditActions
from app.editor.commands.copyfit import set_balance
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model.blocks import ArticleBlock, Block, BoxBlock, CaptionBlock, PhotoBlock
from app.model.geometry import frame_rect


class BlockRows:
    def __init__(
        self,
        form: QFormLayout,
        block: Block,
        actions: EditActions,
        report: Callable[[str], None],
        ask_image: Callable[[], Path | None],
    ):
        self.block = block
        self.actions = actions
        self.report = report
        self.ask_image = ask_image
        name = QLineEdit(block.id)
        name.setObjectName("block-name")
        name.editingFinished.connect(
            lambda: self._guard(lambda: actions.rename(block.id, name.text()))
        )
        form.addRow(tr("名称"), name)
        self.name = name
        if isinstance(block, ArticleBlock):
            balance = QCheckBox(tr("平衡分栏"))
            balance.setChecked(block.balance)
            balance.toggled.connect(lambda on: set_balance(actions, on))
            form.addRow("", balance)
        if isinstance(block, PhotoBlock | CaptionBlock | BoxBlock):
            wrap = QDoubleSpinBox()
            wrap.setRange(0, 72)
            wrap.setDecimals(1)
            wrap.setValue(block.wrap)
            wrap.setKeyboardTracking(False)
            wrap.valueChanged.connect(lambda v: self._set(wrap=float(v)))
            form.addRow(tr("绕排距离") + " (pt)", wrap)
        if isinstance(block, PhotoBlock):
            self._photo_rows(form, block)

    def _guard(self, work: Callable[[], None]) -> None:
        try:
            work()
        except PasteupError as error:
            self.report(str(error))

    def _set(self, **changes) -> None:
        current = self.actions.document.block(self.block.id)
        changed = replace(current, **changes)
        if changed != current:
            self.actions.replace_blocks([changed], tr("修改属性"))

    def _photo_rows(self, form: QFormLayout, block: PhotoBlock) -> None:
        picture = QWidget()
        row = QHBoxLayout(picture)
        row.setContentsMargins(0, 0, 0, 0)
        path = QLineEdit(block.image)
        path.setReadOnly(True)
        change = QPushButton(tr("替换…"))
        change.clicked.connect(self._replace_picture)
        row.addWidget(path, 1)
        row.addWidget(change)
        form.addRow(tr("图片文件"), picture)
        credit = QLineEdit(block.credit)
        credit.setObjectName("photo-credit")
        credit.editingFinished.connect(lambda: self._set(credit=credit.text().strip()))
        form.addRow(tr("署名"), credit)
        placeholder = QCheckBox(tr("占位图（非正式图片）"))
        placeholder.setChecked(block.placeholder)
        placeholder.toggled.connect(lambda on: self._set(placeholder=on))
        form.addRow("", placeholder)
        pixels = photos.picture_size(block, self.actions.document.base_dir())
        if pixels is None:
            return
        grid = self.actions.grid
        rect = frame_rect(block.frame, grid)
        zoom = QDoubleSpinBox()
        zoom.setObjectName("photo-zoom")
        zoom.setRange(100, 1000)
        zoom.setSuffix(" %")
        zoom.setValue(100 * photos.zoom_of(block.crop, pixels, rect.w, rect.h))
        zoom.setKeyboardTracking(False)
        zoom.valueChanged.connect(
            lambda v: self._photo(lambda b: photos.filled(b, grid, pixels, v / 100))
        )
        form.addRow(tr("缩放"), zoom)
        buttons = QWidget()
        line = QHBoxLayout(buttons)
        line.setContentsMargins(0, 0, 0, 0)
        for text, make in (
            ("填满", lambda b: photos.filled(b, grid, pixels)),
            ("适合", lambda b: photos.fitted(b, grid, pixels)),
            ("全图", lambda b: replace(b, crop=photos.FULL)),
        ):
            button = QPushButton(tr(text))
            button.clicked.connect(lambda _=False, m=make: self._photo(m))
            line.addWidget(button)
        form.addRow("", buttons)

    def _photo(self, change: Callable[[PhotoBlock], PhotoBlock]) -> None:
        current = self.actions.document.block(self.block.id)
        assert isinstance(current, PhotoBlock)  # these rows are a photo's
        self.actions.replace_blocks([change(current)], tr("图片裁切"))

    def _replace_picture(self) -> None:
        path = self.ask_image()
        if path is None:
            return
        if not Path(path).is_file():
            self.report(f"{path}: 文件不存在 (file not found)")
            return
        self._set(image=self.actions.relative(Path(path)), crop=photos.FULL, placeholder=False)
