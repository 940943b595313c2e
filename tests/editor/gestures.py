"""Mouse gestures sent to a widget as real Qt events (QTest's moves carry no modifiers)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

NoMod = Qt.KeyboardModifier.NoModifier
Left = Qt.MouseButton.LeftButton


def _send(widget, kind, pos: QPointF, button, buttons, modifiers) -> None:
    global_pos = QPointF(widget.mapToGlobal(pos.toPoint()))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def drag(widget, start: QPointF, end: QPointF, modifiers=NoMod, steps: int = 6) -> None:
    _send(widget, QEvent.Type.MouseButtonPress, start, Left, Left, modifiers)
    for i in range(1, steps + 1):
        t = i / steps
        pos = QPointF(start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t)
        _send(widget, QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, Left, modifiers)
    _send(widget, QEvent.Type.MouseButtonRelease, end, Left, Qt.MouseButton.NoButton, modifiers)


def click(widget, pos: QPointF, modifiers=NoMod) -> None:
    _send(widget, QEvent.Type.MouseButtonPress, pos, Left, Left, modifiers)
    _send(widget, QEvent.Type.MouseButtonRelease, pos, Left, Qt.MouseButton.NoButton, modifiers)


def type_text(widget, text: str) -> None:
    """Key presses carrying `text` one character each (QTest's keyClicks is ASCII only)."""
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, NoMod, ch))
