"""Every lu of the engine's output, pinned: speed work must not move a single glyph.

Each case composes a fixed set of paragraphs (the sample page's 50, with the real body font, or
deterministic random text with the spec's test font) under one set of settings and widths, and
compares a digest of every public field of every line (glyphs, char_x, adjustments, flags) with
`cases/snapshot.json`, written by the engine before it was optimised. Set
PASTEUP_UPDATE_GOLDEN=1 to rewrite it after a deliberate change of behaviour (review why first).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from app.compose.config import Settings
from app.compose.metrics import SpecMetrics
from app.compose.paragraph import Line, Paragraph, compose_paragraph

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).parent / "cases" / "snapshot.json"
PAGE = ROOT / "assets" / "samples" / "news-page" / "page.json"

#: Settings variants (field → value) covering every style, level and option of §3.11.
VARIANTS: dict[str, dict[str, object]] = {
    "default": {},
    "kaiming": {"punct_style": "kaiming"},
    "banjiao-strict": {"punct_style": "banjiao", "kinsoku_level": "strict"},
    "hangmobanjiao-hang": {"punct_style": "hangmobanjiao", "line_end_punct": "hang"},
    "plain-none": {"punct_style": "plain", "kinsoku_level": "none"},
    "basic-keep": {"kinsoku_level": "basic", "line_end_punct": "keep_if_fits"},
    "grid": {"grid_mode": True},
    "even-parastart": {"align": "even", "trim_open_at_para_start": True},
    "center-right": {"align": "center", "last_line_align": "right"},
    "no-autospace": {"autospace": None, "compress_stops": False, "orphan_control": False},
    "fixed-noabsorb": {"autospace_fixed": True, "absorb_ascii_space": False, "lang": "other"},
    "pushin-exq-loose": {
        "latin_push_in": True,
        "relax_exq_line_start": True,
        "loose_limit": Fraction(1, 4),
        "first_line_indent": Fraction(1),
    },
}

#: Random text: Han, every punctuation class, shared code points, Latin, spaces and controls.
ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年"
    "，。、：；？！）》」】〕（《「【〔・～／％‰￥＄“”‘’·—…―⸺⸻〜－"
    "abcdefgXYZ0123456789 -/.,;:!?()'\"$%&"
    "\u00a0\u200b\u00ad\u2028\u3000\u3005\u30fc\u3041\u0301\ufe0f\u4e00"
)


def sample_texts() -> list[str]:
    page = json.loads(PAGE.read_text(encoding="utf-8"))
    return [p["text"] for story in page["stories"].values() for p in story["paragraphs"]]


def random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        length = rng.randint(1, 160)
        text = "".join(rng.choice(ALPHABET) for _ in range(length))
        texts.append(text)
    return texts


def fingerprint(paragraph: Paragraph) -> list[object]:
    """Every public field of the paragraph as plain data."""
    return [paragraph.text, paragraph.em, [_line(line) for line in paragraph.lines],
            list(paragraph.missing)]  # fmt: skip


def _line(line: Line) -> list[object]:
    glyphs = [[g.font, g.gid, g.x, g.advance, g.start, g.end] for g in line.glyphs]
    adjustments = [[level, list(amounts)] for level, amounts in line.adjustments]
    return [
        line.start, line.end, line.text, line.x, line.measure, line.natural, line.width, glyphs,
        [list(pair) for pair in line.char_x], adjustments, line.loose, line.relaxed,
        line.emergency, line.hanging, line.last, line.overfull,
    ]  # fmt: skip


@cache
def body_metrics():
    from app.compose.styling import metrics_for
    from app.fonts import default_registry
    from app.model.layouts import load_layout

    layout = load_layout("broadsheet-8col")
    return metrics_for(default_registry(), layout.fonts, layout.styles["正文"])


def digest(corpus: str, variant: str) -> str:
    settings = Settings(**VARIANTS[variant])  # type: ignore[arg-type]
    if corpus == "sample":
        metrics, texts, chars = body_metrics(), sample_texts(), (5, 11, 23)
    else:
        metrics, texts, chars = (
            SpecMetrics(em=672),
            random_texts(sum(map(ord, variant)), 80),
            (4, 9),
        )
    out = []
    for width in chars:
        for n, text in enumerate(texts):
            measure = width * metrics.em + (n % 3) * 37
            indent = n % 4 != 3
            widths = (lambda i, m=measure: m - 113 * (i % 2)) if n % 5 == 4 else None
            paragraph = compose_paragraph(
                text, measure, metrics, settings, widths=widths, first_line_indent=indent
            )
            out.append(fingerprint(paragraph))
    data = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


CASES = [(corpus, variant) for corpus in ("sample", "random") for variant in VARIANTS]


def _stored() -> dict[str, str]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}


@pytest.mark.parametrize(("corpus", "variant"), CASES, ids=[f"{c}:{v}" for c, v in CASES])
def test_output_is_unchanged(corpus, variant):
    stored = _stored()
    key = f"{corpus}:{variant}"
    assert key in stored, "run with PASTEUP_UPDATE_GOLDEN=1 to write the snapshot"
    assert digest(corpus, variant) == stored[key]


@pytest.fixture(scope="module", autouse=True)
def _rewrite_when_asked():
    """PASTEUP_UPDATE_GOLDEN=1 rewrites the snapshot first (after a deliberate change)."""
    if os.environ.get("PASTEUP_UPDATE_GOLDEN"):
        data = {f"{c}:{v}": digest(c, v) for c, v in CASES}
        SNAPSHOT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
