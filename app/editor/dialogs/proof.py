"""The 校对 (Proof) menu: import an annotated proof, the round status, sign-off (付印).

The questions these commands ask (which PDF, why rejected, a reply, who signs) are in
`ProofPrompts`; tests hand the window one with scripted answers. Every change goes
through `ProofActions`, so each is one undo step.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from app.editor import settings
from app.editor.i18n import language, tr
from app.errors import PasteupError
from app.model import PageDocument
from app.model.proofing import round_name
from app.proof.rounds import ROUND_NAMES, proof_status

REASONS = ("原文无误", "作者确认", "体例如此", "已另行处理")


def round_label(number: int) -> str:
    """一校, 二校 … 四校 … as `round_name` spells them; English has its own ordinals."""
    if language() != "en":
        return round_name(number)
    if number <= len(ROUND_NAMES):
        return tr(ROUND_NAMES[number - 1])
    return tr("{number}校", number=number)


class ProofPrompts:
    """Small dialogs: each returns None when the user cancels."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def pdf_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent, tr("导入校样批注…"), folder, tr("PDF 文件 (*.pdf)")
        )
        return Path(name) if name else None

    def reason(self, count: int) -> str | None:
        """Why `count` corrections are rejected: a common reason or one typed in."""
        text, ok = QInputDialog.getItem(
            self.parent,
            tr("退回校对意见"),
            tr("退回 {count} 条的理由：", count=count),
            [tr(r) for r in REASONS],
            0,
            True,
        )
        return text if ok else None

    def text(self, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(self.parent, title, label, text=default)
        return text if ok else None

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)


def status_summary(document: PageDocument) -> str:
    """The rounds, each proofreader's open/applied/rejected counts, and what sign-off needs."""
    status = proof_status(document)
    if not status.rounds and not status.counts:
        return tr("尚未出过校样，也没有校对意见。")
    started = {r.number: r.started for r in status.rounds}
    lines = []
    for number in sorted({*started, *(c.round for c in status.counts)}):
        when = started.get(number, "")[:16].replace("T", " ")
        lines.append(f"{round_label(number)}  {when}".rstrip())
        lines.extend(
            "    "
            + tr(
                "{author}：待处理 {open}，已采用 {applied}，已退回 {rejected}",
                author=c.author or tr("（未署名）"),
                open=c.open,
                applied=c.applied,
                rejected=c.rejected,
            )
            for c in status.counts
            if c.round == number
        )
    lines.append(tr("待处理共 {open} 条，其中未定位 {unpinned} 条", open=status.open,
                    unpinned=status.unpinned_open))  # fmt: skip
    if status.changed_since_last_round:
        last = round_label(status.rounds[-1].number)
        lines.append(tr("{round}后版面已改动，付印前须再出校样核红", round=last))
    signed = status.signed_off
    if signed is None:
        lines.append(tr("未签发付印"))
    else:
        lines.append(tr("已签发付印：{by}，{at}（{round}）", by=signed.by,
                        at=signed.at[:16].replace("T", " "), round=round_label(signed.round)))  # fmt: skip
    return "\n".join(lines)


def one_line(error: Exception) -> str:
    return " ".join(str(error).split())


# -- the menu's commands -------------------------------------------------------------------------
def import_proof_pdf(window) -> None:
    path = window.proof_prompts.pdf_path(settings.get(settings.LAST_FOLDER))
    if path is None:
        return
    try:
        report = window.proof_actions.import_pdf(path)
    except PasteupError as error:
        window.prompts.error("无法导入校样批注", one_line(error))
        return
    window.show_corrections()
    summary = tr("导入 {count} 条校对意见（新增 {added}，更新 {updated}）",
                 count=len(report.corrections), added=report.added,
                 updated=report.updated)  # fmt: skip
    if report.older_version:
        summary += tr("；这是旧版本的校样，已按文字重新定位")
    window.status.flash(summary)
    if report.problems:
        details = [
            f"{tr('第 {page} 页', page=p.page)} {p.where}: {p.message}" for p in report.problems
        ]
        window.proof_prompts.info(
            tr("导入校样批注…"),
            tr("{count} 条批注格式有误，已跳过：", count=len(report.problems))
            + "\n"
            + "\n".join(details),
        )


def show_proof_status(window) -> None:
    window.proof_prompts.info(tr("校次状态"), status_summary(window.session.document))


def sign_off_page(window) -> None:
    by = window.proof_prompts.text(tr("签发付印"), tr("签发人："), getpass.getuser())
    if by is None:
        return
    try:
        signed = window.proof_actions.sign_off(by.strip())
    except PasteupError as error:
        window.prompts.error("无法付印", one_line(error))
        return
    window.status.flash(
        tr("已签发付印：{by}，{at}（{round}）", by=signed.by,
           at=signed.at[:16].replace("T", " "), round=round_label(signed.round))
    )  # fmt: skip
