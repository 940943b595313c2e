"""The bounds every input is held to where it enters (docs/limits.md lists them all).

A page, a layout grid, a story file or a picture past one of these is refused with one line
naming the file and the field, so that whatever validation accepts, every command can
compose, check and print in bounded time and memory. The numbers are generous for print
(a broadsheet is 0.4 × 0.6 m; the largest poster press sheet is under 2 m) and small enough
that the composer's work stays proportional to the text.
"""

from __future__ import annotations

import re
import unicodedata

from app.model.units import MM_PER_PT

# -- files ------------------------------------------------------------------------------------
MAX_PAGE_BYTES = 16 * 1024 * 1024  # a page document (JSON); the sample page is 60 KB
MAX_LAYOUT_BYTES = 1024 * 1024  # a layout grid (TOML); ours are 3 KB
MAX_STORY_BYTES = 512 * 1024  # a story file (text): ~170,000 characters, 15 full pages
MAX_PROOF_BYTES = 256 * 1024 * 1024  # an annotated proof PDF; ours are ~1 MB a page
MAX_AD_BYTES = 256 * 1024 * 1024  # an ad delivered as PDF; a full-page ad is ~5–50 MB

# -- numbers ----------------------------------------------------------------------------------
MAX_LENGTH_PT = 3000 / MM_PER_PT  # any length or coordinate: within ±3 m of the trim's corner
MIN_TYPE_SIZE_PT = 1.0
MAX_TYPE_SIZE_PT = 500.0  # a type size; the biggest wood-type headline is ~ 300 pt
MAX_NUMBER = 1e6  # any other plain number (percentages, factors, em counts) by magnitude
MAX_WHOLE = 10**9  # any whole number by magnitude (counts, ids, proof coordinates)
MAX_COLUMNS = 40  # text columns of a grid or of one frame
MAX_GRID_LINES = 2000  # body lines a grid column holds (a 3 m column of 1.5 mm lines)
MAX_WEIGHT = 1000  # font weight (CSS scale 100–1000)
MAX_EM = 100.0  # indents, in em of the style
TRACKING_EM = (-0.5, 1.0)  # 字距 between characters, in em: past -½ glyphs print on each other
MAX_STYLE_LINES = 1000  # 占行 and space before/after, in body lines

# -- counts -----------------------------------------------------------------------------------
MAX_BLOCKS = 2000  # blocks on one page
MAX_FRAMES = 200  # frames of one block (续排 through 200 frames)
MAX_STORIES = 2000
MAX_PARAGRAPHS = 20000  # paragraphs of one story
MAX_LIST = 100000  # any other list in a page document (proof rounds, corrections, dash)

# -- text -------------------------------------------------------------------------------------
MAX_PARAGRAPH_CHARS = 20000  # one paragraph (a long feature's paragraph is ~ 2,000)
MAX_PAGE_CHARS = 200000  # all stories of a page (a broadsheet page sets ~ 15,000)
MAX_FIELD_CHARS = 10000  # any other text field (ids, metadata, credits, proof notes)
MAX_NAME_CHARS = 64  # a layout name

# -- pictures and fonts -------------------------------------------------------------------------
MAX_PHOTO_PIXELS = 150_000_000  # decoded pixels of one picture (a 126 MP scan fits)
MAX_FONT_FACES = 256  # faces of one font collection (.ttc/.otc); CJK collections hold ≤ 30
MAX_FONT_TABLES = 512  # tables of one face
MAX_AD_OBJECTS = 20_000  # objects one PDF ad's page reaches (a dense vector ad: ~1,000)
MAX_AD_CONTENT_BYTES = 64 * 1024 * 1024  # an ad's content streams decoded, all together

# A layout name is a name, never a path: letters, digits, `-`, `_` and inner dots.
_NAME = re.compile(r"^\w[\w.-]*$")

# Characters a story may not hold: controls (C0 but tab, DEL, C1), bidi embeddings, overrides
# and isolates (they reorder what the reader sees against what prints), and lone surrogates
# (they cannot be written as UTF-8 at all).
_SURROGATE = re.compile("[\ud800-\udfff]")
_REFUSED = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a layout name, or None."""
    if len(name) > MAX_NAME_CHARS:
        return f"a layout name has at most {MAX_NAME_CHARS} characters, got {len(name)}"
    if not _NAME.match(name):
        return f"a layout name is letters, digits, '-', '_' and '.', not a path: {shown(name)}"
    return None


def text_problem(
    text: str, limit: int = MAX_PARAGRAPH_CHARS, *, controls: bool = False
) -> str | None:
    """Why `text` cannot be set or saved (length, control, bidi or surrogate characters);
    with `controls`, only what cannot be saved at all (lone surrogates) and the length."""
    if len(text) > limit:
        return f"text of {len(text)} characters is longer than the limit of {limit}"
    found = (_SURROGATE if controls else _REFUSED).search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate U+{code:04X} at character {found.start()} is not a character"
    name = unicodedata.name(found.group(), "control")
    return f"character U+{code:04X} ({name}) at character {found.start()} is not allowed in text"


def shown(text: str, width: int = 80) -> str:
    """`text` as a message quotes it: on one line (controls escaped), at most `width` long."""
    text = str(text)
    cut = text[:width] + ("…" if len(text) > width else "")
    return cut if cut.isprintable() else ascii(cut)[1:-1]
