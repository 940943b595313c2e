"""Print PDF, proof PDF and preflight from the window, off the UI thread with progress.

The work runs in a worker thread on the immutable `PageLayout`; a busy dialog
appears only if it takes longer than half a second.
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
from app.editor.i18n import tr
from app.errors import PasteupError
from app.export.output import write_atomically
from app.export.preflight import PreflightOptions, preflight
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


def export_print(parent, document: PageDocument, layout: PageLayout, path: Path) -> None:
    run_with_progress(parent, tr("正在导出…"), lambda: publish.export_print(document, layout, path))


def export_proof(window, document: PageDocument, layout: PageLayout, path: Path) -> None:
    """The proof is made off the UI thread; its round is then recorded as one undo step."""

    def write() -> None:
        pdf = publish.proof_pdf(document, layout, publish.ProofSettings(), str(path))
        write_atomically(path, pdf)

    run_with_progress(window, tr("正在导出…"), write)
    window.proof_actions.record_round(layout)


def run_preflight(parent, document: PageDocument, layout: PageLayout) -> tuple[Finding, ...]:
    options = PreflightOptions(ink_limit=document.layout.max_ink)
    return run_with_progress(parent, tr("正在预检…"), lambda: preflight(layout, options))


# -- the window's menu commands ------------------------------------------------------------------
def _ready_layout(window) -> PageLayout | None:
    layout = window.session.layout
    if layout is None or window.session.compose_error:
        window.prompts.error(
            "出错", window.session.compose_error or tr("排版出错：{message}", message="—")
        )
        return None
    return layout


def _pdf_target(window, suffix: str) -> Path | None:
    page = window.session.document.path
    suggestion = str(page.with_name(page.stem + suffix)) if page else "page" + suffix
    return window.prompts.save_path(suggestion, "PDF 文件 (*.pdf)")


def export_print_pdf(window) -> None:
    _export(window, ".pdf", export_print)


def export_proof_pdf(window) -> None:
    _export(window, "-proof.pdf", export_proof)


def _export(
    window, suffix: str, write: Callable[[QWidget, PageDocument, PageLayout, Path], None]
) -> None:
    layout = _ready_layout(window)
    path = _pdf_target(window, suffix) if layout else None
    if path is None:
        return
    try:
        write(window, window.session.document, layout, path)
    except PasteupError as error:
        window.prompts.error("出错", str(error))
        return
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
