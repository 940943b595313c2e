"""Structure-aware mutators for the four kinds of input Pasteup reads: page documents (JSON),
layout grids (TOML), story files (text) and annotated proof PDFs.

Each takes a `random.Random` (hypothesis's `st.randoms()` in the test suite, a seeded one in
the long campaign) and returns the bytes of one input. Mutations are made where they hurt:
values swapped for hostile ones (NaN, 1e300, 4,301-digit integers, control characters, paths,
deep nesting), keys dropped or invented, lists duplicated until they are huge, and bytes
flipped or cut so the parsers see broken files too.
"""

from __future__ import annotations

import copy
import io
import json
import random
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "assets" / "samples" / "news-page"
LAYOUT = ROOT / "layouts" / "broadsheet-8col.toml"

MAX_INPUT = 32 * 1024 * 1024  # characters of one mutated input: past the limits, still cheap
HOSTILE_NUMBERS: list[Any] = [
    0, -1, 1, -0.0, 0.5, 2**31 - 1, 2**63, -(2**63), 10**400, 1e300, -1e300, 1e-300, 5e-324,
    float("nan"), float("inf"), float("-inf"), 500, 501, 0.99, 10000, 1e9,
]  # fmt: skip
HOSTILE_TEXT = [
    "", " ", "\x00", "a\x00b", "\n", "a\nb", "\u2028", "\x1b[31m", "\x7f", "\u202e", "\u2066",
    "\ud800", "\udfff", "../" * 8 + "etc/passwd", "/dev/zero", "/", ".", "..", "~", "x" * 300,
    "字" * 5000, "con", "NUL", "a/b", "a\\b", "\ufeff", "\u3000", "%s%n", "{paper}{0}{{", "{x",
    "１２", "-5mm", "1e400mm", "nanpt", "infmm", "9" * 500 + "mm", "五号", "初号", "0q",
]  # fmt: skip


def hostile_value(rnd: random.Random, depth: int = 0) -> Any:
    roll = rnd.random()
    if roll < 0.35:
        return rnd.choice(HOSTILE_NUMBERS)
    if roll < 0.7:
        return rnd.choice(HOSTILE_TEXT)
    if roll < 0.78:
        return rnd.choice([None, True, False, [], {}])
    if roll < 0.86 and depth < 3:
        return [hostile_value(rnd, depth + 1) for _ in range(rnd.randint(0, 5))]
    if roll < 0.92 and depth < 3:
        return {rnd.choice(HOSTILE_TEXT): hostile_value(rnd, depth + 1) for _ in range(3)}
    if roll < 0.96:
        return _nested(rnd.choice([10, 50, 200]))  # deeper nesting: see deepen()
    return rnd.uniform(-1e6, 1e6)


def _nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def deepen(text: str, rnd: random.Random) -> str:
    """Nesting past any parser's recursion limit, spliced in as text after a random colon."""
    colons = [i for i, ch in enumerate(text) if ch == ":"]
    if not colons:
        return text
    at = rnd.choice(colons) + 1
    depth = rnd.choice([1000, 10000, 100000])
    return text[:at] + "[" * depth + "]" * depth + "," + text[at:]


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON-like tree (to depth 12): tuples of keys and indexes."""
    found = [prefix]
    if len(prefix) > 12:
        return found
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value[:50]):
            found += _paths(child, (*prefix, i))
    return found


def _get(value: Any, path: tuple) -> Any:
    for step in path:
        value = value[step]
    return value


def mutate_tree(tree: Any, rnd: random.Random, count: int) -> Any:
    """`count` structure-aware changes to a copy of `tree`."""
    tree = copy.deepcopy(tree)
    for _ in range(count):
        paths = _paths(tree)
        path = rnd.choice(paths[1:] or paths)
        if not path:
            continue
        parent, key = _get(tree, path[:-1]), path[-1]
        if rnd.random() < 0.4 and _plausible(parent, key, rnd):
            continue
        op = rnd.random()
        if op < 0.45:
            parent[key] = hostile_value(rnd)
        elif op < 0.55:
            del parent[key]
        elif op < 0.65 and isinstance(parent, dict):
            parent[rnd.choice(HOSTILE_TEXT)] = hostile_value(rnd)
        elif op < 0.75 and isinstance(parent[key], list) and parent[key]:
            factor = rnd.choice([2, 10, 300, 3000])
            if _size(parent[key]) * factor <= MAX_INPUT // 8:
                parent[key] = parent[key] * factor
        elif (
            op < 0.85 and isinstance(parent[key], int | float) and not isinstance(parent[key], bool)
        ):
            factor = rnd.choice([-1, 0, 10, 1000, 1e6, 1e300])
            try:
                parent[key] = parent[key] * factor
            except OverflowError:  # an int past float's range times 1e300 has no float
                parent[key] = -parent[key]
        elif op < 0.92 and isinstance(parent[key], str):
            text = parent[key]
            at = rnd.randint(0, len(text))
            parent[key] = text[:at] + rnd.choice(HOSTILE_TEXT) + text[at:]
        else:
            other = _get(tree, rnd.choice(paths))
            if _size(other) <= MAX_INPUT // 64:
                parent[key] = copy.deepcopy(other)
    return tree


def _size(value: Any) -> int:
    """Characters of `value` as JSON: how much a copy or a repetition of it would add."""
    try:
        return len(json.dumps(value, default=str))
    except (ValueError, RecursionError):
        return MAX_INPUT


def _plausible(parent: Any, key: Any, rnd: random.Random) -> bool:
    """A change a user could make (nudged numbers, edited text, a repeated entry), so that
    many mutants pass validation and reach composition and export."""
    value = parent[key]
    if isinstance(value, bool):
        parent[key] = not value
    elif isinstance(value, int | float):
        try:
            parent[key] = type(value)(value * rnd.uniform(0, 3) + rnd.randint(-3, 3))
        except (OverflowError, ValueError):  # 10**400 × a float; int(nan)
            return False
    elif isinstance(value, str) and value:
        cut = rnd.randint(0, len(value))
        parent[key] = value[cut:] + value[:cut] if len(value) > 1000 else value * 3
    elif isinstance(value, list) and 0 < len(value) <= 1000:
        value.append(copy.deepcopy(rnd.choice(value)))
    else:
        return False
    return True


def corrupt_bytes(data: bytes, rnd: random.Random) -> bytes:
    """Byte-level damage: cut short, bytes flipped, a chunk repeated or dropped."""
    data = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        if not data:
            break
        op = rnd.random()
        at = rnd.randrange(len(data))
        if op < 0.25:
            del data[at:]
        elif op < 0.6:
            for _ in range(rnd.randint(1, 16)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif op < 0.8:
            data[at:at] = data[at : at + rnd.randint(1, 4096)] * rnd.randint(2, 50)
        else:
            del data[at : at + rnd.randint(1, 4096)]
    return bytes(data)


# -- page documents ---------------------------------------------------------------------------
def seed_page() -> dict:
    """The sample page, each story cut to its first three paragraphs: a quick page to set."""
    page = json.loads((SAMPLE / "page.json").read_text(encoding="utf-8"))
    for story in page["stories"].values():
        story["paragraphs"] = story["paragraphs"][:3]
        story.pop("source", None)
    return page


def page_input(rnd: random.Random, seed: dict) -> bytes:
    if rnd.random() < 0.1:
        return corrupt_bytes(json.dumps(seed, ensure_ascii=False).encode(), rnd)
    tree = mutate_tree(seed, rnd, rnd.choice([1, 1, 1, 2, 3, 8]))
    text = json.dumps(tree, ensure_ascii=rnd.random() < 0.2)[:MAX_INPUT]
    if rnd.random() < 0.03:
        text = deepen(text, rnd)
    return text.encode("utf-8", "surrogatepass")


# -- layout grids -----------------------------------------------------------------------------
def seed_layout() -> dict:
    return tomllib.loads(LAYOUT.read_text(encoding="utf-8"))


def layout_input(rnd: random.Random, seed: dict) -> bytes:
    if rnd.random() < 0.1:
        return corrupt_bytes(LAYOUT.read_bytes(), rnd)
    text = toml_text(mutate_tree(seed, rnd, rnd.choice([1, 1, 2, 3])))[:MAX_INPUT]
    if rnd.random() < 0.03:
        depth = rnd.choice([1000, 10000, 100000])
        text += f"\ndeep = {'[' * depth}{']' * depth}\n"
    return text.encode("utf-8", "surrogatepass")


def toml_text(tree: dict) -> str:
    """A TOML writer enough for mutated grids: tables of scalars, arrays and sub-tables."""
    out = io.StringIO()
    _toml_table(tree, (), out)
    return out.getvalue()


def _toml_table(table: dict, name: tuple, out: io.StringIO) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in table.items() if isinstance(v, dict)}
    if name:
        out.write(f"\n[{'.'.join(_toml_key(k) for k in name)}]\n")
    for key, value in scalars.items():
        out.write(f"{_toml_key(key)} = {_toml_value(value)}\n")
    for key, value in tables.items():
        _toml_table(value, (*name, key), out)


def _toml_key(key: Any) -> str:
    return json.dumps(str(key))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**4000 else "1" * 4301
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return '""'  # None: TOML has no null


# -- story files ------------------------------------------------------------------------------
STORY_PIECES = ["【主题】", "【正文】", "【unknown】", "[引题]", "%%", "，", ",", "(", ")", "：",
                "\r\n", "\n", "\t", "\x00", "\x1b", "\u202e", "\ufeff", "e\u0301", "１,２３４",
                "Python", "“", "”", "——", "……", "字" * 200, "\u2029", "\x0c", "\x85"]  # fmt: skip


def story_input(rnd: random.Random) -> bytes:
    text = (SAMPLE / "stories" / rnd.choice(["lead.txt", "xiyun.txt", "renda.txt"])).read_text(
        encoding="utf-8"
    )
    lines = text.splitlines()[: rnd.randint(1, 8)]
    for _ in range(rnd.randint(1, 6)):
        line = rnd.randrange(len(lines))
        at = rnd.randint(0, len(lines[line]))
        piece = rnd.choice(STORY_PIECES) * rnd.choice([1, 1, 2, 50])
        lines[line] = lines[line][:at] + piece + lines[line][at:]
    if rnd.random() < 0.1:
        lines = lines * rnd.choice([10, 100, 3000])  # at most 24,000 lines
    data = "\n".join(lines).encode("utf-8")[:MAX_INPUT]
    if rnd.random() < 0.15:
        data = corrupt_bytes(data, rnd)
    if rnd.random() < 0.05:
        data = rnd.choice([b"\xef\xbb\xbf", b"\xff\xfe", b""]) + data
    return data


# -- proof PDFs -------------------------------------------------------------------------------
ANNOTATION_KEYS = ["/Subtype", "/Rect", "/QuadPoints", "/Contents", "/RC", "/RD", "/NM", "/T",
                   "/IRT", "/InkList", "/L", "/Vertices", "/CreationDate", "/M", "/State",
                   "/StateModel", "/Popup", "/AP", "/F", "/C", "/Subj", "/RT"]  # fmt: skip
SUBTYPES = ["/Text", "/StrikeOut", "/Highlight", "/Underline", "/Squiggly", "/Caret", "/Square",
            "/Circle", "/FreeText", "/Ink", "/Line", "/Polygon", "/PolyLine", "/Popup", "/Stamp",
            "/FileAttachment", "/Link"]  # fmt: skip


def _pdf_value(pdf: Any, rnd: random.Random, depth: int = 0) -> Any:
    import pikepdf

    roll = rnd.random()
    if roll < 0.25:
        number = rnd.choice(HOSTILE_NUMBERS)
        if (isinstance(number, float) and number != number) or abs(number) == float("inf"):
            number = 1e38
        return number if not isinstance(number, int) or abs(number) < 2**62 else 2**62
    if roll < 0.45:
        raw = rnd.choice(HOSTILE_TEXT).encode("utf-16-be", "surrogatepass")
        return pikepdf.String(rnd.choice([b"\xfe\xff" + raw, raw[: rnd.randint(0, len(raw))],
                                           bytes(rnd.randrange(256) for _ in range(9))]))  # fmt: skip
    if roll < 0.55:
        return pikepdf.Name(rnd.choice(SUBTYPES))
    if roll < 0.75 and depth < 2:
        return pikepdf.Array(
            [_pdf_value(pdf, rnd, depth + 1) for _ in range(rnd.choice([0, 1, 4, 8, 9, 40]))]
        )
    if roll < 0.85:
        stream = pikepdf.Stream(pdf, b"")
        body = rnd.choice([b"<body>x</body>", bytes(1 << 16), "<p>字</p>".encode() * 100])
        stream.write(body, filter=pikepdf.Name.FlateDecode)
        return stream
    if roll < 0.9 and depth < 2:
        return pikepdf.Dictionary(
            {k: _pdf_value(pdf, rnd, depth + 1) for k in rnd.sample(ANNOTATION_KEYS, 3)}
        )
    return rnd.choice([True, False, 0])


def proof_input(rnd: random.Random, proof: bytes) -> bytes:
    """The proof with annotations added or changed, its text map mutated, or its bytes hurt."""
    import pikepdf

    if rnd.random() < 0.15:
        return corrupt_bytes(proof, rnd)
    with pikepdf.open(io.BytesIO(proof)) as pdf:
        if rnd.random() < 0.3:
            _mutate_textmap(pdf, rnd)
        else:
            page = pdf.pages[0].obj
            if "/Annots" not in page:
                page.Annots = pdf.make_indirect(pikepdf.Array())
            for n in range(rnd.randint(1, 4)):
                annot = pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name(rnd.choice(SUBTYPES)),
                    Rect=[
                        rnd.uniform(0, 600),
                        rnd.uniform(0, 800),
                        rnd.uniform(0, 600),
                        rnd.uniform(0, 800),
                    ],
                    NM=pikepdf.String(f"fuzz-{n}"),
                )
                for key in rnd.sample(ANNOTATION_KEYS, rnd.randint(1, 5)):
                    annot[key] = _pdf_value(pdf, rnd)
                page.Annots.append(pdf.make_indirect(annot) if rnd.random() < 0.9 else annot)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _mutate_textmap(pdf: Any, rnd: random.Random) -> None:
    from app.compose.textmap import TEXTMAP_FILENAME

    try:
        stream = pdf.attachments[TEXTMAP_FILENAME].obj.EF.F
        data = stream.read_bytes()
    except (KeyError, AttributeError):
        return
    try:
        tree = json.loads(data)
    except ValueError:
        tree = None
    if tree is not None and rnd.random() < 0.7:
        data = json.dumps(mutate_tree(tree, rnd, rnd.randint(1, 3)), ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )
    else:
        data = corrupt_bytes(data, rnd)
    stream.write(data, filter=rnd.choice([None, __import__("pikepdf").Name.FlateDecode]))
