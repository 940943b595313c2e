"""Composition: Chinese line breaking, frame flow and page assembly (docs/cjk-composition)."""
