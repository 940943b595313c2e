"""`Metrics` from real faces (app.fonts): a role's font chain at one size, in integer lu.

Each character takes the first face of the chain that has it (per-character fallback, the same
for every renderer). Chinese-role glyphs go through the face's zh-Hans `locl`; a Chinese-role
quote that the face draws proportionally takes its `fwid` form when there is one (the engine
sets it in a one-em box either way). Latin runs are shaped with HarfBuzz (kerning, ligatures).
Font units become lu once, here, and never again.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.compose.metrics import ShapedGlyph
from app.fonts import Face, FontRegistry

_QUOTES = frozenset("“”‘’")
_CACHE_LIMIT = 20000


class FontMetrics:
    """Glyphs and advances of `chain` at `size` lu (e.g. 10.5 pt = 672 lu)."""

    def __init__(self, chain: Sequence[Face], size: int) -> None:
        if not chain:
            raise ValueError("a font chain needs at least one face")
        self.chain = tuple(chain)
        self.size = size
        self.faces: dict[str, Face] = {face.key: face for face in self.chain}
        self._cjk: dict[str, ShapedGlyph] = {}
        self._latin: dict[str, tuple[ShapedGlyph, ...]] = {}
        self._face_of: dict[str, Face | None] = {}
        reference = self.face_of("水") or self.chain[0]
        gid = reference.glyph_id("水")
        self.em = self.scale(reference, reference.advance(gid) if gid else reference.upm)

    def scale(self, face: Face, units: int) -> int:
        """Font units of `face` to lu at this size, rounded half up."""
        return (2 * units * self.size + face.upm) // (2 * face.upm)

    def face_of(self, ch: str) -> Face | None:
        face = self._face_of.get(ch, False)
        if face is False:
            face = self._face_of[ch] = FontRegistry.face_for(self.chain, ch)
        return face  # type: ignore[return-value]

    def cjk(self, cluster: str) -> ShapedGlyph:
        glyph = self._cjk.get(cluster)
        if glyph is None:
            glyph = self._cjk_glyph(cluster)
            if len(self._cjk) > _CACHE_LIMIT:
                self._cjk.clear()
            self._cjk[cluster] = glyph
        return glyph

    def _cjk_glyph(self, cluster: str) -> ShapedGlyph:
        base = cluster[0]
        face = self.face_of(base)
        if face is None:
            return ShapedGlyph("", 0, self.em, 0)
        sequence = cluster[:2] if len(cluster) > 1 and _is_selector(cluster[1]) else base
        gid = face.glyph_id(sequence) or face.glyph_id(base) or 0
        gid = face.substitute(gid, "locl")
        advance = face.advance(gid)
        if base in _QUOTES and advance < face.upm:
            wide = face.substitute(gid, "fwid")
            if wide != gid:
                gid, advance = wide, face.advance(wide)
        return ShapedGlyph(face.key, gid, self.scale(face, advance), 0)

    def latin(self, text: str) -> tuple[ShapedGlyph, ...]:
        shaped = self._latin.get(text)
        if shaped is None:
            shaped = self._shape_latin(text)
            if len(self._latin) > _CACHE_LIMIT:
                self._latin.clear()
            self._latin[text] = shaped
        return shaped

    def _shape_latin(self, text: str) -> tuple[ShapedGlyph, ...]:
        out: list[ShapedGlyph] = []
        for start, end, face in self._face_runs(text):
            if face is None:
                out.extend(ShapedGlyph("", 0, self.em // 2, i) for i in range(start, end))
                continue
            for g in face.shape(text[start:end]):
                out.append(
                    ShapedGlyph(
                        face.key if g.gid else "",
                        g.gid,
                        self.scale(face, g.advance),
                        start + g.cluster,
                        self.scale(face, g.x_offset),
                    )
                )
        return tuple(out)

    def _face_runs(self, text: str) -> list[tuple[int, int, Face | None]]:
        """Runs of characters that take the same face; marks stay with their base."""
        runs: list[tuple[int, int, Face | None]] = []
        for i, ch in enumerate(text):
            face = runs[-1][2] if runs and _is_selector_or_mark(ch) else self.face_of(ch)
            if runs and runs[-1][2] is face:
                runs[-1] = (runs[-1][0], i + 1, face)
            else:
                runs.append((i, i + 1, face))
        return runs


def _is_selector(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _is_selector_or_mark(ch: str) -> bool:
    import unicodedata

    return _is_selector(ch) or unicodedata.category(ch) in ("Mn", "Me")


def body_metrics(registry: FontRegistry, families: Sequence[str], size: int) -> FontMetrics:
    """Metrics for a role given as family names ("Noto Serif CJK SC", "Family:700")."""
    return FontMetrics(registry.chain(families), size)
