"""Print PDF, proof PDF and preflight from the window, off the UI thread with progress.

The work runs in a worker thread on the immutable `PageLayout`; a busy dialog
appears only if it takes longer than half a second. The print export runs the same
pre-print check and publish code as `pasteup export`: findings no override can pass
refuse it, and preflight errors need the same explicit yes the CLI's --force gives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from app import publish
from app.compose.layout import Finding, PageLayout
from app.editor.i18n import language, tr
from app.errors import PasteupError
from app.export.preflight import describe
from app.model import PageDocument

T = TypeVar("T")
SHOW_AFTER_MS = 500


def run_with_progress(parent: QWidget | None, label: str, work: Callable[[], T]) -> T:
    """Run `work` in a thread while the UI stays live; show a busy dialog after 0.5 s."""
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = work()
        except BaseException as error:  # handed back to the UI thread below
            result["error"] = error

    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    loop = QEventLoop()
    thread = threading.Thread(target=target, daemon=True)
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    thread.start()
    poll.start()
    loop.exec()
    poll.stop()
    dialog.close()
    dialog.deleteLater()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]  # type: ignore[return-value]


def word_list() -> tuple:
    """The word list chosen under 校对 → 词表… (none when unset)."""
    from app.editor import settings
    from app.export.wordlist import read_word_list

    path = settings.get(settings.WORD_LIST)
    return read_word_list(Path(path)) if path else ()


def export_print(window, document: PageDocument, layout: PageLayout, choice) -> bool:
    """Check, then write the print PDF as `choice` (a `PrintChoice`) says; False when the
    check refused or the user declined the override."""
    words = word_list()
    findings = run_with_progress(
        window,
        tr("正在预检…"),
        lambda: publish.print_check(document, layout, choice.profile, words),
    )
    window.preflight.set_preflight(findings)
    lang = "zh" if language() == "zh_CN" else "en"
    blocked = publish.unusable(findings)
    if blocked:
        window.prompts.error("无法输出", describe(blocked[0], lang))
        return False
    errors = [describe(f, lang) for f in findings if f.severity == "error"]
    if errors and not window.prompts.override_preflight(errors):
        window.status.flash(tr("预检有错误，未输出"))
        return False
    run_with_progress(
        window,
        tr("正在导出…"),
        lambda: publish.export_print(
            document,
            layout,
            choice.path,
            pdfx=choice.pdfx,
            profile=choice.profile,
            marks=choice.marks,
        ),
    )
    return True


def export_proof(window, document: PageDocument, layout: PageLayout, path: Path) -> None:
    """The proof is written off the UI thread by the same publish code as `pasteup export
    --proof`; its round is then recorded as one undo step."""

    was_saved = not window.session.modified and document.path is not None
    run_with_progress(window, tr("正在导出…"), lambda: publish.write_proof(document, layout, path))
    window.proof_actions.record_round(layout)
    if was_saved:  # as `pasteup export --proof` does: the round is kept with the page
        window.session.save()


def run_preflight(parent, document: PageDocument, layout: PageLayout) -> tuple[Finding, ...]:
    words = word_list()
    return run_with_progress(
        parent, tr("正在预检…"), lambda: publish.print_check(document, layout, None, words)
    )


# -- the window's menu commands ------------------------------------------------------------------
def _ready_layout(window) -> PageLayout | None:
    layout = window.session.layout
    if layout is None or window.session.compose_error:
        window.prompts.error(
            "出错", window.session.compose_error or tr("排版出错：{message}", message="—")
        )
        return None
    return layout


def _pdf_target(window, suffix: str, title: str) -> Path | None:
    page = window.session.document.path
    suggestion = str(page.with_name(page.stem + suffix)) if page else "page" + suffix
    return window.prompts.save_path(suggestion, "PDF 文件 (*.pdf)", title)


def choose_word_list(window) -> None:
    """校对 → 词表…: the newsroom's list of banned and confused words, kept as a setting."""
    from app.editor import settings
    from app.export.wordlist import read_word_list

    path = window.prompts.word_list_path(settings.get(settings.LAST_FOLDER))
    if path is None:
        return
    try:
        entries = read_word_list(path)
    except PasteupError as error:
        window.prompts.error("出错", str(error))
        return
    settings.put(settings.WORD_LIST, str(Path(path).resolve()))
    window.status.flash(tr("词表 {count} 条，预检时检查", count=len(entries)))


def export_print_pdf(window) -> None:
    layout = _ready_layout(window)
    if layout is None:
        return
    page = window.session.document.path
    choice = window.prompts.print_export(str(page.with_suffix(".pdf")) if page else "page.pdf")
    if choice is None:
        return
    try:
        written = export_print(window, window.session.document, layout, choice)
    except PasteupError as error:
        window.prompts.error("出错", str(error))
        return
    if written:
        window.status.flash(tr("已导出 {path}", path=choice.path))


def export_proof_pdf(window) -> None:
    _export(window, "-proof.pdf", "导出校样 PDF…", export_proof)


def _export(
    window,
    suffix: str,
    title: str,
    write: Callable[[QWidget, PageDocument, PageLayout, Path], bool | None],
) -> None:
    layout = _ready_layout(window)
    if layout is None:
        return
    path = _pdf_target(window, suffix, title)
    if path is None:
        return
    try:
        written = write(window, window.session.document, layout, path)
    except PasteupError as error:
        window.prompts.error("出错", str(error))
        return
    if written is not False:
        window.status.flash(tr("已导出 {path}", path=path))


def run_preflight_command(window) -> tuple[Finding, ...]:
    layout = _ready_layout(window)
    if layout is None:
        return ()
    try:
        findings = run_preflight(window, window.session.document, layout)
    except PasteupError as error:
        window.prompts.error("出错", str(error))
        return ()
    window.preflight.set_preflight(findings)
    window.docks["preflight"].raise_()
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    window.status.flash(
        tr("预检：{errors} 个错误，{warnings} 个警告", errors=errors, warnings=warnings)
    )
    return findings
