"""The fonts layer's error: a missing, unreadable or unknown font, as one line for the user."""

from app.errors import PasteupError


class FontError(PasteupError):
    """A font file that is missing or not a font, or a family no font folder provides."""
