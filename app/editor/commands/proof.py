"""Proofing decisions as undoable edits: `app.proof` does the work, a `ProofEdit` remembers it.

Each action runs the Qt-free proofing core once, inside one composition batch (so the
page re-composes once), then pushes a command holding the stories and proof state from
before and after. Nothing is pushed when nothing changed (e.g. every accept failed),
and an action that raises leaves the document as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app.compose.layout import PageLayout
from app.editor.commands.undo import ProofEdit, ProofSnapshot
from app.editor.document.session import Session
from app.editor.i18n import tr
from app.model import PageDocument
from app.model.proofing import Correction, ProofRound, SignOff
from app.proof import corrections
from app.proof.corrections import Outcome
from app.proof.importer import ImportReport, import_proof
from app.proof.rounds import sign_off, start_round

T = TypeVar("T")


class ProofActions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def accept(self, ids: list[str], by: str = "") -> Outcome:
        return self._edit("采用校对意见", lambda d: corrections.accept(d, ids, by=by))

    def accept_all_open(self, by: str = "") -> Outcome:
        return self._edit(
            "采用全部待处理意见",
            lambda d: corrections.accept(d, corrections.open_ids(d), by=by),
        )

    def reject(self, ids: list[str], why: str, by: str = "") -> Outcome:
        return self._edit("退回校对意见", lambda d: corrections.reject(d, ids, why, by=by))

    def reply(self, correction_id: str, text: str, by: str = "") -> Correction:
        return self._edit(
            "回复校对意见", lambda d: corrections.reply(d, correction_id, text, by=by)
        )

    def import_pdf(self, path: Path) -> ImportReport:
        return self._edit("导入校样批注", lambda d: import_proof(d, Path(path), Path(path).name))

    def record_round(self, layout: PageLayout) -> ProofRound:
        """A proof was sent out: the next round (一校, 二校 …) starts, undoably."""
        return self._edit("导出校样", lambda d: start_round(d, layout))

    def sign_off(self, by: str) -> SignOff:
        return self._edit("签发付印", lambda d: sign_off(d, by, layout=self.session.layout))

    def _edit(self, text: str, work: Callable[[PageDocument], T]) -> T:
        document = self.session.document
        with self.session.batch():
            before = ProofSnapshot.of(document)
            try:
                result = work(document)
            except BaseException:
                before.restore(document)
                raise
            after = ProofSnapshot.of(document)
            if after.differs_from(before):
                self.session.push(ProofEdit(document, tr(text), before, after))
        return result
