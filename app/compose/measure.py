"""Measuring candidate lines in O(1) (cjk-composition §3.2) with prefix sums over a paragraph.

`natural(s, b)` is the width of units s..b-1 set as one line: line-start trim of an opening mark,
line-end trim of a closing mark, trailing spaces and edge autospace dropped. `shrink` is what the
reduction levels R1–R6 could still take out, `stretch_caps` what E1/E2 could add, and `gaps` the
number of E3 gaps.
"""

from __future__ import annotations

from app.compose.classes import BK, CL, CLOSING, OP, PAUSE, SP, STOP, ZW
from app.compose.config import Settings, to_lu
from app.compose.segment import Units

_INVISIBLE = frozenset({SP, BK, ZW})


class LineMeasure:
    """Prefix sums of one paragraph's units under one set of settings."""

    def __init__(self, u: Units, settings: Settings) -> None:
        self.u = u
        self.settings = settings
        em = u.em
        n = len(u)
        space_min = to_lu(em, settings.latin_space_min_max[0])
        space_max = to_lu(em, settings.latin_space_min_max[1])
        auto = settings.autospace
        auto_shrink = auto_stretch = 0
        if auto and not settings.autospace_fixed and not settings.grid_mode:
            auto_shrink = to_lu(em, auto[0]) - to_lu(em, auto[1])
            auto_stretch = to_lu(em, auto[2]) - to_lu(em, auto[0])
        self.space_min, self.space_max = space_min, space_max
        self.auto_shrink, self.auto_stretch = auto_shrink, auto_stretch
        compressible = settings.compressible
        trims_end = settings.punct_style != "plain" and not settings.keep_end_if_fits
        self.trims_end = trims_end
        self.trims_start = settings.trim_open_at_line_start and settings.punct_style in (
            "quanjiao",
            "kaiming",
            "banjiao",
        )
        width = [0] * (n + 1)
        shrink = [0] * (n + 1)
        stretch = [0] * (n + 1)
        glue = [0] * (n + 1)
        gshrink = [0] * (n + 1)
        gstretch = [0] * (n + 1)
        gaps = [0] * (n + 1)
        lastvis = [-1] * (n + 1)
        last = -1
        for i in range(n):
            cls = u.cls[i]
            width[i + 1] = width[i] + u.lb[i] + u.ink[i] + u.rb[i]
            take = 0
            if u.space[i]:
                take = max(0, u.ink[i] - space_min)
                stretch[i + 1] = stretch[i] + max(0, space_max - u.ink[i])
            else:
                stretch[i + 1] = stretch[i]
                if compressible:
                    if cls in (OP, CL, PAUSE):
                        take = u.lb[i] + u.rb[i]
                    elif cls == STOP and settings.compress_stops:
                        take = u.rb[i]
            shrink[i + 1] = shrink[i] + take
            if cls not in _INVISIBLE:
                last = i
            lastvis[i + 1] = last
            k = i + 1  # boundary before unit i + 1
            if k < n:
                a = u.auto[k]
                glue[k] = glue[k - 1] + a
                gshrink[k] = gshrink[k - 1] + (auto_shrink if a else 0)
                gstretch[k] = gstretch[k - 1] + (auto_stretch if a else 0)
                gaps[k] = gaps[k - 1] + u.e3[k]
        self._width, self._shrink, self._stretch = width, shrink, stretch
        self._glue, self._gshrink, self._gstretch, self._gaps = glue, gshrink, gstretch, gaps
        self._lastvis = lastvis

    # --- edges ---------------------------------------------------------------------------

    def last_visible(self, s: int, b: int) -> int:
        """The last unit of [s, b) that is not a trailing space or break; s - 1 if none."""
        e = self._lastvis[b]
        return e if e >= s else s - 1

    def start_trim(self, s: int) -> int:
        """Blank removed from an opening mark that starts a wrapped line (§2.4)."""
        u = self.u
        if u.cls[s] != OP or not self.trims_start:
            return 0
        if s == 0 and not self.settings.trim_open_at_para_start:
            return 0
        return u.lb[s]

    def end_trim(self, e: int) -> int:
        """Blank removed from a closing mark that ends a line (GB 5.1.10)."""
        u = self.u
        return u.rb[e] if self.trims_end and u.cls[e] in CLOSING else 0

    # --- sums ----------------------------------------------------------------------------

    def natural(self, s: int, b: int) -> int:
        e = self.last_visible(s, b)
        if e < s:
            return 0
        return (
            self._width[e + 1]
            - self._width[s]
            + self._glue[e]
            - self._glue[s]
            - self.start_trim(s)
            - self.end_trim(e)
        )

    def shrink(self, s: int, b: int) -> int:
        e = self.last_visible(s, b)
        if e < s:
            return 0
        total = self._shrink[e + 1] - self._shrink[s] + self._gshrink[e] - self._gshrink[s]
        if self.settings.compressible:
            total -= self.start_trim(s)
            if self.u.cls[e] != STOP or self.settings.compress_stops:
                total -= self.end_trim(e)
        return total

    def stretch_caps(self, s: int, b: int) -> int:
        """What E1 (word spaces) and E2 (autospace) could add to [s, b)."""
        e = self.last_visible(s, b)
        if e < s:
            return 0
        return self._stretch[e + 1] - self._stretch[s] + self._gstretch[e] - self._gstretch[s]

    def gaps(self, s: int, b: int) -> int:
        """E3 gaps inside [s, b): boundaries s+1..e."""
        e = self.last_visible(s, b)
        if e <= s:
            return 0
        return self._gaps[e] - self._gaps[s]
