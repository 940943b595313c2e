"""Preflight: what the plant would reject, found before the PDF leaves the building.

Checks the composed page (`PageLayout`), its fonts and its pictures against the
newspaper rules of `newspaper.md` §3. Each finding is data (`Finding`: code,
severity, block, arguments); `describe` words it, Chinese first, saying what to do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import uharfbuzz as hb

from app.compose.layout import (
    Box,
    Color,
    Finding,
    GlyphRun,
    Image,
    PageLayout,
    Rule,
    Severity,
    to_pt,
)
from app.errors import PasteupError
from app.export.adcheck import ad_findings
from app.export.colors import BUNDLED_PROFILE
from app.export.overlap import overlap_findings
from app.export.pictures import UnreadableImage, prepare_image
from app.export.wordlist import word_findings
from app.fonts.face import face_count

Args = tuple[tuple[str, str | int | float], ...]  # a Finding's args

TEXT_KINDS = frozenset({"text", "article", "caption"})
PROCESS_MODES = frozenset({"CMYK", "L", "1", "LA", "I", "I;16", "F"})


class PreflightOptions(NamedTuple):
    """`ink_limit`: maximum total area coverage in percent (the layout's, 240 on newsprint).
    `profile`: the CMYK profile photos will be converted through (None: the bundled one).
    A named tuple: defined on every print export, a dataclass costs ~10x more to define."""

    ink_limit: float = 240.0
    profile: Path | None = None
    min_ppi_error: float = 170.0
    min_ppi_warning: float = 200.0
    min_rule_pt: float = 0.25
    headlines: frozenset[tuple[str, int]] = frozenset()  # (story, paragraph) set as headlines
    words: tuple[tuple[str, str], ...] = ()  # the newsroom's word list: (word, suggestion)


DEFAULT_OPTIONS = PreflightOptions()

# code → (Chinese, English): what is wrong and what to do; {names} come from Finding.args
MESSAGES: dict[str, tuple[str, str]] = {
    "missing-glyph": (
        "没有字体能排出“{chars}”：换用含这些字的字体，或改字",
        "no font can draw “{chars}”: use a font that has them, or change the text",
    ),
    "font-not-embeddable": (
        "字体 {font} 的授权不允许嵌入 (fsType {fs_type})：换用可嵌入的字体",
        "font {font} may not be embedded (fsType {fs_type}): use an embeddable font",
    ),
    "font-no-subsetting": (
        "字体 {font} 不允许取子集 (fsType {fs_type})：换用字体",
        "font {font} forbids subsetting (fsType {fs_type}): use another font",
    ),
    "overset": (
        "文字溢出 {chars} 字：删减稿件或加大文框",
        "overset text, {chars} characters: cut the story or enlarge the frame",
    ),
    "headline-overflow": (
        "标题超出标题区 {lines} 行：缩短标题或加大标题区",
        "headline overflows its area by {lines} lines: shorten it or enlarge the area",
    ),
    "image-missing": (
        "图片不存在：{path}：重新链接图片",
        "image not found: {path}: relink the picture",
    ),
    "image-unreadable": (
        "图片无法读取：{path}：换一个完好的图片文件",
        "cannot read image: {path}: replace the file",
    ),
    "image-outside-folder": (
        "图片在版面文件夹之外：{path}：交付印厂前复制到版面旁",
        "picture outside the page's folder: {path}: copy it beside the page before delivery",
    ),
    "image-resolution-low": (
        "图片有效分辨率仅 {ppi} ppi（横 {ppi_x}，纵 {ppi_y}；至少 {minimum}）：换高分辨率原图或缩小图框",
        "effective image resolution is {ppi} ppi ({ppi_x} across, {ppi_y} down; needs {minimum}): use a larger original or a smaller frame",
    ),
    "image-placeholder": (
        "占位图不能付印：{path}：换上正式图片",
        "placeholder (FPO) picture cannot go to print: {path}: place the real photo",
    ),
    "image-distorted": (
        "图片横向 {ppi_x} ppi、纵向 {ppi_y} ppi，已变形：改用“填满”或“适合”",
        "picture distorted: {ppi_x} ppi across, {ppi_y} ppi down: fit it proportionally",
    ),
    "image-rgb": (
        "RGB 图片将按 {profile} 转为 CMYK：请核对颜色",
        "RGB picture will be converted to CMYK with {profile}: check its colours",
    ),
    "ink-over-limit": (
        "总墨量 {ink}% 超过 {limit}%：减淡颜色或降低暗部",
        "total ink {ink}% exceeds {limit}%: lighten the colour or the shadows",
    ),
    "text-too-small-one-colour": (
        "单色文字 {size} pt 小于 6 pt：加大字号",
        "single-colour text {size} pt is below 6 pt: enlarge it",
    ),
    "text-too-small-tint": (
        "网点色文字 {size} pt 小于 8 pt：加大字号或改用实色",
        "tinted text {size} pt is below 8 pt: enlarge it or use a solid colour",
    ),
    "text-too-small-multicolour": (
        "多色叠印文字 {size} pt 小于 10 pt：加大字号或改为单色",
        "multi-colour text {size} pt is below 10 pt: enlarge it or use one ink",
    ),
    "text-too-small-reversed": (
        "反白文字 {size} pt 小于 10 pt：加大字号或加粗",
        "reversed (white) text {size} pt is below 10 pt: enlarge or embolden it",
    ),
    "rule-too-thin": (
        "线条 {weight} pt 细于 {minimum} pt，印刷时可能断线：加粗",
        "rule of {weight} pt is thinner than {minimum} pt and may break up: thicken it",
    ),
    "headline-on-text": (
        "标题压在{other}的文字上：移开或缩小其中一块",
        "headline printed over the text of {other}: move or shrink one of them",
    ),
    "caption-on-text": (
        "图说与{other}的文字重叠：移开图说或让文字绕排",
        "caption printed over the text of {other}: move it or let the text wrap",
    ),
    "text-on-text": (
        "文字与{other}的文字重叠：移开或缩小其中一块",
        "text printed over the text of {other}: move or shrink one of them",
    ),
    "text-on-picture": (
        "文字压在图片{other}上：移开文字或图片",
        "text printed over the picture {other}: move the text or the picture",
    ),
    "word-banned": (
        "词表禁用词“{word}”：改写",
        "“{word}” is on the word list of words not to print: rewrite it",
    ),
    "word-confused": (
        "“{word}”应为“{suggestion}”（词表）：核对后改正",
        "“{word}” should be “{suggestion}” (word list): check and correct it",
    ),
    "ad-missing": (
        "广告文件不存在：{path}：向广告部索取",
        "ad file not found: {path}: ask the ad department for it",
    ),
    "ad-unreadable": (
        "广告文件无法读取：{path}（{reason}）：向广告部索取完好的文件",
        "cannot read the ad file: {path} ({reason}): ask for a sound file",
    ),
    "ad-size": (
        "广告 {ad} 的成品尺寸 {ad_size} 与广告位 {slot_size} 不符（容差 {tolerance} mm）：请广告公司按广告位重新输出",
        "ad {ad} is {ad_size} (trim box), its slot {slot_size} (tolerance {tolerance} mm): ask for a file sized to the slot",
    ),
    "ad-rgb": (
        "广告 {ad} 含 RGB 颜色（{what}）：印刷需 CMYK，请广告公司输出 PDF/X-1a 或 PDF/X-4",
        "ad {ad} uses RGB colour ({what}): the press needs CMYK, ask for PDF/X-1a or PDF/X-4",
    ),
    "ad-font-not-embedded": (
        "广告 {ad} 的字体未嵌入（{what}）：请广告公司嵌入字体或转曲后重新输出",
        "ad {ad} has fonts not embedded ({what}): ask for a file with its fonts embedded",
    ),
    "ad-forbidden": (
        "广告 {ad} 含 PDF/X 不允许的内容（{what}）：请广告公司输出 PDF/X-1a 或 PDF/X-4",
        "ad {ad} holds what PDF/X forbids ({what}): ask for PDF/X-1a or PDF/X-4",
    ),
    "ad-pdfx4-only": (
        "广告 {ad} 使用 {what}，只能输出 PDF/X-4（PDF/X-1a 不允许）",
        "ad {ad} uses {what}: it can go out as PDF/X-4 only, not PDF/X-1a",
    ),
    "ad-overlap": (
        "文框压住广告 {ad}：文字不得进入广告位，移开文框",
        "text frame runs into ad {ad}: move the frame off the booked ad",
    ),
    "empty-text-frame": (
        "文框是空的：填入稿件或删除文框",
        "empty text frame: flow a story into it or delete it",
    ),
}


def describe(finding: Finding, language: str = "zh") -> str:
    """One line for people: where, what, what to do (zh or en)."""
    zh, en = MESSAGES.get(finding.code, (finding.code, finding.code))
    text = (zh if language == "zh" else en).format_map(_Args(finding.args))
    where = f"[{finding.block}] " if finding.block else ""
    level = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}
    return f"{level[finding.severity][0 if language == 'zh' else 1]} {where}{text}"


class _Args(dict):
    def __init__(self, pairs) -> None:
        super().__init__(pairs)

    def __missing__(self, key: str) -> str:
        return "?"


def findings_json(findings: tuple[Finding, ...]) -> str:
    return json.dumps(
        [
            {
                "code": f.code,
                "severity": f.severity,
                "block": f.block,
                "story": f.story,
                "args": dict(f.args),
                "message_zh": describe(f, "zh"),
                "message_en": describe(f, "en"),
            }
            for f in findings
        ],
        ensure_ascii=False,
        indent=1,
    )


def has_errors(findings: tuple[Finding, ...]) -> bool:
    return any(f.severity == "error" for f in findings)


def preflight(
    layout: PageLayout, options: PreflightOptions = DEFAULT_OPTIONS
) -> tuple[Finding, ...]:
    profile = options.profile or BUNDLED_PROFILE
    findings: list[Finding] = []
    findings += _from_layout(layout.findings)
    findings += _overset_blocks(layout, findings)
    findings += _fonts(layout)
    findings += overlap_findings(layout, options.headlines)
    findings += word_findings(layout, options.words)
    written = {line.block for line in layout.lines}
    slots = {frame.block: frame.rect for frame in layout.blocks if frame.kind == "ad"}
    for item in layout.items:
        match item:
            case GlyphRun():
                findings += _run(item, options)
                written.add(item.block)
            case Rule():
                findings += _rule(item.weight, item.color, item.block, options)
            case Box():
                if item.stroke is not None and item.weight > 0:
                    findings += _rule(item.weight, item.stroke, item.block, options)
                if item.fill is not None:
                    findings += _ink(item.fill, item.block, options)
            case Image() if item.pdf and not item.placeholder:
                findings += ad_findings(item, slots.get(item.block, item.rect))
            case Image():
                findings += _image(item, profile, options)
    findings += [
        Finding("empty-text-frame", "warning", block=frame.block)
        for frame in layout.blocks
        if frame.kind in TEXT_KINDS and frame.block not in written
    ]
    return tuple(_unique(findings))


# the composer's findings that matter for print, under preflight's codes
_LAYOUT_CODES = {
    "missing-glyph": "missing-glyph",
    "overset": "overset",
    "headline-overflow": "headline-overflow",
    "missing-image": "image-missing",
    "bad-image": "image-unreadable",
    "outside-folder": "image-outside-folder",
    "ad-missing": "ad-missing",
    "ad-unreadable": "ad-unreadable",
    "ad-overlap": "ad-overlap",
}


def _from_layout(findings: tuple[Finding, ...]) -> list[Finding]:
    result = []
    for finding in findings:
        code = _LAYOUT_CODES.get(finding.code)
        if code is None:
            continue
        args = tuple((("chars" if name == "char" else name), value) for name, value in finding.args)
        result.append(Finding(code, finding.severity, finding.block, finding.story, args))
    return result


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once, in order."""
    return list(dict.fromkeys(findings))


def _overset_blocks(layout: PageLayout, known: list[Finding]) -> list[Finding]:
    reported = {f.block for f in known if f.code == "overset"}
    return [
        Finding("overset", "error", block=frame.block, args=(("chars", frame.overset_chars),))
        for frame in layout.blocks
        if frame.overset_chars > 0 and frame.block not in reported
    ]


def _fonts(layout: PageLayout) -> list[Finding]:
    found = []
    for source in layout.fonts:
        fs_type = _fs_type(source.path, source.index)
        name = Path(source.path).name
        args = (("font", name), ("fs_type", f"0x{fs_type:04X}"))
        # bit 1: restricted licence; bit 9: bitmap embedding only (OpenType OS/2 spec)
        if fs_type & 0x000F == 0x0002 or fs_type & 0x0200:
            found.append(Finding("font-not-embeddable", "error", args=args))
        elif fs_type & 0x0100:
            found.append(Finding("font-no-subsetting", "error", args=args))
    return found


def _fs_type(path: str, index: int) -> int:
    if face_count(Path(path)) <= index:
        raise PasteupError(f"{path}: 不是字体文件 (not a TrueType/OpenType font)")
    os2 = hb.Face(hb.Blob.from_file_path(path), index).reference_table("OS/2").data
    return int.from_bytes(os2[8:10], "big") if len(os2) >= 10 else 0


def _run(run: GlyphRun, options: PreflightOptions) -> list[Finding]:
    found = []
    missing = "".join(
        run.text[start:end]
        for gid, (start, end) in zip(run.glyphs, run.clusters, strict=True)
        if gid == 0
    )
    if missing:
        found.append(Finding("missing-glyph", "error", run.block, run.story, (("chars", missing),)))
    size = to_pt(run.size)
    inks = _inks(run.color)
    args = (("size", round(size, 2)),)
    if inks == 0 and size < 10:
        found.append(Finding("text-too-small-reversed", "warning", run.block, run.story, args))
    elif inks > 1 and size < 10:
        found.append(Finding("text-too-small-multicolour", "warning", run.block, run.story, args))
    elif inks == 1 and size < 8 and max(_channels(run.color)) < 1.0:
        found.append(Finding("text-too-small-tint", "warning", run.block, run.story, args))
    elif inks == 1 and size < 6:
        found.append(Finding("text-too-small-one-colour", "warning", run.block, run.story, args))
    return found + _ink(run.color, run.block, options)


def _channels(color: Color) -> tuple[float, float, float, float]:
    return (color.c, color.m, color.y, color.k)


def _inks(color: Color) -> int:
    return sum(1 for v in _channels(color) if v > 0)


def _rule(weight: int, color: Color, block: str, options: PreflightOptions) -> list[Finding]:
    found = _ink(color, block, options)
    if to_pt(weight) < options.min_rule_pt:
        args = (("weight", round(to_pt(weight), 3)), ("minimum", options.min_rule_pt))
        found.append(Finding("rule-too-thin", "error", block, args=args))
    return found


def _ink(color: Color, block: str, options: PreflightOptions) -> list[Finding]:
    ink = color.total_ink()
    if ink > options.ink_limit + 1e-9:
        args = (("ink", round(ink)), ("limit", round(options.ink_limit)))
        return [Finding("ink-over-limit", "error", block, args=args)]
    return []


DISTORTION = 0.005  # relative difference of the two axes' ppi that shows as distortion


def effective_ppi(image: Image) -> tuple[float, float]:
    """Source pixels per inch across and down, as the picture is placed (0 for an empty
    frame)."""
    left, top, right, bottom = image.crop
    inches_x, inches_y = to_pt(image.rect.w) / 72, to_pt(image.rect.h) / 72
    if inches_x <= 0 or inches_y <= 0:
        return 0.0, 0.0
    return (right - left) / inches_x, (bottom - top) / inches_y


def _image(image: Image, profile: Path, options: PreflightOptions) -> list[Finding]:
    path = Path(image.path)
    if image.placeholder:
        return [Finding("image-placeholder", "error", image.block, args=(("path", str(path)),))]
    if not path.is_file():
        return [Finding("image-missing", "error", image.block, args=(("path", str(path)),))]
    try:  # the conversion export will embed (cached): one decode serves both
        prepared = prepare_image(image.path, image.crop, "cmyk", profile, options.ink_limit)
    except UnreadableImage:
        return [Finding("image-unreadable", "error", image.block, args=(("path", str(path)),))]
    found = []
    ppi_x, ppi_y = effective_ppi(image)
    ppi = min(ppi_x, ppi_y)
    axes: Args = (("ppi_x", round(ppi_x)), ("ppi_y", round(ppi_y)))
    thresholds: tuple[tuple[float, Severity], ...] = (
        (options.min_ppi_error, "error"),
        (options.min_ppi_warning, "warning"),
    )
    for limit, severity in thresholds:
        if ppi < limit:
            args: Args = (("ppi", round(ppi)), ("minimum", round(limit)), *axes)
            found.append(Finding("image-resolution-low", severity, image.block, args=args))
            break
    if abs(ppi_x - ppi_y) > DISTORTION * max(ppi_x, ppi_y):
        found.append(Finding("image-distorted", "warning", image.block, args=axes))
    if prepared.source_mode not in PROCESS_MODES:
        found.append(Finding("image-rgb", "info", image.block, args=(("profile", profile.name),)))
    ink = prepared.max_ink
    if ink > options.ink_limit:
        args = (("ink", round(ink)), ("limit", round(options.ink_limit)))
        found.append(Finding("ink-over-limit", "error", image.block, args=args))
    return found
