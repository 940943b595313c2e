"""Steps 2–5 of the pipeline (cjk-composition §3.1): units, their widths, and their boundaries.

A *unit* is what line breaking moves: one grapheme cluster, a whole dash or ellipsis run, or a
shaping cluster of a Latin word (a ligature is one unit). Each unit has an ink width and the two
adjustable blanks of its punctuation glyph (§2.1), already narrowed by the punctuation style
(§2.2) and by pair compression (§2.3). Each boundary between two units records whether a line may
break there (§1.2–1.3), whether CJK–Latin autospace sits in it (§2.6) and whether it takes
inter-character expansion (§3.5). All lengths are integer lu.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.compose.classes import (
    ASCII_NO_END,
    ASCII_NO_START,
    BK,
    CL,
    CLOSING,
    CONN,
    DASH,
    ELL,
    EXCLAIM_QUESTION,
    GLUE,
    IS,
    MID,
    NS,
    OP,
    PAUSE,
    POST,
    PRE,
    SHY,
    SOL,
    SP,
    STOP,
    ZW,
    H,
    L,
)
from app.compose.classify import Classified, classify
from app.compose.config import Settings, to_lu
from app.compose.metrics import Metrics

# Break kinds of a boundary, from free to forbidden.
LEGAL, WEAK, STRONG, NEVER = range(4)

_LATINISH = frozenset({L, PRE, POST})
_HANISH = frozenset({H, NS, IS})
_INVISIBLE = frozenset({SP, BK, ZW})
_NO_E3 = frozenset({MID, CONN, SOL, SP, GLUE, ZW, SHY, BK})
_HALF_CONN = frozenset("-‐–")


@dataclass(slots=True)
class Units:
    """A paragraph as units (parallel lists, index i) and boundaries (index k = before unit k).

    `lb`/`ink`/`rb` are the unit's left blank, ink and right blank after style and pair
    compression; `full_lb` is the left blank of the glyph's full box, so the painter can put the
    glyph back where its ink belongs after blanks are removed. `glyphs[i]` holds
    (font, gid, dx from the full box's left, advance, char start, char end).
    """

    text: str
    em: int
    starts: list[int]
    ends: list[int]
    cls: list[int]
    lb: list[int]
    ink: list[int]
    rb: list[int]
    full_lb: list[int]
    space: list[bool]  # an adjustable word space (R1/E1)
    glyphs: list[tuple[tuple[str, int, int, int, int, int], ...]]
    brk: list[int]  # len n + 1
    rule: list[str]  # len n + 1: the rule a WEAK/STRONG boundary enforces
    auto: list[int]  # len n + 1: autospace natural width in the boundary
    e3: list[bool]  # len n + 1
    missing: list[int]  # char offsets no font could draw

    def __len__(self) -> int:
        return len(self.cls)

    def width(self, i: int) -> int:
        return self.lb[i] + self.ink[i] + self.rb[i]


def build_units(text: str, metrics: Metrics, settings: Settings) -> Units:
    """Classify, shape and measure a paragraph, and decide every boundary (§3.1 steps 1–5)."""
    classified = classify(text, settings.lang)
    em = metrics.em
    units = Units(text, em, [], [], [], [], [], [], [], [], [], [], [], [], [], [])
    _shape_units(classified, metrics, settings, units)
    _absorb_spaces(units, settings)
    _compress_pairs(units, settings)
    _decide_boundaries(units, settings)
    return units


# --- shaping and widths ---------------------------------------------------------------------


def _shape_units(c: Classified, metrics: Metrics, settings: Settings, u: Units) -> None:
    em = u.em
    blank = em // 2
    half = em // 2
    style = settings.punct_style
    i, n = 0, len(c)
    while i < n:
        cls = c.classes[i]
        if cls in _LATINISH or cls in (SP, GLUE):
            j = i + 1
            while j < n and c.classes[j] in _LATINISH and cls != SP and c.classes[j - 1] != SP:
                j += 1
            _add_latin(c, i, j, metrics, u)
            i = j
            continue
        start, end = c.starts[i], c.starts[i + 1]
        chars = c.text[start:end]
        if cls in (BK, ZW, SHY):
            _add(u, start, end, cls, 0, 0, 0, 0, ())
            i += 1
            continue
        glyph = metrics.cjk(chars)
        if glyph.gid == 0:
            u.missing.append(start)
        adv = glyph.advance
        if cls in (OP, CL, PAUSE, STOP):
            narrow = style in ("kaiming", "banjiao") and not (cls == STOP and style == "kaiming")
            side = 0 if narrow else blank
            lb, rb = (side, 0) if cls == OP else (0, side)
            full_lb = blank if cls == OP else 0
            dx = em - adv if cls == OP else 0  # ink towards the text it belongs to
            _add(u, start, end, cls, lb, em - blank, rb, full_lb, ((glyph, dx, start, end),))
        elif cls in (MID, SOL) or (cls == CONN and chars in _HALF_CONN):
            box = adv if cls == MID and style == "plain" else half
            _add(u, start, end, cls, 0, box, 0, 0, ((glyph, (box - adv) // 2, start, end),))
        elif cls in (DASH, ELL, CONN):
            # Fixed one em per character (⸺ two, ⸻ three), each glyph centred in its cells.
            parts = []
            x = 0
            for k, ch in enumerate(chars):
                g = glyph if k == 0 else metrics.cjk(ch)
                cells = em * (3 if ch == "⸻" else 2 if ch == "⸺" else 1)
                parts.append((g, x + (cells - g.advance) // 2, start + k, start + k + 1))
                x += cells
            _add(u, start, end, cls, 0, x, 0, 0, tuple(parts))
        else:  # H, IS, NS: the font's own advance (one em in a CJK face)
            _add(u, start, end, cls, 0, adv, 0, 0, ((glyph, 0, start, end),))
        i += 1


def _add(u: Units, start, end, cls, lb, ink, rb, full_lb, parts) -> None:
    u.starts.append(start)
    u.ends.append(end)
    u.cls.append(cls)
    u.lb.append(lb)
    u.ink.append(ink)
    u.rb.append(rb)
    u.full_lb.append(full_lb)
    u.space.append(cls == SP and u.text[start] == " ")
    u.glyphs.append(tuple((g.font, g.gid, dx + g.dx, g.advance, s, e) for g, dx, s, e in parts))


def _add_latin(c: Classified, i: int, j: int, metrics: Metrics, u: Units) -> None:
    """Shape clusters i..j-1 as one Latin word; units follow grapheme and shaping clusters."""
    base = c.starts[i]
    word = c.text[base : c.starts[j]]
    shaped = metrics.latin(word)
    # A unit may start at a grapheme start that no glyph cluster straddles.
    cuts = {c.starts[k] - base for k in range(i, j)}
    glyph_starts = sorted({g.cluster for g in shaped})
    for a, b in zip(glyph_starts, [*glyph_starts[1:], len(word)], strict=True):
        cuts -= set(range(a + 1, b))
    bounds = [*sorted(cuts), len(word)]
    classes = {c.starts[k] - base: c.classes[k] for k in range(i, j)}
    gi = 0
    for a, b in itertools.pairwise(bounds):
        parts = []
        x = 0
        while gi < len(shaped) and shaped[gi].cluster < b:
            g = shaped[gi]
            if g.gid == 0:
                u.missing.append(base + g.cluster)
            parts.append((g, x, base + a, base + b))
            x += g.advance
            gi += 1
        _add(u, base + a, base + b, classes[a], 0, x, 0, 0, tuple(parts))


def _absorb_spaces(u: Units, settings: Settings) -> None:
    """A single U+0020 between Han and Latin becomes the autospace itself (§1.4)."""
    if not (settings.absorb_ascii_space and settings.autospace):
        return
    for i in range(1, len(u) - 1):
        if not u.space[i] or u.ends[i] - u.starts[i] != 1:
            continue
        a, b = u.cls[i - 1], u.cls[i + 1]
        if (a in _HANISH and _latin_for_space(u, i + 1)) or (
            b in _HANISH and _latin_for_space(u, i - 1)
        ):
            u.ink[i] = 0
            u.space[i] = False
            u.glyphs[i] = tuple((f, g, dx, 0, s, e) for f, g, dx, _, s, e in u.glyphs[i])


def _latin_for_space(u: Units, i: int) -> bool:
    """Whether unit i counts as Latin for autospace: letters, digits, and PRE/POST by digits."""
    cls = u.cls[i]
    if cls == L:
        return True
    if cls == PRE:
        return i + 1 < len(u) and _starts_with_digit(u, i + 1)
    if cls == POST:
        return i > 0 and u.text[u.ends[i - 1] - 1].isdigit()
    return False


def _starts_with_digit(u: Units, i: int) -> bool:
    return u.text[u.starts[i]].isdigit()


# --- pair compression (§2.3) ----------------------------------------------------------------


def _compress_pairs(u: Units, settings: Settings) -> None:
    if not settings.pair_compression:
        return
    n = len(u)
    text = u.text
    # Runs of ？/！: every mark but the last loses its blank; the last too when the run is even.
    i = 0
    while i < n:
        if u.cls[i] == STOP and text[u.starts[i]] in EXCLAIM_QUESTION:
            j = i
            while j + 1 < n and u.cls[j + 1] == STOP and text[u.starts[j + 1]] in EXCLAIM_QUESTION:
                j += 1
            for k in range(i, j):
                u.rb[k] = 0
            if (j - i + 1) % 2 == 0:
                u.rb[j] = 0
            i = j + 1
        else:
            i += 1
    grid = settings.grid_mode
    for k in range(n - 1):
        a, b = u.cls[k], u.cls[k + 1]
        if a in CLOSING and (b in CLOSING or b in (OP, MID)):
            u.rb[k] = 0
            if grid:  # the pair takes exactly one em
                u.lb[k + 1] = u.rb[k + 1] = 0
        elif (a == OP and b == OP) or (a == MID and b == OP):
            u.lb[k + 1] = 0
            if grid:
                u.lb[k] = 0


# --- boundaries (§1.2, §1.3, §2.6, §3.5) ----------------------------------------------------


def _decide_boundaries(u: Units, settings: Settings) -> None:
    n = len(u)
    auto_nat = to_lu(u.em, settings.autospace[0]) if settings.autospace else 0
    u.brk = [LEGAL] * (n + 1)
    u.rule = [""] * (n + 1)
    u.auto = [0] * (n + 1)
    u.e3 = [False] * (n + 1)
    level = settings.kinsoku_level
    last_visible = -1  # the unit a line ending at k would visibly end with
    for k in range(1, n):
        a, b = k - 1, k
        if u.cls[a] not in _INVISIBLE or u.cls[a] == BK:
            last_visible = a
        kind, rule = _break_kind(u, a, b, last_visible, level, settings)
        u.brk[k] = kind
        u.rule[k] = rule
        pair = _autospace_pair(u, a, b)
        if pair and auto_nat:
            u.auto[k] = auto_nat
        u.e3[k] = not pair and _expandable(u.cls[a], u.cls[b])
    if settings.grid_mode:
        _pad_latin_runs(u)


def _pad_latin_runs(u: Units) -> None:
    """Grid mode (§2.7): each Latin run with its two autospaces fills a whole number of em,
    the padding split evenly over its sides (all of it inside at a paragraph edge)."""
    n, em = len(u), u.em
    i = 0
    while i < n:
        if u.cls[i] not in _LATINISH:
            i += 1
            continue
        j = i
        while j + 1 < n and (u.cls[j + 1] in _LATINISH or u.space[j + 1]):
            j += 1
        while u.space[j]:
            j -= 1
        left, right = i, j + 1  # boundaries around the run
        run = sum(u.width(k) for k in range(i, j + 1)) + sum(u.auto[k] for k in range(i + 1, j + 1))
        total = run + u.auto[left] + (u.auto[right] if right < n else 0)
        pad = -total % em
        if i == 0 and right < n:
            u.auto[right] += pad
        elif right >= n:
            u.auto[left] += pad
        else:
            u.auto[left] += pad // 2
            u.auto[right] += pad - pad // 2
        i = j + 1


def _autospace_pair(u: Units, a: int, b: int) -> bool:
    """Han on one side and Latin on the other, looking through one absorbed space on the left."""
    if u.cls[b] == SP:
        return False
    if u.cls[a] == SP:
        if u.space[a] or a == 0:
            return False  # a real word space separates them: no autospace on top
        a -= 1
    return (u.cls[a] in _HANISH and _latin_for_space(u, b)) or (
        u.cls[b] in _HANISH and _latin_for_space(u, a)
    )


def _expandable(a: int, b: int) -> bool:
    """E3 eligibility of the gap between classes a and b (§3.5)."""
    if a == OP or b in CLOSING or a in _NO_E3 or b in _NO_E3:
        return False
    return not (a in _LATINISH and b in _LATINISH)


def _break_kind(u: Units, a: int, b: int, last_visible: int, level: str, settings: Settings):
    ca, cb = u.cls[a], u.cls[b]
    text = u.text
    if ca == BK:
        return LEGAL, ""
    if cb in (SP, BK, ZW, SHY) or cb == IS:
        return STRONG, "space-start" if cb in (SP, IS) else ""
    if ca == GLUE or cb == GLUE:
        return NEVER, "glue"
    if ca in (ZW, SHY):
        return LEGAL, ""
    if ca in _LATINISH and cb in _LATINISH:
        return (LEGAL, "") if _latin_break(text, u.starts[a], u.starts[b]) else (NEVER, "word")
    start_kind, start_rule = _no_start(u, b, level, settings)
    end_kind, end_rule = _no_end(u, last_visible, b, level) if last_visible >= 0 else (LEGAL, "")
    if start_kind >= end_kind:
        return start_kind, start_rule
    return end_kind, end_rule


def _no_start(u: Units, b: int, level: str, settings: Settings) -> tuple[int, str]:
    cb = u.cls[b]
    ch = u.text[u.starts[b]]
    if cb == NS or (cb == L and ch in ASCII_NO_START):
        return STRONG, "start"
    if level == "none":
        return LEGAL, ""
    if cb in CLOSING:
        if cb == STOP and ch in EXCLAIM_QUESTION and settings.relax_exq_line_start:
            return WEAK, "exq-start"
        return STRONG, "start"
    if cb in (MID, CONN):
        return WEAK, f"{'MID' if cb == MID else 'CONN'}-start"
    if level in ("gb", "strict"):
        if cb == SOL:
            return WEAK, "SOL-start"
        if cb == POST:
            return STRONG, "start"
    if level == "strict" and cb in (DASH, ELL):
        return WEAK, f"{'DASH' if cb == DASH else 'ELL'}-start"
    return LEGAL, ""


def _no_end(u: Units, a: int, b: int, level: str) -> tuple[int, str]:
    ca = u.cls[a]
    if ca == L and u.text[u.ends[a] - 1] in ASCII_NO_END:
        return STRONG, "end"
    if ca == PRE and u.cls[b] == L and _starts_with_digit(u, b):
        return NEVER, "number"
    if level == "none":
        return LEGAL, ""
    if ca == OP:
        return STRONG, "end"
    if level in ("gb", "strict") and ca == SOL:
        return WEAK, "SOL-end"
    return LEGAL, ""


def _latin_break(text: str, a_start: int, b_start: int) -> bool:
    """UAX #14 inside a run of Latin units (a subset: hyphens, solidus, ! ?, em dash)."""
    a = text[b_start - 1]
    b = text[b_start]
    if a == "—" or b == "—":
        return True
    if not b.isalpha():
        return False
    if a in "-‐":
        return b_start - 1 > 0 and not text[b_start - 2].isspace()
    return a in "/!?"
