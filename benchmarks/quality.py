"""Paragraph quality against Typst: real Chinese prose set at 8, 11, 13, 17 and 24 字.

    .venv/bin/python benchmarks/quality.py [--split NAME ...] [--file PATH ...] [--limit N]
        [--show]

The corpus (benchmarks/corpus/, sources and licences in its README) is set paragraph by
paragraph in 正文's font and size (Noto Serif CJK SC, 小五 = 9 pt, from fonts/), justified, no
first-line indent, once by Pasteup and once by Typst (the `typst` package: `lang: "zh"`,
`region: "cn"`, `justify: true`, the same font file, each paragraph on a page of its own as wide
as the measure). Typst's lines are read back from its PDF (glyph origins through PyMuPDF);
Pasteup's from its composed lines. Both are measured the same way (`app.compose.report`, the
figures of `pasteup fit --json`): on every line but a paragraph's last, the extra space per
ideograph gap is the mean, over adjacent pairs of Han characters, of their distance less one em.

Counted: lines over ¼ em and over 1 em per gap (both engines), 孤字 (a last line of one Han
character, closing marks allowed), strong kinsoku breaches (a line starting with a closing or
pause mark, ending with an opening one), overfull lines, paragraphs whose lines do not give back
their text. `tune` is the split the breaker's prices were set on; `heldout` (technical text),
`articles` (a tech magazine's articles), `literature` (fiction) and `news` (government work
reports as newspapers print them) are ones they never saw; `--file` measures any other text,
one paragraph a line, under its file name. `--show` prints every loose line (over ¼ em) of
either engine, with the lines around it, both engines' settings of that paragraph side by side.
The last line, one JSON object, gives the `heldout` figures (or the first split's), each split's
under its name, and under "unseen" the sums over every split measured but `tune`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.compose.report import LOOSE, gap_extra, is_orphan  # noqa: E402  (one definition)

CORPUS = ROOT / "benchmarks" / "corpus"
FONT_DIR = ROOT / "fonts"
FAMILY = "Noto Serif CJK SC"
SIZE_PT = 9
WIDTHS = (8, 11, 13, 17, 24)
SPLITS = ["tune", "heldout", "articles", "literature", "news"]
NO_START = set("。．，、：；？！”’）］｝〕〉》」』】〗〙〛〞〟｠｣,.;:!?)]}")
NO_END = set("“‘（［｛〔〈《「『【〖〘〚〝｟｢([{")


def load(path: Path, limit: int | None) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()][:limit]


# --- Pasteup ---------------------------------------------------------------------------------


def pasteup_lines(paragraphs: list[str], width: int, composer: str = "paragraph"):
    """Per paragraph: [(text, [(char, x lu)], em, overfull)], and the texts lost."""
    from app.compose.paragraph import compose_paragraph
    from app.compose.styling import metrics_for, settings_for
    from app.fonts import default_registry
    from app.model.layouts import load_layout

    layout = load_layout("broadsheet-8col")
    style = layout.styles["正文"]
    metrics = metrics_for(default_registry(), layout.fonts, style)
    settings = settings_for(style, layout.composition).but(composer=composer)
    out, lost = [], 0
    for text in paragraphs:
        para = compose_paragraph(
            text, width * metrics.em, metrics, settings, first_line_indent=False
        )
        if "".join(line.text for line in para.lines) != text:
            lost += 1
        lines = []
        for line in para.lines:
            chars = list(zip(line.text, (left for left, _ in line.char_x), strict=True))
            overfull = line.overfull > 0 or line.right - line.left > line.measure
            lines.append((line.text, chars, para.em, overfull))
        out.append(lines)
    return out, lost


# --- Typst -----------------------------------------------------------------------------------


def typst_lines(paragraphs: list[str], width: int):
    """Per paragraph (one PDF page each): [(text, [(char, x pt)], em pt, False)]."""
    import pymupdf as fitz
    import typst

    body = "\n".join(
        f"#block({json.dumps(text, ensure_ascii=False)})\n#pagebreak()" for text in paragraphs
    )
    source = (
        f"#set page(width: {width * SIZE_PT}pt, height: auto, margin: 0pt)\n"
        f'#set text(font: "{FAMILY}", size: {SIZE_PT}pt, lang: "zh", region: "cn")\n'
        "#set par(justify: true, first-line-indent: 0pt)\n" + body.removesuffix("\n#pagebreak()")
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "prose.typ"
        src.write_text(source, encoding="utf-8")
        pdf = typst.compile(str(src), font_paths=[str(FONT_DIR)], ignore_system_fonts=True)
    out = []
    with fitz.open(stream=pdf, filetype="pdf") as doc:
        for page in doc:
            rows: dict[float, list[tuple[float, str]]] = {}
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", ()):
                    for span in line["spans"]:
                        for ch in span["chars"]:
                            x, y = ch["origin"]
                            rows.setdefault(round(y, 1), []).append((x, ch["c"]))
            lines = []
            for y in sorted(rows):
                chars = sorted(rows[y])
                text = "".join(c for _, c in chars)
                lines.append((text, [(c, x) for x, c in chars], float(SIZE_PT), False))
            out.append(lines)
    return out


# --- counting --------------------------------------------------------------------------------


def count(paragraphs_lines) -> dict[str, int]:
    figures = dict.fromkeys(("lines", "loose_025", "loose_1", "widows", "kinsoku", "overfull"), 0)
    for lines in paragraphs_lines:
        for i, (text, chars, em, overfull) in enumerate(lines):
            figures["overfull"] += overfull
            stripped = text.strip()
            if i and stripped and stripped[0] in NO_START:
                figures["kinsoku"] += 1
            if i + 1 < len(lines) and stripped and stripped[-1] in NO_END:
                figures["kinsoku"] += 1
            if i + 1 == len(lines):
                continue
            figures["lines"] += 1
            extra = gap_extra(chars, em)
            if extra is not None:
                figures["loose_025"] += extra > LOOSE[0] + 1e-3
                figures["loose_1"] += extra > LOOSE[1] + 1e-3
        if len(lines) > 1 and is_orphan(lines[-1][0]):
            figures["widows"] += 1
    return figures


def _loose(lines) -> list[int]:
    """Indexes of the lines (not the last) over ¼ em per gap."""
    return [
        i
        for i, (text, chars, em, _) in enumerate(lines[:-1])
        if (extra := gap_extra(chars, em)) is not None and extra > LOOSE[0] + 1e-3
    ]


def show(split: str, width: int, paragraphs: list[str], ours, theirs, around: int = 2) -> None:
    """Every loose line of either engine, the lines around it, both engines' settings."""
    for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        loose_a, loose_b = _loose(a), _loose(b)
        if not loose_a and not loose_b:
            continue
        print(f"--- {split} {width}字 paragraph {index}: {paragraphs[index][:30]}…")
        for name, lines, loose, others in (
            ("pasteup", a, loose_a, loose_b),
            ("typst", b, loose_b, loose_a),
        ):
            rows = sorted(
                {
                    j
                    for i in loose or others
                    for j in range(i - around, i + around + 1)
                    if 0 <= j < len(lines)
                }
            )
            for j in rows:
                text, chars, em, _ = lines[j]
                extra = gap_extra(chars, em)
                mark = "*" if j in loose else " "
                figure = "  —  " if extra is None else f"{extra:5.2f}"
                print(f"  {name:7} {j:3} {mark} {figure} |{text.rstrip()}|")


def measure_split(
    split: str, path: Path, limit: int | None, composer: str, show_loose: bool = False
) -> dict:
    paragraphs = load(path, limit)
    total: dict[str, int] = {}
    typst_total: dict[str, int] = {}
    lost = 0
    for width in WIDTHS:
        start = time.perf_counter()
        ours, lost_here = pasteup_lines(paragraphs, width, composer)
        ours_s = time.perf_counter() - start
        theirs = typst_lines(paragraphs, width)
        lost += lost_here
        if show_loose:
            show(split, width, paragraphs, ours, theirs)
        a, b = count(ours), count(theirs)
        for key, value in a.items():
            total[key] = total.get(key, 0) + value
        for key, value in b.items():
            typst_total[key] = typst_total.get(key, 0) + value
        print(
            f"{split:8} {width:2}字  pasteup >¼ {a['loose_025']:4} >1 {a['loose_1']:3} "
            f"孤字 {a['widows']:2} kinsoku {a['kinsoku']} overfull {a['overfull']} "
            f"({a['lines']} lines, {ours_s:.1f} s) | typst >¼ {b['loose_025']:4} "
            f">1 {b['loose_1']:3} 孤字 {b['widows']:2} kinsoku {b['kinsoku']}"
        )
    chars = sum(map(len, paragraphs))
    print(
        f"{split}: {len(paragraphs)} paragraphs, {chars} characters × {len(WIDTHS)} widths; "
        f"孤字 in {total['widows']} of {len(paragraphs) * len(WIDTHS)} paragraph settings"
    )
    return {
        "loose_025": total["loose_025"],
        "typst_loose_025": typst_total["loose_025"],
        "loose_1": total["loose_1"],
        "typst_loose_1": typst_total["loose_1"],
        "widows": total["widows"],
        "kinsoku": total["kinsoku"],
        "overfull": total["overfull"],
        "lost": lost,
        "paragraphs": len(paragraphs) * len(WIDTHS),
        "lines": total["lines"],
        "typst_kinsoku": typst_total["kinsoku"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    names = sorted(path.stem for path in CORPUS.glob("*.txt"))
    parser.add_argument("--split", choices=names, nargs="+", default=None)
    parser.add_argument("--file", type=Path, nargs="+", default=[], help="more text to measure")
    parser.add_argument("--limit", type=int, default=None, help="paragraphs per split")
    parser.add_argument("--composer", choices=("paragraph", "greedy"), default="paragraph")
    parser.add_argument("--show", action="store_true", help="print the loose lines")
    args = parser.parse_args()
    splits = args.split if args.split is not None else ([] if args.file else SPLITS)
    sources = {split: CORPUS / f"{split}.txt" for split in splits}
    sources.update({path.stem: path for path in args.file})
    results = {
        name: measure_split(name, path, args.limit, args.composer, args.show)
        for name, path in sources.items()
    }
    main_split = "heldout" if "heldout" in results else next(iter(results))
    summary: dict = dict(results[main_split], split=main_split)
    unseen: dict[str, int] = {}
    for split, figures in results.items():
        if split != main_split:
            summary[split] = figures
        if split != "tune":
            for key, value in figures.items():
                unseen[key] = unseen.get(key, 0) + value
    if unseen:
        summary["unseen"] = unseen
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
