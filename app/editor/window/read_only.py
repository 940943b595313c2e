"""A page someone else holds in the team store, shown as such everywhere: the panels that change
its layout (styles, layers, inspector with the page's own rows) and the tools and menu entries
that do are greyed, and the status bar names the holder; all come back when the lock is ours.

The session's door refuses such edits anyway (`Session.editable`); greying says so before the
user tries. A story's text is locked apart and greyed by the story editor itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.editor.document.session import Session
from app.editor.i18n import tr

if TYPE_CHECKING:  # the window imports this module
    from app.editor.window.main_window import MainWindow

# The menu entries that change a page's layout (tools: every one but 选择).
LAYOUT_ACTIONS = (
    "place",
    "delete",
    "duplicate",
    "front",
    "forward",
    "backward",
    "back",
    "align_left",
    "align_right",
    "align_top",
    "align_bottom",
    "link",
    "unlink",
    "caption_under",
    "fit_to_text",
    "balance",
)


def follow(window: MainWindow, session: Session) -> None:
    """Grey what edits the layout while `session`'s page is someone else's (now and later)."""
    session.read_only_changed.connect(
        lambda holder: show(window, holder) if window.session is session else None
    )
    show(window, session.read_only_by)


def show(window: MainWindow, holder: str) -> None:
    editable = not holder
    for panel in (window.styles, window.layers, window.inspector):
        panel.setEnabled(editable)
    for name in LAYOUT_ACTIONS:
        window.actions_by_name[name].setEnabled(editable)
    for name, action in window.tool_actions.items():
        action.setEnabled(editable or name == "select")
    if editable:
        window.status.clearMessage()
        return
    if not window.tool_actions["select"].isChecked():
        window.set_tool("select")
    window.status.showMessage(tr("{holder} 正在编辑此版，只读", holder=holder))
