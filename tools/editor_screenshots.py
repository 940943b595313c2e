"""Draw the editor figures of docs/editor.md offscreen: new page, placing, cropping, typing.

The window is driven as a user would (its own actions and events) on a tabloid page made
from nothing with the sample's stories; each figure is a grab of real widgets. Run:
`QT_QPA_PLATFORM=offscreen .venv/bin/python tools/editor_screenshots.py`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import docx
from PySide6.QtCore import QDate, QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QInputMethodEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox

from app.compose.layout import to_pt
from app.editor import settings
from app.model.geometry import frame_rect

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "assets" / "samples" / "news-page"
DOCS = ROOT / "docs"


class Answers:
    """The window's questions answered from a script (as the tests do)."""

    def __init__(self):
        self.paths: list[Path] = []
        self.pages: list = []
        self.reports: list[str] = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: None

    def manuscript_path(self, folder):
        return self.paths.pop(0)

    def new_page(self, folder):
        return self.pages.pop(0)

    def report(self, title, message):
        self.reports.append(message)


def _mouse(widget, kind, pos: QPointF, buttons=Qt.MouseButton.LeftButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, pos, QPointF(widget.mapToGlobal(pos.toPoint())), button, buttons,
                        Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(widget, event)


def _double_click(widget, pos: QPointF) -> None:
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                 QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):  # fmt: skip
        _mouse(widget, kind, pos)


def _settle(app) -> None:
    """Let deferred work run (panels rebuild on a timer, new rows show on the next turn)."""
    for _ in range(5):
        app.processEvents()


def _manuscripts(folder: Path) -> tuple[Path, Path]:
    story = (SAMPLE / "stories" / "xiyun.txt").read_text(encoding="utf-8")
    gb = folder / "戏韵.txt"
    gb.write_bytes(story.encode("gb18030"))
    word = docx.Document()
    lines = [
        line
        for line in (SAMPLE / "stories" / "renda.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("%%")
    ]
    for line in lines:
        if line.startswith("【主题】"):
            word.add_paragraph(line[4:], style="Title")
        elif line.startswith("【"):
            word.add_paragraph(line.split("】", 1)[1])
        else:
            word.add_paragraph(line)
    path = folder / "人大.docx"
    word.save(path)
    return gb, path


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="pasteup-figures-"))
    settings.use_settings_dir(folder)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from app.editor.dialogs.new_page import NewPageDialog
    from app.editor.window.qt_translations import install_qt_translations

    install_qt_translations("zh_CN")
    from app.editor.window.main_window import MainWindow

    # the new-page dialog, filled in
    dialog = NewPageDialog(None)
    dialog.source.setCurrentIndex(dialog.source.findData("tabloid-6col"))
    dialog.paper.setText("晋中日报")
    dialog.date.setDate(QDate(2026, 3, 1))
    dialog.edition.setText("5")
    dialog.page_name.setText("文化")
    dialog.adjustSize()
    dialog.grab().save(str(DOCS / "screenshot-new-page.png"))
    choice = dialog.choice()
    dialog.deleteLater()

    answers = Answers()
    window = MainWindow(prompts=answers)
    window.resize(1500, 1000)
    window.show()
    _settle(app)
    answers.pages.append(choice)
    window.actions_by_name["new"].trigger()
    gb, word = _manuscripts(folder)
    answers.paths.append(gb)
    window.actions_by_name["place"].trigger()
    window.actions_by_name["fit_to_text"].trigger()
    window.session.select([])
    answers.paths.append(word)
    window.actions_by_name["place"].trigger()
    second = window.session.selection[0]
    window.inspector.rebuild()
    window.inspector._fields["span"].setValue(4)
    window.inspector.apply()
    window.session.select([])
    photo_file = folder / "photo.jpg"
    shutil.copy(SAMPLE / "photo-placeholder.jpg", photo_file)
    answers.paths.append(photo_file)
    window.actions_by_name["place"].trigger()
    photo = window.session.selection[0]
    _settle(app)

    # placing: the window with the import report over it
    image = window.grab().toImage()
    box = QMessageBox(QMessageBox.Icon.Information, "置入稿件", f"{word.name}\n{answers.reports[-1]}",
                      QMessageBox.StandardButton.Ok, window)  # fmt: skip
    box.adjustSize()
    report = box.grab().toImage()
    painter = QPainter(image)
    painter.drawImage(
        (image.width() - report.width()) // 2, (image.height() - report.height()) // 3, report
    )
    painter.end()
    image.save(str(DOCS / "screenshot-place.png"))
    box.deleteLater()

    # cropping: double-click the photo, zoom the picture, drag it inside its frame
    canvas = window.canvas
    grid = canvas.grid
    rect = frame_rect(window.session.document.block(photo).frame, grid)
    canvas.set_scale(canvas.scale * 2.2, canvas.view().point(rect.x, rect.y))
    _settle(app)
    centre = canvas.view().point(rect.x + rect.w / 2, rect.y + rect.h / 2)
    _double_click(canvas.viewport(), centre)
    canvas.tool.wheel(4)
    _mouse(canvas.viewport(), QEvent.Type.MouseButtonPress, centre)
    _mouse(canvas.viewport(), QEvent.Type.MouseMove, centre + QPointF(40, 20))
    _mouse(canvas.viewport(), QEvent.Type.MouseButtonRelease, centre + QPointF(40, 20))
    _settle(app)
    window.grab().save(str(DOCS / "screenshot-crop.png"))
    canvas.set_tool("select")

    # in-place typing, with an input method composing 居民
    lines = [line for line in window.session.layout.lines if line.block == second]
    line = lines[len(lines) // 3]
    left, right = line.char_x[4]
    point = canvas.view().point(to_pt(left + right) / 2, to_pt(line.top + line.bottom) / 2)
    _double_click(canvas.viewport(), point)
    commit = QInputMethodEvent("", [])
    commit.setCommitString("（本报讯）")
    QApplication.sendEvent(canvas, commit)
    QApplication.sendEvent(canvas, QInputMethodEvent("juming", []))
    _settle(app)
    image: QImage = canvas.viewport().grab().toImage()
    caret = canvas.typing.caret_rect(canvas.view()).toAlignedRect()
    left = min(max(0, caret.x() - 420), max(0, image.width() - 840))
    top = min(max(0, caret.y() - 220), max(0, image.height() - 440))
    crop = image.copy(left, top, min(840, image.width()), min(440, image.height()))
    crop.save(str(DOCS / "screenshot-inplace.png"))
    window.session.undo_stack.setClean()
    window.close()
    settings.use_settings_dir(None)
    shutil.rmtree(folder, ignore_errors=True)
    print("wrote docs/screenshot-{new-page,place,crop,inplace}.png")


if __name__ == "__main__":
    main()
