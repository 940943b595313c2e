"""Fonts: finding faces, reading their metrics, shaping Latin runs, subsetting for embedding.

Everything here works in font units from the font's own tables (docs/fonts.md).
"""

from app.fonts.errors import FontError
from app.fonts.face import Face, ShapedGlyph
from app.fonts.punctuation import PunctuationMismatch, check_gb_punctuation
from app.fonts.registry import FontRegistry, default_registry
from app.fonts.subset import EmbeddedSubset, subset_for_embedding

__all__ = [
    "EmbeddedSubset",
    "Face",
    "FontError",
    "FontRegistry",
    "PunctuationMismatch",
    "ShapedGlyph",
    "check_gb_punctuation",
    "default_registry",
    "subset_for_embedding",
]
