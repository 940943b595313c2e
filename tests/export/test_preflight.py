"""Preflight on hand-built pages: each rule fires on the case it names, and only there."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from pages import kai, sample_layout, serif, set_line
from PIL import Image as PILImage

from app.compose.layout import (
    BlockFrame,
    Box,
    Color,
    FontSource,
    Image,
    PageLayout,
    Rect,
    Rule,
    from_pt,
)
from app.export.colors import BUNDLED_PROFILE
from app.export.pictures import prepare_image
from app.export.preflight import (
    PreflightOptions,
    describe,
    findings_json,
    has_errors,
    preflight,
)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def page(*items, blocks=(), fonts=None, findings=()) -> PageLayout:
    return PageLayout(
        from_pt(300), from_pt(400), 0, tuple(items), (), tuple(blocks),
        fonts or (serif(), kai()), tuple(findings),
    )  # fmt: skip


def codes(layout: PageLayout, **options) -> set[tuple[str, str, str]]:
    return {(f.code, f.severity, f.block) for f in preflight(layout, PreflightOptions(**options))}


def test_a_clean_page_has_no_errors(photo):
    findings = preflight(sample_layout(image=photo))
    assert not has_errors(findings)
    # the sRGB photo is converted (told as info) and sits at 180 ppi (a warning)
    assert {(f.code, f.severity) for f in findings} == {
        ("image-rgb", "info"),
        ("image-resolution-low", "warning"),
    }


def test_missing_glyph_is_an_error_naming_the_characters():
    run = set_line(serif(), "中文", 10, 0, from_pt(20), block="b7")
    broken = run._replace(glyphs=(run.glyphs[0], 0))
    findings = preflight(page(broken))
    assert [(f.code, f.block, f.arg("chars")) for f in findings] == [("missing-glyph", "b7", "文")]
    assert "文" in describe(findings[0]) and "b7" in describe(findings[0])


def test_overset_from_the_layout():
    frame = BlockFrame("a1", "article", Rect(0, 0, 100, 100), overset_chars=42)
    run = set_line(serif(), "中文", 10, 0, from_pt(20), block="a1")
    assert codes(page(run, blocks=[frame])) == {("overset", "error", "a1")}


def test_small_and_reversed_text():
    small = set_line(serif(), "小字", 5.5, 0, from_pt(20), block="s1")
    four = set_line(serif(), "彩字", 9, 0, from_pt(40), block="s2", color=Color(0.5, 0.5, 0, 0.2))
    white = set_line(serif(), "反白", 9, 0, from_pt(60), block="s3", color=Color(0, 0, 0, 0))
    tint = set_line(serif(), "网点", 7, 0, from_pt(80), block="s4", color=Color(k=0.5))
    ok = set_line(serif(), "正文", 9, 0, from_pt(100), block="s5")
    assert codes(page(small, four, white, tint, ok)) == {
        ("text-too-small-one-colour", "warning", "s1"),
        ("text-too-small-multicolour", "warning", "s2"),
        ("text-too-small-reversed", "warning", "s3"),
        ("text-too-small-tint", "warning", "s4"),
    }


def test_thin_rules_and_heavy_ink():
    hairline = Rule(0, 0, from_pt(100), 0, from_pt(0.1), block="r1")
    fine = Rule(0, 10, from_pt(100), 10, from_pt(0.25), block="r2")
    heavy = Box(Rect(0, 0, 100, 100), fill=Color(0.8, 0.7, 0.6, 0.9), block="x1")
    assert codes(page(hairline, fine, heavy)) == {
        ("rule-too-thin", "error", "r1"),
        ("ink-over-limit", "error", "x1"),
    }
    assert codes(page(heavy), ink_limit=300) == set()  # the limit is the layout's to set


def test_image_resolution_missing_and_corrupt(tmp_path, photo):
    sharp = Image(
        str(photo), Rect(0, 0, from_pt(72), from_pt(54)), (0, 0, 320, 240), (320, 240), block="p1"
    )
    soft = Image(
        str(photo),
        Rect(0, 0, from_pt(72 * 1.7), from_pt(54 * 1.7)),
        (0, 0, 320, 240),
        (320, 240),
        block="p2",
    )
    blurry = Image(
        str(photo),
        Rect(0, 0, from_pt(72 * 2), from_pt(54 * 2)),
        (0, 0, 320, 240),
        (320, 240),
        block="p3",
    )
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(photo.read_bytes()[:300])
    gone = sharp._replace(path=str(tmp_path / "gone.jpg"), block="p4")
    bad = sharp._replace(path=str(corrupt), block="p5")
    found = codes(page(sharp, soft, blurry, gone, bad))
    assert ("image-resolution-low", "warning", "p2") in found  # 188 ppi
    assert ("image-resolution-low", "error", "p3") in found  # 160 ppi
    assert not any(code == "image-resolution-low" and block == "p1" for code, _, block in found)
    assert ("image-missing", "error", "p4") in found
    assert ("image-unreadable", "error", "p5") in found


def test_cmyk_photo_over_the_ink_limit_is_limited_in_its_conversion(tmp_path):
    """A CMYK photo at 361 % is embedded within the limit; preflight reads the embedded JPEG."""
    path = tmp_path / "rich.jpg"
    PILImage.new("CMYK", (400, 300), (230, 230, 230, 230)).save(path)
    image = Image(
        str(path), Rect(0, 0, from_pt(100), from_pt(75)), (0, 0, 400, 300), (400, 300), block="p9"
    )
    for limit in (240.0, 200.0):
        assert ("ink-over-limit", "error", "p9") not in codes(page(image), ink_limit=limit)
        prepared = prepare_image(str(path), image.crop, "cmyk", BUNDLED_PROFILE, limit)
        assert 0.9 * limit < prepared.max_ink <= limit
        decoded = np.asarray(PILImage.open(io.BytesIO(prepared.jpeg)), dtype=np.int32)
        assert decoded.sum(axis=2).max() * 100 / 255 == pytest.approx(prepared.max_ink)


def test_font_that_may_not_be_embedded(tmp_path):
    font = TTFont(DEJAVU)
    font["OS/2"].fsType = 0x0002
    restricted = tmp_path / "restricted.ttf"
    font.save(restricted)
    source = FontSource(
        "r", str(restricted), 0, hashlib.sha256(restricted.read_bytes()).hexdigest()
    )
    findings = preflight(page(fonts=(source,)))
    assert [(f.code, f.severity) for f in findings] == [("font-not-embeddable", "error")]


def test_empty_text_frame():
    frame = BlockFrame("t1", "text", Rect(0, 0, 100, 100))
    assert codes(page(blocks=[frame])) == {("empty-text-frame", "warning", "t1")}


def test_messages_in_both_languages_and_json():
    run = set_line(serif(), "中文", 5, 0, from_pt(20), block="b1")
    findings = preflight(page(run))
    assert describe(findings[0], "zh").startswith("警告 [b1]")
    assert describe(findings[0], "en").startswith("warning [b1]")
    record = json.loads(findings_json(findings))
    assert record[0]["code"] == "text-too-small-one-colour" and record[0]["args"]["size"] == 5


@pytest.mark.parametrize("severity", ["error", "warning"])
def test_has_errors_only_counts_errors(severity):
    from app.compose.layout import Finding

    assert has_errors((Finding("x", severity),)) == (severity == "error")
