"""文件 → 新建, 置入稿件, 存为版式模板: making a page and filling it, from the window.

The pages come from `app.model.newpage` and the placing from `app.model.place`, the same
code as `pasteup new` and `pasteup place`.
"""

from __future__ import annotations

from pathlib import Path

from app.editor import settings
from app.editor.commands.placing import place_file
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.errors import PasteupError
from app.model import load_layout, read_document, save_document
from app.model.newpage import as_template, from_template, new_page


def new_page_command(window) -> None:
    """Ask for the grid or template and the metadata; the new page replaces the open one."""
    if not window.maybe_save():
        return
    choice = window.prompts.new_page(settings.get(settings.LAST_FOLDER))
    if choice is None:
        return
    try:
        if choice.template is not None:
            document = from_template(read_document(choice.template), choice.meta)
        else:
            document = new_page(load_layout(choice.layout), choice.meta, choice.running_head)
    except PasteupError as error:
        window.prompts.error("无法新建", str(error))
        return
    window.install_session(Session(document, window.compose))
    window.status.flash(tr("新建版面：{layout}", layout=document.layout.title))


def place_command(window, path: Path | None = None) -> None:
    """置入稿件: into the selected text block, or a new article (a picture: a new photo)."""
    if path is None:
        path = window.prompts.manuscript_path(settings.get(settings.LAST_FOLDER))
    if path is None:
        return
    try:
        manuscript = place_file(window.edit, Path(path))
    except PasteupError as error:
        window.prompts.error("无法置入", str(error))
        return
    settings.put(settings.LAST_FOLDER, str(Path(path).resolve().parent))
    if manuscript is not None:
        report = manuscript.report()
        window.status.flash(report)
        window.prompts.report("置入稿件", f"{Path(path).name}\n{report}")


def save_template_command(window) -> None:
    """Save the page's grid, styles and fixed blocks as a 版式模板 for later pages."""
    page = window.session.document.path
    suggestion = str(page.with_name(page.stem + "-模板.json")) if page else "模板.json"
    path = window.prompts.save_path(suggestion, "版面文件 (*.json)", "存为版式模板…")
    if path is None:
        return
    try:
        save_document(as_template(window.session.document), path)
    except PasteupError as error:
        window.prompts.error("无法保存", str(error))
        return
    window.status.flash(tr("已存为版式模板 {path}", path=path))
