"""Dock panels: layers, inspector, story editor, preflight, proof corrections."""
