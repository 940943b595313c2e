"""Editor tests: real widgets, offscreen, with settings and recovery files in a temp dir.

`make_editor(page=sample, prompts=None, compose=None)` is the one fixture that builds
the main window: it opens `page` (a private copy of the sample page by default; None
for an empty page), registers the window with qtbot, closes it after the test without
asking questions, and fails the test if another top-level window was left open.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from app.editor import settings
from app.editor.i18n import set_language

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page"


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


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("settings")
    settings.use_settings_dir(folder)
    set_language("zh_CN")
    yield folder
    settings.use_settings_dir(None)
    set_language("zh_CN")


@pytest.fixture
def sample_page(tmp_path) -> Path:
    """A private copy of the sample page (stories, photo) to edit, save and export; its stand-in
    photo declared the paper's own, as a placeholder never prints."""
    target = tmp_path / "news-page"
    shutil.copytree(SAMPLE, target)
    page = target / "page.json"
    page.write_text(
        page.read_text(encoding="utf-8").replace('"placeholder": true', '"placeholder": false'),
        encoding="utf-8",
    )
    return page


def engine_compose():
    """The composition engine's compose for one session (a per-story cached `Composer`)."""
    from app.editor.document.composition import default_compose

    return default_compose()


@pytest.fixture
def make_editor(qtbot, sample_page):
    from app.editor.window.main_window import MainWindow

    windows = []

    def make(page: Path | None = sample_page, prompts: FixedPrompts | None = None, compose=None):
        window = MainWindow(compose=compose or engine_compose(), prompts=prompts or FixedPrompts())
        qtbot.addWidget(window)
        if page is not None:
            assert window.open_path(page), window.prompts.errors
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    from PySide6.QtWidgets import QApplication

    before = set(QApplication.topLevelWidgets())
    yield make
    for window in windows:
        window.prompts.answers["save"] = "discard"
        window.close()
    leaked = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w not in before and w not in windows
    ]
    assert not leaked, f"top-level widgets left open: {leaked}"


@pytest.fixture(scope="module")
def url():
    """A throw-away PostgreSQL server (tools/pgcluster.py) with the schema, for the module's
    team-store tests; each test pushes an edition of its own name."""
    import sys

    from app.model.store.postgres import PostgresStore

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tools.pgcluster import Cluster

    with Cluster() as cluster:
        with PostgresStore(cluster.url) as store:
            store.init()
        yield cluster.url
