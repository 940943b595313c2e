"""The bundled fonts: present, within budget, complete for the newspaper repertoire, licensed."""

import bz2
import contextlib
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from app.fonts import Face
from app.fonts.registry import BUNDLED_DIR

MANIFEST = json.loads((BUNDLED_DIR / "manifest.json").read_text(encoding="utf-8"))
FONT_FILES = sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix in (".otf", ".ttf"))
BUDGET = 60 * 1024 * 1024
NOTO_TTC = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
SOURCES_PRESENT = NOTO_TTC.is_file() and UNIHAN.is_file()


def gb2312() -> set[str]:
    """Oracle: every character the gb2312 codec decodes from a two-byte code."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((hi, lo)).decode("gb2312"))
    return chars


def tgh() -> set[str]:
    """Oracle: the 通用规范汉字表 from Unihan's kTGH field."""
    text = bz2.decompress(UNIHAN.read_bytes()).decode("utf-8")
    return {chr(int(m.group(1), 16)) for m in re.finditer(r"^U\+(\w+)\tkTGH\t", text, re.M)}


def test_every_manifest_face_is_bundled_with_its_hash():
    assert sorted(f["file"] for f in MANIFEST["faces"]) == [p.name for p in FONT_FILES]
    for entry in MANIFEST["faces"]:
        data = (BUNDLED_DIR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert len(data) == entry["bytes"]


def test_bundle_is_within_budget():
    total = sum(p.stat().st_size for p in FONT_FILES)
    assert total == MANIFEST["total_bytes"]
    assert total <= BUDGET, f"bundled fonts {total:,} B exceed {BUDGET:,} B"
    # The roles: Song body, heavy serif and Hei headlines, Kai captions.
    roles = {(f["family"], f["weight"]) for f in MANIFEST["faces"]}
    assert {
        ("Noto Serif CJK SC", 400),
        ("Noto Serif CJK SC", 700),
        ("Noto Serif CJK SC", 900),
    } <= roles
    assert {
        ("Noto Sans CJK SC", 400),
        ("Noto Sans CJK SC", 700),
        ("Noto Sans CJK SC", 900),
    } <= roles
    assert ("Pasteup WenKai", 400) in roles


@pytest.mark.skipif(not UNIHAN.is_file(), reason="needs Debian's unicode-data")
@pytest.mark.parametrize("font_file", [p.name for p in FONT_FILES])
def test_repertoire_is_complete(font_file):
    gb, general = gb2312(), tgh()
    assert (len(gb), len(general)) == (7445, 8105)  # the counts the README reports
    face = Face(BUNDLED_DIR / font_file)
    missing_gb = sorted(ch for ch in gb if not face.has_char(ch))
    missing_tgh = sorted(ch for ch in general if not face.has_char(ch))
    assert missing_gb == [] and missing_tgh == [], (missing_gb[:20], missing_tgh[:20])
    for ch in "，。、：；？！（）“”《》——……·℃№％‰ABCxyz0129αΩЖё":
        assert face.has_char(ch), ch


def test_features_survive_the_subset():
    font = TTFont(BUNDLED_DIR / "NotoSerifCJKsc-Regular.otf", lazy=True)
    gsub = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    gpos = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
    assert {"locl", "vert", "vrt2", "fwid", "liga", "ccmp"} <= gsub
    assert {"kern", "halt", "vhal", "vkrn"} <= gpos
    assert {"vhea", "vmtx", "VORG", "BASE"} <= set(font.keys())


def test_licences_and_reserved_names():
    for name in ("LICENSE-OFL-Noto.txt", "LICENSE-OFL-LXGW.txt"):
        text = (BUNDLED_DIR / name).read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in text and "Reserved Font Name" in text
    assert "霞鹜" in (BUNDLED_DIR / "LICENSE-OFL-LXGW.txt").read_text(encoding="utf-8")
    # LXGW WenKai reserves "LXGW" and "霞鹜": the subset must not present them as its name.
    font = TTFont(BUNDLED_DIR / "PasteupWenKai-Regular.ttf", lazy=True)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            assert "LXGW" not in str(record) and "霞鹜" not in str(record), record.nameID
    assert font["name"].getDebugName(1) == "Pasteup WenKai"
    readme = (BUNDLED_DIR / "README.md").read_text(encoding="utf-8")
    assert "tools/build_fonts.py" in readme and "fonts-noto-cjk 1:" in readme


@pytest.mark.skipif(not NOTO_TTC.is_file(), reason="needs Debian's fonts-noto-cjk")
def test_bundled_cids_are_the_source_glyph_ids():
    """The documented relation: a bundled CFF glyph's CID is its glyph id in the Noto TTC."""
    bundled = Face(BUNDLED_DIR / "NotoSerifCJKsc-Regular.otf")
    source = Face(NOTO_TTC, 2)
    for ch in "中国人民，。（“《骨直—…AVfi0":
        gid = bundled.glyph_id(ch)
        assert gid is not None and bundled.cid(gid) == source.glyph_id(ch), ch
    vert = bundled.substitute(bundled.glyph_id("，"), "vert")
    assert bundled.cid(vert) == source.substitute(source.glyph_id("，"), "vert")


@pytest.mark.skipif(not SOURCES_PRESENT, reason="needs Debian's font and unicode-data packages")
def test_build_script_reproduces_the_bundle():
    run = subprocess.run(
        [sys.executable, "tools/build_fonts.py", "--check"],
        cwd=BUNDLED_DIR.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
