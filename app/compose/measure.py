"""Measuring candidate lines (cjk-composition §3.2): in O(1) with prefix sums over a paragraph.

`natural(s, b)` is the width of units s..b-1 set as one line: line-start trim of an opening mark,
line-end trim of a closing mark, trailing spaces and edge autospace dropped, the style's tracking
in every gap between its units (none after the last). `shrink` is what the reduction levels
R1–R6 could still take out (tracking is fixed), `stretch_caps` what E1/E2 could add, and `gaps` the
number of E3 gaps: these are summed over the line, since only lines at a kinsoku conflict ask.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, compress

from app.compose.classes import BK, SP, STOP, ZW
from app.compose.config import Settings, lengths
from app.compose.segment import Units

_INVISIBLE = frozenset({SP, BK, ZW})


class LineMeasure:
    """Prefix sums of one paragraph's units under one set of settings."""

    def __init__(self, u: Units, settings: Settings) -> None:
        self.u = u
        self.settings = settings
        em = u.em
        n = len(u)
        _, space_min, space_max, _, auto_shrink, auto_stretch, tracking = lengths(settings, em)
        self.space_min, self.space_max = space_min, space_max
        self.tracking = tracking
        self.auto_shrink, self.auto_stretch = auto_shrink, auto_stretch
        trims_end = settings.punct_style != "plain" and not settings.keep_end_if_fits
        self.trims_end = trims_end
        self.trims_start = settings.trim_open_at_line_start and settings.punct_style in (
            "quanjiao",
            "kaiming",
            "banjiao",
        )
        cls, lb, rb = u.cls, u.lb, u.rb
        # Only an opening mark has a left blank and only a closing one a right blank (segment),
        # so a line's edge trims are the blanks of its edge units.
        self._lb, self._rb = lb, rb
        self._trims_para_start = settings.trim_open_at_para_start
        widths = u.width
        self.widths = list(accumulate(widths, initial=0))
        # Boundary sums: index k covers boundaries 1..k, each its autospace and the tracking.
        autos = u.auto[1:n]
        self.glue = list(accumulate(autos, initial=0)) if any(autos) else [0] * max(n, 1)
        if tracking:
            self.glue = [glue + k * tracking for k, glue in enumerate(self.glue)]
        # lastvis[b]: the last visible unit before b
        lastvis: Sequence[int] = range(-1, n)
        if not _INVISIBLE.isdisjoint(cls):
            lastvis = list(lastvis)
            for i in compress(range(n), map(_INVISIBLE.__contains__, cls)):
                lastvis[i + 1] = lastvis[i]
        self._lastvis = lastvis
        warning = settings.loose_warning
        self.loose_warning = (warning.numerator, warning.denominator)
        #: Whether a line's natural width can only grow with its end (so `fit` may search).
        tighten = min(tracking, 0)
        self.monotone = n == 0 or (
            min(widths) + tighten >= 0 and min(rb) >= 0 and min(u.auto) + tighten >= 0
        )

    # --- edges ---------------------------------------------------------------------------

    def last_visible(self, s: int, b: int) -> int:
        """The last unit of [s, b) that is not a trailing space or break; s - 1 if none."""
        e = self._lastvis[b]
        return e if e >= s else s - 1

    def start_trim(self, s: int) -> int:
        """Blank removed from an opening mark that starts a wrapped line (§2.4)."""
        if not self.trims_start or (s == 0 and not self._trims_para_start):
            return 0
        return self._lb[s]

    def end_trim(self, e: int) -> int:
        """Blank removed from a closing mark that ends a line (GB 5.1.10)."""
        return self._rb[e] if self.trims_end else 0

    # --- sums ----------------------------------------------------------------------------

    def natural(self, s: int, b: int) -> int:
        e = self._lastvis[b]
        if e < s:
            return 0
        width, glue = self.widths, self.glue
        natural = width[e + 1] - width[s] + glue[e] - glue[s]
        if self.trims_start and (s or self._trims_para_start):
            natural -= self._lb[s]
        if self.trims_end:
            natural -= self._rb[e]
        return natural

    def span(self, s: int, e: int) -> int:
        """Units s..e with their blanks and the autospace between them, nothing trimmed."""
        return self.widths[e + 1] - self.widths[s] + self.glue[e] - self.glue[s]

    def shrink(self, s: int, b: int) -> int:
        """What R1–R6 could take out of [s, b): punctuation blanks, word spaces down to their
        minimum, autospace down to its minimum. Summed over the line itself: only a line at a
        kinsoku conflict asks, a few per paragraph."""
        e = self.last_visible(s, b)
        if e < s:
            return 0
        u, settings = self.u, self.settings
        total = 0
        # Only OP, CL, PAUSE and STOP have blanks (and a STOP only a right one), so what a
        # unit can give up is its blanks.
        if settings.compressible:
            total = sum(u.lb[s : e + 1]) + sum(u.rb[s : e + 1])
            if not settings.compress_stops:
                stops = zip(u.cls[s : e + 1], u.rb[s : e + 1], strict=True)
                total -= sum(rb for c, rb in stops if c == STOP)
            total -= self.start_trim(s)
            if u.cls[e] != STOP or settings.compress_stops:
                total -= self.end_trim(e)
        if True in u.space[s : e + 1]:
            for i in compress(range(s, e + 1), u.space[s : e + 1]):  # spaces have no blanks
                total += max(0, u.ink[i] - self.space_min)
        return total + self.auto_shrink * self._autospaces(s, e)

    def stretch_caps(self, s: int, b: int) -> int:
        """What E1 (word spaces) and E2 (autospace) could add to [s, b)."""
        e = self.last_visible(s, b)
        if e < s:
            return 0
        u = self.u
        total = 0
        if True in u.space[s : e + 1]:
            total = sum(
                max(0, self.space_max - u.ink[i])
                for i in compress(range(s, e + 1), u.space[s : e + 1])
            )
        return total + self.auto_stretch * self._autospaces(s, e)

    def _autospaces(self, s: int, e: int) -> int:
        """Boundaries s+1..e that hold an autospace."""
        autos = self.u.auto[s + 1 : e + 1]
        return len(autos) - autos.count(0)

    def fit(self, s: int, end: int, w: int) -> int:
        """The last boundary b in [s, end] such that units s..b-1 and every shorter line from s
        fit in `w` at their natural width; s when even one unit is too wide."""
        natural = self.natural
        if not self.monotone:
            p = s
            for b in range(s + 1, end + 1):
                if natural(s, b) > w:
                    break
                p = b
            return p
        # Start where the full widths run out, then gallop and bisect to the exact boundary.
        guess = bisect_right(self.widths, self.widths[s] + w, s + 1, end + 1) - 1
        if guess > s and natural(s, guess) > w:
            lo, hi = s, guess
        else:
            lo, step = guess, 1
            while lo + step <= end and natural(s, lo + step) <= w:
                lo += step
                step *= 2
            hi = min(lo + step, end + 1)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if natural(s, mid) <= w:
                lo = mid
            else:
                hi = mid
        return lo

    def gaps(self, s: int, b: int) -> int:
        """E3 gaps inside [s, b): boundaries s+1..e."""
        e = self.last_visible(s, b)
        if e <= s:
            return 0
        return self.u.e3[s + 1 : e + 1].count(True)
