#!/usr/bin/env python3
"""Rebuild the bundled fonts in fonts/ from Debian's font packages (deterministic).

Each source face is subset with HarfBuzz to a newspaper repertoire (GB 2312 ∪ the 通用规范汉字表's
8,105 ∪ CJK punctuation/symbols ∪ Latin/Greek/Cyrillic basics), keeping hints, the name table and
the OpenType features the composition engine and the editor rely on (closure over those features).
Fonts whose licence reserves their names are renamed (OFL §3). The script also writes the licences,
fonts/manifest.json and fonts/README.md.

    .venv/bin/python tools/build_fonts.py            # rebuild fonts/
    .venv/bin/python tools/build_fonts.py --check    # rebuild in memory, fail if fonts/ differs
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "fonts"
BUDGET_BYTES = 60 * 1024 * 1024
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
LXGW_DIR = Path("/usr/share/fonts/truetype/lxgw-wenkai")
UNIHAN_DIR = Path("/usr/share/unicode")
SC_FACE = 2  # Noto CJK TTC faces: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK

# Features kept (and closed over): the engine's locl/vert/vrt2/fwid/halt, Latin kern/liga, ccmp for
# composed Latin, and the vertical counterparts vhal/vkrn so vertical text can come later.
FEATURES = ("ccmp", "locl", "vert", "vrt2", "fwid", "halt", "vhal", "kern", "vkrn", "liga")

# Code point ranges beyond GB 2312 and kTGH; characters a font lacks are simply not kept.
EXTRA_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x0391, 0x03A9, "Greek capitals"),
    (0x03B1, 0x03C9, "Greek small"),
    (0x0401, 0x0451, "Cyrillic basics"),
    (0x2010, 0x205E, "General Punctuation"),
    (0x2070, 0x209F, "Superscripts and Subscripts"),
    (0x20A0, 0x20C0, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols (℃ № ™)"),
    (0x2150, 0x218F, "Number Forms (Ⅰ Ⅻ)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (① ⑴ ⒈)"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2E3A, 0x2E3B, "two- and three-em dash"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3200, 0x32FF, "Enclosed CJK Letters (㈠ ㊣)"),
    (0x3300, 0x33FF, "CJK Compatibility (㎡ ㎏)"),
    (0xFE00, 0xFE0F, "Variation Selectors (standardized variants: 、。！ corner/centred forms)"),
    (0xFE10, 0xFE1F, "Vertical Forms"),
    (0xFE30, 0xFE4F, "CJK Compatibility Forms"),
    (0xFE50, 0xFE6F, "Small Form Variants"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)


@dataclass(frozen=True)
class Source:
    """One bundled face: where it comes from and what it is called once subset."""

    out_name: str
    package: str
    path: Path
    index: int
    rename_family: str | None = None  # set when the licence reserves the original name
    rename_family_zh: str | None = None
    rename_postscript: str | None = None


SOURCES: tuple[Source, ...] = (
    Source(
        "NotoSerifCJKsc-Regular.otf",
        "fonts-noto-cjk",
        NOTO_DIR / "NotoSerifCJK-Regular.ttc",
        SC_FACE,
    ),
    Source(
        "NotoSerifCJKsc-Bold.otf", "fonts-noto-cjk", NOTO_DIR / "NotoSerifCJK-Bold.ttc", SC_FACE
    ),
    Source(
        "NotoSerifCJKsc-Black.otf",
        "fonts-noto-cjk-extra",
        NOTO_DIR / "NotoSerifCJK-Black.ttc",
        SC_FACE,
    ),
    Source(
        "NotoSansCJKsc-Regular.otf", "fonts-noto-cjk", NOTO_DIR / "NotoSansCJK-Regular.ttc", SC_FACE
    ),
    Source("NotoSansCJKsc-Bold.otf", "fonts-noto-cjk", NOTO_DIR / "NotoSansCJK-Bold.ttc", SC_FACE),
    Source(
        "NotoSansCJKsc-Black.otf",
        "fonts-noto-cjk-extra",
        NOTO_DIR / "NotoSansCJK-Black.ttc",
        SC_FACE,
    ),
    Source(
        "PasteupWenKai-Regular.ttf",
        "fonts-lxgw-wenkai",
        LXGW_DIR / "LXGWWenKai-Regular.ttf",
        0,
        rename_family="Pasteup WenKai",
        rename_family_zh="Pasteup 文楷",
        rename_postscript="PasteupWenKai-Regular",
    ),
)

LICENSES = {
    "LICENSE-OFL-Noto.txt": ("fonts-noto-cjk", NOTO_DIR / "NotoSerifCJK-Regular.ttc", SC_FACE),
    "LICENSE-OFL-LXGW.txt": ("fonts-lxgw-wenkai", LXGW_DIR / "LXGWWenKai-Regular.ttf", 0),
}


# --- repertoire -------------------------------------------------------------------------------


def gb2312_chars() -> set[int]:
    """Every character of GB 2312, by decoding each two-byte code (rows 0xA1–0xF7)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                text = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.add(ord(text))
    return chars


def unihan_field(field: str) -> set[int]:
    """Code points that have `field` in Debian's Unihan files (the file holding it is searched)."""
    pattern = re.compile(rb"^U\+([0-9A-F]{4,6})\t" + field.encode() + rb"\t", re.MULTILINE)
    for path in sorted(UNIHAN_DIR.glob("Unihan_*.txt.bz2")):
        found = {int(m.group(1), 16) for m in pattern.finditer(bz2.decompress(path.read_bytes()))}
        if found:
            return found
    raise SystemExit(f"{UNIHAN_DIR}: no Unihan file has the field {field} (install unicode-data)")


def repertoire() -> dict[str, set[int]]:
    """The wanted code points, by part (the parts overlap)."""
    extra = set()
    for first, last, _name in EXTRA_RANGES:
        extra.update(range(first, last + 1))
    return {"gb2312": gb2312_chars(), "kTGH": unihan_field("kTGH"), "extra": extra}


# --- subsetting -------------------------------------------------------------------------------


def subset_face(source: Source, wanted: set[int]) -> tuple[bytes, dict[str, int]]:
    """HarfBuzz subset of one face: hints, all names and the FEATURES (with closure) kept."""
    face = hb.Face(hb.Blob.from_file_path(str(source.path)), source.index)
    present = (set(face.unicodes) | set(face.variation_selectors)) & wanted
    inp = hb.SubsetInput()
    inp.unicode_set.update(sorted(present))
    features = inp.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    features.clear()
    for tag in FEATURES:
        features.add(hb_tag(tag))
    inp.sets(hb.SubsetInputSets.NAME_ID).add_range(0, 0x7FFF)
    inp.sets(hb.SubsetInputSets.NAME_LANG_ID).add_range(0, 0xFFFF)
    inp.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    out = hb.subset(face, inp)
    if out is None:
        raise SystemExit(f"{source.path}: HarfBuzz could not subset face {source.index}")
    data = bytes(out.blob.data)
    if source.rename_family:
        data = rename(data, source)
    stats = {"code_points": len(present), "glyphs": out.glyph_count}
    return data, stats


def hb_tag(tag: str) -> int:
    return int.from_bytes(tag.encode("ascii"), "big")


def rename(data: bytes, source: Source) -> bytes:
    """Replace the reserved family names in every name record (OFL §3) and note the origin."""
    font = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    name = font["name"]
    assert source.rename_family and source.rename_postscript and source.rename_family_zh
    style = name.getDebugName(2) or "Regular"
    for record in list(name.names):
        zh = record.langID in (0x0804, 0x0404, 0x0C04, 0x1004, 0x21) or (
            record.platformID == 1 and record.langID == 33
        )
        family = source.rename_family_zh if zh else source.rename_family
        text = {
            1: family,
            3: f"{source.rename_postscript};subset for Pasteup",
            4: family if style == "Regular" else f"{family} {style}",
            6: source.rename_postscript,
            16: family,
        }.get(record.nameID)
        if text is not None:
            name.setName(text, record.nameID, record.platformID, record.platEncID, record.langID)
    origin = name.getDebugName(5) or ""
    name.setName(
        f"{origin}; subset of LXGW WenKai for Pasteup, renamed (OFL Reserved Font Names)",
        5,
        3,
        1,
        0x409,
    )
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


# --- licences, manifest, README ------------------------------------------------------------------


def package_version(package: str) -> str:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def licence_text(package: str, font_path: Path, index: int) -> str:
    """The font's own copyright notice plus the OFL text from the package's Debian copyright file."""
    paragraphs = (
        Path(f"/usr/share/doc/{package}/copyright").read_text(encoding="utf-8").split("\n\n")
    )
    files_star = next(p for p in paragraphs if p.startswith("Files: *"))
    licence_name = re.search(r"^License: (\S+)", files_star, re.MULTILINE).group(1)
    licence = next(p for p in paragraphs if p.startswith(f"License: {licence_name}\n"))
    body = ["" if line == " ." else line[1:] for line in licence.splitlines()[1:]]
    notice = TTFont(font_path, fontNumber=index, lazy=True)["name"].getDebugName(0)
    return (
        f"Fonts in this folder are subsets of {font_path.name} (Debian package {package} "
        f"{package_version(package)}), made by tools/build_fonts.py.\n\n"
        f"Copyright notice in the font (name ID 0):\n{notice}\n\n"
        f"From /usr/share/doc/{package}/copyright:\n\n{files_star}\n\n"
        + "\n".join(body).rstrip()
        + "\n"
    )


def face_summary(data: bytes) -> dict[str, object]:
    font = TTFont(io.BytesIO(data), lazy=True)
    name = font["name"]
    return {
        "family": name.getDebugName(16) or name.getDebugName(1),
        "style": name.getDebugName(17) or name.getDebugName(2),
        "postscript_name": name.getDebugName(6),
        "weight": font["OS/2"].usWeightClass,
        "outline": "cff" if "CFF " in font else "glyf",
    }


def build() -> dict[str, bytes]:
    """All output files, name → bytes (fonts, licences, manifest, README)."""
    parts = repertoire()
    wanted = set().union(*parts.values())
    files: dict[str, bytes] = {}
    faces = []
    for source in SOURCES:
        print(f"subsetting {source.path.name}[{source.index}] → {source.out_name}", file=sys.stderr)
        data, stats = subset_face(source, wanted)
        files[source.out_name] = data
        covered = set(TTFont(io.BytesIO(data), lazy=True).getBestCmap())
        faces.append(
            {
                "file": source.out_name,
                **face_summary(data),
                "source": f"{source.path}#{source.index}",
                "package": f"{source.package} {package_version(source.package)}",
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                **stats,
                "missing_gb2312": len(parts["gb2312"] - covered),
                "missing_kTGH": len(parts["kTGH"] - covered),
            }
        )
    for out_name, (package, font_path, index) in LICENSES.items():
        files[out_name] = licence_text(package, font_path, index).encode("utf-8")
    total = sum(f["bytes"] for f in faces)
    if total > BUDGET_BYTES:
        raise SystemExit(f"bundled fonts are {total:,} bytes, over the {BUDGET_BYTES:,} budget")
    manifest = {
        "repertoire": {
            "gb2312": len(parts["gb2312"]),
            "kTGH": len(parts["kTGH"]),
            "extra_ranges": len(parts["extra"]),
            "union": len(wanted),
        },
        "features": list(FEATURES),
        "total_bytes": total,
        "faces": faces,
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    files["README.md"] = readme(manifest).encode("utf-8")
    return files


def readme(manifest: dict) -> str:
    rep = manifest["repertoire"]
    rows = "\n".join(
        f"| `{f['file']}` | {f['family']} {f['style']} ({f['weight']}) | {f['outline']} | "
        f"`{f['source']}` ({f['package']}) | {f['code_points']:,} | {f['glyphs']:,} | "
        f"{f['bytes']:,} | {f['missing_gb2312']} / {f['missing_kTGH']} |"
        for f in manifest["faces"]
    )
    ranges = "\n".join(f"- U+{a:04X}–U+{b:04X} {n}" for a, b, n in EXTRA_RANGES)
    return f"""# Bundled fonts

Generated by `tools/build_fonts.py` — do not edit by hand. Rebuild (needs Debian's fonts-noto-cjk,
fonts-noto-cjk-extra, fonts-lxgw-wenkai and unicode-data):

    .venv/bin/python tools/build_fonts.py          # writes fonts/
    .venv/bin/python tools/build_fonts.py --check  # verifies fonts/ is reproducible

## Faces

| file | family, style (weight) | outlines | source face (package version) | code points | glyphs | bytes | missing GB 2312 / kTGH |
|---|---|---|---|---|---|---|---|
{rows}

Total: {manifest["total_bytes"]:,} bytes (budget 60 MiB). Roles: Noto Serif CJK SC Regular for body
text (书宋 substitute), Bold/Black for headlines (标宋), Noto Sans CJK SC for 黑体, Pasteup WenKai (a
renamed LXGW WenKai) for 楷体 captions and bylines.

## Repertoire

GB 2312 ({rep["gb2312"]:,} characters, every code of the `gb2312` codec) ∪ 通用规范汉字表
(Unihan kTGH, {rep["kTGH"]:,} characters, from Debian's unicode-data) ∪ these ranges
({rep["extra_ranges"]:,} code points, kept where the font has them) = {rep["union"]:,} code points:

{ranges}

plus every glyph reachable through the OpenType features {", ".join(manifest["features"])}
(HarfBuzz layout closure). Hints, the whole name table and vertical metrics are kept.

## Licences and names

All faces are under the SIL Open Font License 1.1: `LICENSE-OFL-Noto.txt`, `LICENSE-OFL-LXGW.txt`.
Noto CJK declares no Reserved Font Name for "Noto" (Adobe reserves only "Source"), so the Noto
subsets keep their names. LXGW WenKai reserves "霞鹜" and "LXGW" (see its Debian copyright file);
a subset is a Modified Version, so it is renamed to Pasteup WenKai / Pasteup 文楷.

Subset Noto faces keep their family names, so they clash with a system-installed Noto CJK whose
glyph ids differ: load bundled faces by file path (e.g. `QRawFont(path)`), never by family name.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if fonts/ is not reproduced")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [
            n
            for n, d in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != d
        ]
        for name in stale:
            print(f"{args.out / name}: differs from a fresh build", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = args.out / (name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(args.out / name)
    total = sum(len(d) for n, d in files.items() if n.endswith((".otf", ".ttf")))
    print(f"wrote {len(files)} files to {args.out}, fonts {total:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
