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


def double_click(widget, pos: QPointF) -> None:
    click(widget, pos)
    _send(widget, QEvent.Type.MouseButtonDblClick, pos, Left, Left, NoMod)
    _send(widget, QEvent.Type.MouseButtonRelease, pos, Left, Qt.MouseButton.NoButton, NoMod)


def key(widget, code, modifiers=NoMod, text: str = "") -> None:
    """One key press and release, with the shortcut override a real key gets first."""
    from PySide6.QtGui import QKeyEvent

    override = QKeyEvent(QEvent.Type.ShortcutOverride, code, modifiers, text)
    QApplication.sendEvent(widget, override)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, code, modifiers, text))


def input_method(widget, preedit: str = "", commit: str = "") -> None:
    """What an input method sends: a pre-edit string while composing, then the commit."""
    from PySide6.QtGui import QInputMethodEvent

    event = QInputMethodEvent(preedit, [])
    if commit:
        event.setCommitString(commit)
    QApplication.sendEvent(widget, event)
