"""Dock panels of the main window: layers, inspector, story editor, preflight."""
