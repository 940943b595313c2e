"""The window's questions answered by script, for tests: a module of its own so that test files
import it by a name no other test folder uses (a `from conftest import` finds whichever
conftest was imported first when several test folders run together)."""

from __future__ import annotations

from pathlib import Path


class FixedPrompts:
    """The window's questions with scripted answers; records what was asked."""

    def __init__(self, save: str = "discard", recover: bool = True, override: bool = False):
        self.answers = {"save": save, "recover": recover, "override": override}
        self.new_pages: list = []  # NewPageChoice answers
        self.reports: list[str] = []
        self.asked: list[str] = []
        self.paths: list[Path] = []
        self.errors: list[str] = []

    def save_changes(self, name: str) -> str:
        self.asked.append("save")
        return self.answers["save"]

    def recover(self, name: str, time: str) -> bool:
        self.asked.append("recover")
        return self.answers["recover"]

    def history(self, records: list, history):
        """The real dialog, not shown: its rows recorded, the version in answers["restore"]
        chosen (None: cancelled)."""
        from app.editor.dialogs.history import HistoryDialog

        dialog = HistoryDialog(records, history)
        rows = dialog.versions
        self.history_rows = [
            [rows.topLevelItem(i).text(c) for c in range(4)]
            for i in range(rows.topLevelItemCount())
        ]
        wanted = self.answers.get("restore")
        for i in range(rows.topLevelItemCount()):
            if rows.topLevelItem(i).text(0) == str(wanted):
                rows.setCurrentItem(rows.topLevelItem(i))
        choice = dialog.choice() if dialog.restore.isEnabled() else None
        dialog.deleteLater()
        return choice

    def save_conflict(self, message: str) -> str:
        """A lost save race: answers["conflict"] ("copy", "reapply", "cancel"; cancel unless
        told)."""
        self.asked.append(f"conflict: {message}")
        return self.answers.get("conflict", "cancel")

    def reload_edition(self, records: str) -> bool:
        self.asked.append(f"reload: {records}")
        return self.answers.get("reload", False)

    def take_over(self, page: str, holder: str, since: str) -> bool:
        self.asked.append(f"take over {page} from {holder} since {since}")
        return self.answers.get("takeover", False)

    def open_path(self, folder: str) -> Path | None:
        return self.paths.pop(0) if self.paths else None

    def image_path(self, folder: str) -> Path | None:
        return self.paths.pop(0) if self.paths else None

    def save_path(self, suggestion: str, pattern: str, title: str = "") -> Path | None:
        return self.paths.pop(0) if self.paths else None

    def word_list_path(self, folder: str) -> Path | None:
        return self.paths.pop(0) if self.paths else None

    def print_export(self, suggestion: str):
        from app.editor.dialogs.export_options import PrintChoice

        return PrintChoice(self.paths.pop(0)) if self.paths else None

    def proof_export(self, suggestion: str, round_label: str):
        """The real dialog, not shown, filled as answers["proof"] says ({"watermark": …,
        "answers": …, "profile": …}) and accepted; None when no path is queued."""
        from app.editor.dialogs.export_options import ProofExportDialog

        if not self.paths:
            return None
        dialog = ProofExportDialog(None, str(self.paths.pop(0)), round_label)
        wanted = self.answers.get("proof", {})
        self.proof_dialog = {  # what the dialog showed before the answers went in
            "round": dialog.round.text(),
            "watermark": dialog.watermark_text(),
            "answers": dialog.answers.isChecked(),
            "profile": dialog.profile.text(),
        }
        if "watermark" in wanted:
            dialog.set_watermark(wanted["watermark"])
        if "answers" in wanted:
            dialog.answers.setChecked(wanted["answers"])
        if "profile" in wanted:
            dialog.profile.setText(wanted["profile"])
        choice = dialog.choice()
        if choice is not None:
            dialog.remember(choice)
        dialog.deleteLater()
        return choice

    def manuscript_path(self, folder: str) -> Path | None:
        return self.paths.pop(0) if self.paths else None

    def new_page(self, folder: str):
        return self.new_pages.pop(0) if self.new_pages else None

    def report(self, title: str, message: str) -> None:
        self.reports.append(message)

    def override_preflight(self, errors: list[str]) -> bool:
        self.asked.append("override")
        return self.answers["override"]

    def error(self, title: str, message: str) -> None:
        self.errors.append(message)
