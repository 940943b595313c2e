"""Edits: undoable commands, the edits as the user names them, and the geometry they use."""
