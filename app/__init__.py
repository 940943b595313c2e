"""Pasteup: layout and proofing of Chinese newspaper pages."""
