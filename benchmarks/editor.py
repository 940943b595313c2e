"""Editor speed on the sample page: a keystroke to a repainted canvas, and open-and-show.

inplace keystroke: the same, typed on the canvas itself (double-click editing) as an input
method's commit (`QInputMethodEvent`), until the canvas has repainted.
keystroke: a character typed into the story editor in the middle of the page's longest
story (as a key event), through the undo stack, the model, the composer's per-block
cache and the page picture's partial repaint, until Qt has processed the pending events
and painted the canvas (an event filter checks that a paint happened each time). The median of KEYS keystrokes, after a few warm-ups.
open: a fresh process-warm window opening the page and painting it once (fonts cold
for the first window of the process, as when `pasteup open PAGE` starts).

Runs offscreen. Last line: {"keystroke_ms": …, "inplace_keystroke_ms": …, "open_s": …}.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The editor's own benchmark drives real Qt widgets, as its tests do.
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

from app.editor import settings

SAMPLE = Path(__file__).resolve().parents[1] / "assets" / "samples" / "news-page" / "page.json"
KEYS = 40
WARMUP = 5


def open_and_show(app: QApplication):
    from app.editor.window.main_window import MainWindow

    start = time.perf_counter()
    window = MainWindow()
    window.open_path(SAMPLE)
    window.resize(1600, 1000)
    window.show()
    window.canvas.viewport().repaint()
    app.processEvents()
    return window, time.perf_counter() - start


def keystrokes(app: QApplication, window) -> list[float]:
    session = window.session
    story = max(session.document.stories.values(), key=lambda s: s.char_count())
    block = next(b for b in session.document.blocks if getattr(b, "story", "") == story.id)
    session.select([block.id])
    editor = window.story_editor
    editor.place_cursor(len(story.stream) // 2)
    editor.text.setFocus()
    app.processEvents()
    painted: list[QRect] = []
    watcher = _PaintWatcher(painted)
    window.canvas.viewport().installEventFilter(watcher)
    times = []
    for i in range(WARMUP + KEYS):
        start = time.perf_counter()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                editor.text, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, "新")
            )
        painted.clear()
        app.processEvents()  # Qt paints what the keystroke invalidated, as it would on screen
        elapsed = time.perf_counter() - start
        assert painted, "the keystroke did not repaint the canvas"
        if i >= WARMUP:
            times.append(elapsed)
    assert session.document.stories[story.id].char_count() == story.char_count() + WARMUP + KEYS
    window.canvas.viewport().removeEventFilter(watcher)
    print(f"story {story.id}: {story.char_count()} characters; block {block.id}")
    return times


def inplace_keystrokes(app: QApplication, window) -> list[float]:
    session = window.session
    canvas = window.canvas
    story = max(session.document.stories.values(), key=lambda s: s.char_count())
    lines = [line for line in session.layout.lines if line.story == story.id]
    line = lines[len(lines) // 2]
    left, right = line.char_x[0]
    from app.compose.layout import to_pt

    assert canvas.start_typing(line.block, to_pt(left + right) / 2, to_pt(line.top + 1))
    app.processEvents()
    painted: list[QRect] = []
    watcher = _PaintWatcher(painted)
    canvas.viewport().installEventFilter(watcher)
    before = session.document.stories[story.id].char_count()
    times = []
    for i in range(WARMUP + KEYS):
        start = time.perf_counter()
        event = QInputMethodEvent("", [])
        event.setCommitString("新")
        QApplication.sendEvent(canvas, event)
        painted.clear()
        app.processEvents()
        elapsed = time.perf_counter() - start
        assert painted, "the keystroke did not repaint the canvas"
        if i >= WARMUP:
            times.append(elapsed)
    assert session.document.stories[story.id].char_count() == before + WARMUP + KEYS
    canvas.viewport().removeEventFilter(watcher)
    canvas.stop_typing()
    return times


class _PaintWatcher(QObject):
    """Records each paint of the canvas, so a keystroke is timed to a real repaint."""

    def __init__(self, painted: list):
        super().__init__()
        self.painted = painted

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.append(event.rect())
        return False


def main() -> None:
    settings.use_settings_dir(Path(tempfile.mkdtemp(prefix="pasteup-bench-")))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window, open_s = open_and_show(app)
    times = keystrokes(app, window)
    keystroke_ms = statistics.median(times) * 1000
    inplace = inplace_keystrokes(app, window)
    inplace_ms = statistics.median(inplace) * 1000
    print(f"open and show: {open_s:.2f} s (target ≤ 1.5 s)")
    print(
        f"keystroke → repainted canvas: median {keystroke_ms:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms over {len(times)} keys (target ≤ 16 ms)"
    )
    print(
        f"in-place keystroke → repainted canvas: median {inplace_ms:.1f} ms, "
        f"max {max(inplace) * 1000:.1f} ms over {len(inplace)} keys (target ≤ 16 ms)"
    )
    window.session.undo_stack.setClean()
    window.close()
    print(
        json.dumps(
            {
                "keystroke_ms": round(keystroke_ms, 2),
                "inplace_keystroke_ms": round(inplace_ms, 2),
                "open_s": round(open_s, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
