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
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import add

from app.compose.classes import (
    ASCII_NO_END,
    ASCII_NO_START,
    BK,
    CL,
    CLASS_OF,
    CLOSING,
    CONN,
    DASH,
    ELL,
    EXCLAIM_QUESTION,
    GLUE,
    IS,
    MID,
    NAMES,
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
from app.compose.classify import CONTEXTUAL_CLASSES, Classified, classify
from app.compose.config import Settings, lengths
from app.compose.metrics import Metrics, ShapedGlyph

# Break kinds of a boundary, from free to forbidden.
LEGAL, WEAK, STRONG, NEVER = range(4)

_LATINISH = frozenset({L, PRE, POST})
_HANISH = frozenset({H, NS, IS})
_SPACE_LIKE = frozenset({SP, ZW})  # invisible at a line end (a BK is not)
_NO_E3 = frozenset({MID, CONN, SOL, SP, GLUE, ZW, SHY, BK})
_HALF_CONN = frozenset("-‐–")


@dataclass(slots=True)
class Units:
    """A paragraph as units (parallel lists, index i) and boundaries (index k = before unit k).

    `lb`/`ink`/`rb` are the unit's left blank, ink and right blank after style and pair
    compression (only OP has a left blank, only CL, PAUSE and STOP a right one: `measure.py`
    counts on it); `full_lb` is the left blank of the glyph's full box, so the painter can put the
    glyph back where its ink belongs after blanks are removed. `glyphs[i]` holds
    (font, gid, dx from the full box's left, char start, char end), the char offsets relative to
    the unit's start (so one tuple serves every occurrence of a character).
    """

    text: str
    em: int
    starts: Sequence[int]  # a range when every unit is one character
    ends: Sequence[int]
    cls: tuple[int, ...]
    lb: list[int]
    ink: list[int]
    rb: list[int]
    width: list[int]  # lb + ink + rb
    full_lb: tuple[int, ...]
    space: list[bool]  # an adjustable word space (R1/E1)
    glyphs: tuple[tuple[tuple[str, int, int, int, int], ...], ...]
    # A unit drawn by one glyph covering all its characters (nearly all) has it here too, as
    # columns: font and gid, and the glyph origin's distance from the unit's ink (its box
    # after the left blank). None in all three for other units.
    font: tuple[str | None, ...]
    gid: tuple[int | None, ...]
    glyph_dx: tuple[int | None, ...]
    brk: list[int]  # len n + 1
    rule: list[str]  # len n + 1: the rule a WEAK/STRONG boundary enforces
    auto: list[int]  # len n + 1: autospace natural width in the boundary
    e3: list[bool]  # len n + 1
    missing: list[int]  # char offsets no font could draw

    def __len__(self) -> int:
        return len(self.cls)


#: What one unit is, wherever it occurs: (class, chars, lb, ink, rb, full_lb, space, glyphs,
#: font, gid and glyph_dx of its one glyph or three None, missing char offsets, width), offsets
#: relative to the unit's start.
Template = tuple[int, int, int, int, int, int, bool, tuple, object, object, object, tuple, int]


def build_units(text: str, metrics: Metrics, settings: Settings) -> Units:
    """Classify, shape and measure a paragraph, and decide every boundary (§3.1 steps 1–5)."""
    classified = classify(text, settings.lang)
    starts: Sequence[int]
    ends: Sequence[int]
    templates, starts = _shape_units(classified, metrics, settings.punct_style)
    # Columns that later steps change are lists; the others stay the tuples zip makes.
    cls, nchars, lbs, inks, rbs, full_lb, spaces, glyphs, font, gid, glyph_dx, missed, widths = (
        zip(*templates, strict=True) if templates else ((),) * 13
    )
    lb, ink, rb, space, width = list(lbs), list(inks), list(rbs), list(spaces), list(widths)
    missing = (
        [s + d for s, offsets in zip(starts, missed, strict=True) if offsets for d in offsets]
        if any(missed)
        else []
    )
    if len(starts) == len(text):  # every unit one character: no offsets to store
        starts, ends = range(len(text)), range(1, len(text) + 1)
    else:
        ends = list(map(add, starts, nchars))
    units = Units(
        text, metrics.em, starts, ends, cls, lb, ink, rb, width, full_lb,
        space, glyphs, font, gid, glyph_dx, [], [], [], [], missing,
    )  # fmt: skip
    for i in {*_absorb_spaces(units, settings), *_compress_pairs(units, settings)}:
        width[i] = lb[i] + ink[i] + rb[i]
    _decide_boundaries(units, settings)
    return units


# --- shaping and widths ---------------------------------------------------------------------

_LATIN_RUN = _LATINISH | {SP, GLUE}
_NO_GLYPH = frozenset({BK, ZW, SHY})
_CACHES: dict[tuple[Metrics, str], tuple[list[dict[str, Template]], dict[str, tuple], dict]] = {}
_CACHED_METRICS = 16
_CACHE_LIMIT = 20000


def _templates_for(metrics: Metrics, style: str):
    """Unit templates of one metrics object and punctuation style, kept across paragraphs: a
    character's unit is worked out once, not at every occurrence. Three caches: per class (the
    class a cluster resolved to), per Latin word, and per character for the characters whose
    class never depends on context, so most of a paragraph is looked up in one `map`."""
    key = (metrics, style)
    caches = _CACHES.get(key)
    if caches is None:
        if len(_CACHES) >= _CACHED_METRICS:
            del _CACHES[next(iter(_CACHES))]
        caches = _CACHES[key] = ([{} for _ in NAMES], {}, {})
    return caches


def _make_room(caches) -> None:
    """Before a new template is kept: start the caches afresh once they hold too many."""
    by_class, words, by_char = caches
    if sum(map(len, by_class)) + len(words) > _CACHE_LIMIT:
        for cache in by_class:
            cache.clear()
        words.clear()
        by_char.clear()


def _shape_units(
    c: Classified, metrics: Metrics, style: str
) -> tuple[list[Template], Sequence[int]]:
    """The template and start offset of every unit, in order."""
    caches = _templates_for(metrics, style)
    by_class, words, by_char = caches
    text, classes, cstarts = c.text, c.classes, c.starts
    n = len(classes)
    if n == len(text):  # one cluster per character: look the context-free ones up at once
        known = list(map(by_char.get, text))
        if None not in known:
            return known, range(n)
    else:
        known = [None] * n
    templates: list[Template] = []
    starts: list[int] = []
    i = 0
    while i < n:
        if known[i] is not None:
            try:
                j = known.index(None, i)
            except ValueError:
                j = n
            templates += known[i:j]
            starts += range(i, j)
            i = j
            continue
        cls = classes[i]
        start = cstarts[i]
        if cls in _LATIN_RUN:
            j = i + 1
            if cls != SP:
                while j < n and classes[j] in _LATINISH:
                    j += 1
            word = text[start : cstarts[j]]
            units = words.get(word)
            if units is None:
                _make_room(caches)
                units = words[word] = _latin_units(c, i, j, metrics)
            for offset, template in units:
                templates.append(template)
                starts.append(start + offset)
            i = j
            continue
        chars = text[start : cstarts[i + 1]]
        cache = by_class[cls]
        template = cache.get(chars)
        if template is None:
            _make_room(caches)
            template = cache[chars] = _cjk_template(chars, cls, metrics, style)
            if len(chars) == 1 and CLASS_OF[chars] == cls and cls not in CONTEXTUAL_CLASSES:
                by_char[chars] = template
        templates.append(template)
        starts.append(start)
        i += 1
    return templates, starts


def _cjk_template(chars: str, cls: int, metrics: Metrics, style: str) -> Template:
    """One Chinese-role cluster (or dash/ellipsis run) as a unit."""
    nchars = len(chars)
    if cls in _NO_GLYPH:
        return _template(cls, nchars, 0, 0, 0, 0, False, (), ())
    em = metrics.em
    blank = half = em // 2
    glyph = metrics.cjk(chars)
    missing = (0,) if glyph.gid == 0 else ()
    adv = glyph.advance
    if cls in (OP, CL, PAUSE, STOP):
        narrow = style in ("kaiming", "banjiao") and not (cls == STOP and style == "kaiming")
        side = 0 if narrow else blank
        lb, rb = (side, 0) if cls == OP else (0, side)
        full_lb = blank if cls == OP else 0
        dx = em - adv if cls == OP else 0  # ink towards the text it belongs to
        parts = ((glyph, dx, 0, nchars),)
        return _template(cls, nchars, lb, em - blank, rb, full_lb, False, _glyphs(parts), missing)
    if cls in (MID, SOL) or (cls == CONN and chars in _HALF_CONN):
        box = adv if cls == MID and style == "plain" else half
        if cls == SOL and adv > box:  # ／'s ink fills an em: a ½-em cell takes the narrow /
            slash = metrics.cjk("/")
            if slash.gid and slash.advance <= box:
                glyph, adv = slash, slash.advance
        parts = ((glyph, (box - adv) // 2, 0, nchars),)
        return _template(cls, nchars, 0, box, 0, 0, False, _glyphs(parts), missing)
    if cls in (DASH, ELL, CONN):
        # Fixed one em per character (⸺ two, ⸻ three), each glyph centred in its cells; a
        # 破折号 —— is one unbroken stroke, the face's two-em dash, where it has one.
        two = _two_em_dash(glyph, metrics) if cls == DASH and "——" in chars else None
        pieces: list[tuple[ShapedGlyph, int, int, int]] = []
        x = k = 0
        while k < nchars:
            ch = chars[k]
            if two is not None and chars.startswith("——", k):
                pieces.append((two, x + (2 * em - two.advance) // 2, k, k + 2))
                x += 2 * em
                k += 2
                continue
            g = glyph if k == 0 else metrics.cjk(ch)
            cells = em * (3 if ch == "⸻" else 2 if ch == "⸺" else 1)
            pieces.append((g, x + (cells - g.advance) // 2, k, k + 1))
            x += cells
            k += 1
        return _template(cls, nchars, 0, x, 0, 0, False, _glyphs(pieces), missing)
    # H, IS, NS: the font's own advance (one em in a CJK face)
    glyphs = _glyphs(((glyph, 0, 0, nchars),))
    return _template(cls, nchars, 0, adv, 0, 0, False, glyphs, missing)


def _two_em_dash(dash, metrics: Metrics):
    """The face's ⸺ (U+2E3A) if the face drawing — has a real two-em one, else None."""
    two = metrics.cjk("⸺")
    if two.gid and two.font == dash.font and 2 * two.advance > 3 * metrics.em:
        return two
    return None


def _template(cls, nchars, lb, ink, rb, full_lb, space, glyphs, missing) -> Template:
    if len(glyphs) == 1 and glyphs[0][3:] == (0, nchars):  # one glyph draws the whole unit
        font, gid, dx, _, _ = glyphs[0]
        one = (font, gid, dx - full_lb)
    else:
        one = (None, None, None)
    return (cls, nchars, lb, ink, rb, full_lb, space, glyphs, *one, missing, lb + ink + rb)


def _glyphs(parts) -> tuple[tuple[str, int, int, int, int], ...]:
    return tuple((g.font, g.gid, dx + g.dx, s, e) for g, dx, s, e in parts)


def _latin_units(
    c: Classified, i: int, j: int, metrics: Metrics
) -> tuple[tuple[int, Template], ...]:
    """Clusters i..j-1 shaped as one Latin word; units follow grapheme and shaping clusters.
    Returns (offset in the word, template) per unit."""
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
    units = []
    gi = 0
    for a, b in itertools.pairwise(bounds):
        parts = []
        missing = []
        x = 0
        while gi < len(shaped) and shaped[gi].cluster < b:
            g = shaped[gi]
            if g.gid == 0:
                missing.append(g.cluster - a)
            parts.append((g, x, 0, b - a))
            x += g.advance
            gi += 1
        cls = classes[a]
        space = cls == SP and word[a] == " "
        template = _template(cls, b - a, 0, x, 0, 0, space, _glyphs(parts), tuple(missing))
        units.append((a, template))
    return tuple(units)


def _absorb_spaces(u: Units, settings: Settings) -> list[int]:
    """A single U+0020 between Han and Latin becomes the autospace itself (§1.4). Returns the
    units whose width changed."""
    if not (settings.absorb_ascii_space and settings.autospace):
        return []
    n = len(u)
    changed = []
    for i in list(itertools.compress(range(n), u.space)):
        if i == 0 or i == n - 1 or u.ends[i] - u.starts[i] != 1:
            continue
        a, b = u.cls[i - 1], u.cls[i + 1]
        if (a in _HANISH and _latin_for_space(u, i + 1)) or (
            b in _HANISH and _latin_for_space(u, i - 1)
        ):
            u.ink[i] = 0
            u.space[i] = False
            changed.append(i)
    return changed


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

_PAIR_FIRST = CLOSING | {OP, MID}


def _compress_pairs(u: Units, settings: Settings) -> list[int]:
    """Returns the units whose width changed."""
    if not settings.pair_compression:
        return []
    n = len(u)
    changed = []
    cls, text, starts = u.cls, u.text, u.starts
    # Runs of ？/！: every mark but the last loses its blank; the last too when the run is even.
    marks = [
        i
        for i in itertools.compress(range(n), map(STOP.__eq__, cls))
        if text[starts[i]] in EXCLAIM_QUESTION
    ]
    run: list[int] = []
    for i in [*marks, -1]:
        if run and i != run[-1] + 1:
            for k in run[:-1]:
                u.rb[k] = 0
            if len(run) % 2 == 0:
                u.rb[run[-1]] = 0
            changed += run
            run = []
        run.append(i)
    grid = settings.grid_mode
    for k in list(itertools.compress(range(n - 1), map(_PAIR_FIRST.__contains__, cls))):
        a, b = cls[k], cls[k + 1]
        if a in CLOSING and (b in CLOSING or b in (OP, MID)):
            u.rb[k] = 0
            if grid:  # the pair takes exactly one em
                u.lb[k + 1] = u.rb[k + 1] = 0
        elif (a == OP and b == OP) or (a == MID and b == OP):
            u.lb[k + 1] = 0
            if grid:
                u.lb[k] = 0
        else:
            continue
        changed += (k, k + 1)
    return changed


# --- boundaries (§1.2, §1.3, §2.6, §3.5) ----------------------------------------------------

#: Classes whose boundaries depend on the two classes alone (no autospace, no text).
_CONTEXT_FREE = frozenset({H, IS, OP, CL, PAUSE, STOP, MID, CONN, DASH, ELL, SOL, NS})
#: Placeholder of a boundary that needs its text and neighbours to be decided.
_IN_CONTEXT = (LEGAL, "in context", False)


@lru_cache(maxsize=16)
def _pair_table(level: str, relax_exq: bool) -> tuple[tuple[int, str, bool], ...]:
    """(break kind, rule, E3) of every context-free class pair, indexed by a << 5 | b."""
    table = [_IN_CONTEXT] * (32 * 32)
    after = _CONTEXT_FREE - {STOP} if relax_exq else _CONTEXT_FREE  # ？！ are looked at
    for a in _CONTEXT_FREE:
        for b in after:
            kind, rule = _kind(a, b, "", a, "", level, relax_exq)
            table[a << 5 | b] = (kind, rule, _expandable(a, b))
    return tuple(table)


def _decide_boundaries(u: Units, settings: Settings) -> None:
    n = len(u)
    auto_nat = lengths(settings, u.em).auto
    u.auto = [0] * (n + 1)
    level, relax = settings.kinsoku_level, settings.relax_exq_line_start
    cls = u.cls
    table = _pair_table(level, relax)
    pairs = [table[a << 5 | b] for a, b in itertools.pairwise(cls)]
    if pairs:
        kinds, rules, e3s = zip(*pairs, strict=True)
        u.brk, u.rule, u.e3 = [LEGAL, *kinds, LEGAL], ["", *rules, ""], [False, *e3s, False]
    else:
        u.brk, u.rule, u.e3 = [LEGAL] * (n + 1), [""] * (n + 1), [False] * (n + 1)
    # The others one by one. A line ending at k visibly ends with the last unit before k that is
    # no space; a space's own boundary always needs context, so it was decided just before.
    last_k, last_visible = 0, -1
    for k in [k for k, pair in enumerate(pairs, 1) if pair is _IN_CONTEXT]:
        a = k - 1
        if cls[a] not in _SPACE_LIKE:
            last_visible = a
        elif last_k != a:
            last_visible = -1  # a == 0
        last_k = k
        u.brk[k], u.rule[k] = _break_kind(u, a, k, last_visible, level, relax)
        pair = _autospace_pair(u, a, k)
        if pair and auto_nat:
            u.auto[k] = auto_nat
        u.e3[k] = not pair and _expandable(cls[a], cls[k])
    if settings.grid_mode:
        _pad_latin_runs(u)
    if _FULLWIDTH_DIGITS.search(u.text):
        _join_fullwidth_numbers(u)


_FULLWIDTH_DIGITS = re.compile("[０-９][０-９，．]*[０-９]")


def _join_fullwidth_numbers(u: Units) -> None:
    """A number in full-width digits (１０００, １．５) is never split and never spaced (§1.2)."""
    unit_of = {start: i for i, start in enumerate(u.starts)}
    for match in _FULLWIDTH_DIGITS.finditer(u.text):
        first, last = unit_of.get(match.start()), unit_of.get(match.end() - 1)
        if first is None or last is None:
            continue
        for k in range(first + 1, last + 1):
            u.brk[k], u.rule[k], u.e3[k] = NEVER, "number", False


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
        run = sum(u.width[i : j + 1]) + sum(u.auto[i + 1 : j + 1])
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


def _break_kind(u: Units, a: int, b: int, last_visible: int, level: str, relax_exq: bool):
    ca, cb = u.cls[a], u.cls[b]
    text = u.text
    if ca in _LATINISH and cb in _LATINISH:
        if not _latin_break(text, u.starts[a], u.starts[b]):
            return NEVER, "word"
        return (STRONG, "start") if cb == POST and level in ("gb", "strict") else (LEGAL, "")
    end_cls = u.cls[last_visible] if last_visible >= 0 else -1
    end_char = text[u.ends[last_visible] - 1] if last_visible >= 0 else ""
    return _kind(ca, cb, text[u.starts[b]], end_cls, end_char, level, relax_exq)


def _kind(
    ca: int, cb: int, b_char: str, end_cls: int, end_char: str, level: str, relax_exq: bool
) -> tuple[int, str]:
    """The break kind between classes ca and cb; `end_cls`/`end_char` are of the unit the line
    would visibly end with (-1 for none), `b_char` the first character after the break."""
    if ca == BK:
        return LEGAL, ""
    if cb in (SP, BK, ZW, SHY) or cb == IS:
        return STRONG, "space-start" if cb in (SP, IS) else ""
    if ca == GLUE or cb == GLUE:
        return NEVER, "glue"
    if ca in (ZW, SHY):
        return LEGAL, ""
    start_kind, start_rule = _no_start(cb, b_char, level, relax_exq)
    end_kind, end_rule = (
        _no_end(end_cls, end_char, cb, b_char, level) if end_cls >= 0 else (LEGAL, "")
    )
    if start_kind >= end_kind:
        return start_kind, start_rule
    return end_kind, end_rule


def _no_start(cb: int, ch: str, level: str, relax_exq: bool) -> tuple[int, str]:
    if cb == NS or (cb == L and (ch in ASCII_NO_START or ch in "”’")):  # §1.3 NO_START
        return STRONG, "start"
    if level == "none":
        return LEGAL, ""
    if cb in CLOSING:
        if cb == STOP and ch in EXCLAIM_QUESTION and relax_exq:
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


def _no_end(ca: int, last_char: str, cb: int, b_char: str, level: str) -> tuple[int, str]:
    if ca == L and last_char in ASCII_NO_END:
        return STRONG, "end"
    if ca == PRE and cb == L and b_char.isdigit():
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
    if b in ASCII_NO_START or a in ASCII_NO_END:  # LB13, LB14: "—." and "(—" stay together
        return False
    if a == "—" or b == "—":
        return True
    if not b.isalpha():
        return False
    if a in "-‐":
        return b_start - 1 > 0 and not text[b_start - 2].isspace()
    return a in "/!?"
