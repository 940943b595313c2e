"""The editor's one link to the composition engine: document in, `PageLayout` out.

The session keeps one composer for the page it edits, so the engine's per-story
cache makes a keystroke re-compose only the edited story.
"""

from __future__ import annotations

from collections.abc import Callable

from app.compose.layout import PageLayout
from app.model import PageDocument

Compose = Callable[[PageDocument], PageLayout]


def default_compose() -> Compose:
    """A fresh composer's `compose`, holding its cache for one session."""
    from app.compose.composer import Composer

    return Composer().compose
