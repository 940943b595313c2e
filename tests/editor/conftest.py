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
from scripted_prompts import FixedPrompts

from app.editor import settings
from app.editor.i18n import set_language

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page"


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
