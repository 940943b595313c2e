"""Every reproducer of issue 11, through the real `pasteup` program: one line on stderr and
exit 2 (or success where the input is valid), within 5 s and 500 MiB of address space."""

from __future__ import annotations

import json
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from hostile import SAMPLE, accepted, refused, run, sample_copy

COMMANDS = ("validate", "compose", "preflight", "export")


def _argv(command: str, page: Path) -> list[str]:
    return [
        command,
        str(page),
        *(["-o", str(page.with_name("out.pdf"))] if command == "export" else []),
    ]


def _page_with(tmp_path: Path, change) -> Path:
    page = sample_copy(tmp_path)
    data = json.loads(page.read_text(encoding="utf-8"))
    result = change(data, page.parent)
    text = result if isinstance(result, str) else json.dumps(data, ensure_ascii=False)
    page.write_text(text, encoding="utf-8")
    return page


def _article(data: dict) -> dict:
    return next(b for b in data["blocks"] if b["type"] == "article")


def _photo(data: dict) -> dict:
    photo = next(b for b in data["blocks"] if b["type"] == "photo")
    photo["placeholder"] = False
    return photo


def _rule_with(x0: str):
    """A rule block whose x0 is written as `x0` (raw JSON text), first among the blocks."""

    def change(data: dict, folder: Path) -> str:
        text = json.dumps(data, ensure_ascii=False)
        rule = f'{{"id": "r", "type": "rule", "x0": {x0}, "y0": 0, "x1": 10, "y1": 10}}, '
        return text.replace('"blocks": [', '"blocks": [' + rule, 1)

    return change


def _bomb_png(path: Path, side: int = 50_000) -> None:
    """A ~60 KB PNG that claims side × side 1-bit pixels (the issue's 50,000² bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" * (1 + side // 8)
    rows = zlib.compress(row * 200, 9)  # the first 200 rows; the rest is missing
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


PAGE_REPRODUCERS = {
    "free frame of 1e300 × 1e300": lambda d, f: _article(d).update(
        frames=[{"x": 0, "y": 0, "w": 1e300, "h": 1e300}]
    ),
    "500 frames × 10,000 columns": lambda d, f: _article(d).update(
        frames=[{"x": 10, "y": 10, "w": 500, "h": 500, "columns": 10000}] * 500
    ),
    "number past float range": _rule_with("1" + "0" * 400),
    "4,301-digit integer": _rule_with("1" * 4301),
    "1e400": _rule_with("1e400"),
    "NaN": _rule_with("NaN"),
    "Infinity": _rule_with("-Infinity"),
    "deep nesting": lambda d, f: json.dumps(d).replace(
        '"styles": {}', '"styles": ' + "[" * 100_000 + "]" * 100_000
    ),
    "300-character layout name": lambda d, f: d.update(layout="x" * 300),
    "layout name with a newline": lambda d, f: d.update(layout="broadsheet\n8col"),
    "layout name as a path": lambda d, f: d.update(layout="../../../../etc/evil"),
    "lone surrogate in a story": lambda d, f: json.dumps(d, ensure_ascii=False).replace(
        '"本报讯', '"\\ud800本报讯', 1
    ),
    "NUL in a photo path": lambda d, f: _photo(d).update(image="a\u0000b.jpg"),
    "type size 0": lambda d, f: d.update(styles={"正文": {"size": 0}}),
    "negative type size": lambda d, f: d.update(styles={"正文": {"size": -9}}),
    "1,000,000-character paragraph": lambda d, f: d["stories"]["lead"]["paragraphs"][1].update(
        text="字" * 1_000_000
    ),
    "ESC and bidi override in text": lambda d, f: d["stories"]["lead"]["paragraphs"][1].update(
        text="a\x1b[31m\u202eb"
    ),
    "absolute photo path": lambda d, f: _photo(d).update(image=str(f.parent / "elsewhere.jpg")),
    "photo path with ../": lambda d, f: _photo(d).update(image="../elsewhere.jpg"),
}


@pytest.mark.parametrize("name", PAGE_REPRODUCERS)
def test_page_reproducer_is_one_line_on_every_command(tmp_path, name):
    page = _page_with(tmp_path, PAGE_REPRODUCERS[name])
    for command in COMMANDS:
        line = refused(run(*_argv(command, page), cwd=tmp_path))
        assert str(page) in line
    assert not page.with_name("out.pdf").exists()


def test_deep_nesting_and_long_names_each_name_the_problem(tmp_path):
    page = _page_with(tmp_path, PAGE_REPRODUCERS["deep nesting"])
    assert "nested too deeply" in refused(run("validate", page, cwd=tmp_path))
    page = _page_with(tmp_path / "b", PAGE_REPRODUCERS["NaN"])
    assert "blocks[0].x0" in refused(run("compose", page, cwd=tmp_path))
    page = _page_with(tmp_path / "c", PAGE_REPRODUCERS["type size 0"])
    assert "styles.正文.size" in refused(
        run("export", page, "-o", tmp_path / "x.pdf", cwd=tmp_path)
    )


def test_a_layout_grid_with_body_size_minus_infinity(tmp_path):
    page = sample_copy(tmp_path)
    grid = (SAMPLE.parents[2] / "layouts" / "broadsheet-8col.toml").read_text(encoding="utf-8")
    (page.parent / "mine.toml").write_text(
        grid.replace("body_size =", "body_size = -inf\nx_body_size =", 1), encoding="utf-8"
    )
    data = json.loads(page.read_text(encoding="utf-8"))
    page.write_text(json.dumps({**data, "layout": "mine"}, ensure_ascii=False), encoding="utf-8")
    line = refused(run("validate", page, cwd=tmp_path))
    assert "mine.toml" in line


def test_a_photo_linked_from_outside_by_choice_is_reported(tmp_path):
    outside = tmp_path / "elsewhere.jpg"
    shutil.copy(SAMPLE / "photo-placeholder.jpg", outside)
    page = _page_with(
        tmp_path, lambda d, f: _photo(d).update(image=str(outside), outside_folder=True)
    )
    accepted(run("validate", page, cwd=tmp_path))
    info = run("info", page, "--json", cwd=tmp_path)
    accepted(info)
    assert json.loads(info.stdout)["outside_folder"][0]["image"] == str(outside)
    checked = run("preflight", page, "--json", cwd=tmp_path)
    accepted(checked, 0, 1)
    assert "image-outside-folder" in checked.stdout


@pytest.mark.parametrize("kind", ["fifo", "symlink loop", "bomb png", "directory"])
def test_hostile_photo_files(tmp_path, kind):
    page = sample_copy(tmp_path)
    target = page.parent / "picture.png"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink loop":
        target.symlink_to(target.name)
    elif kind == "bomb png":
        _bomb_png(target)
    else:
        target.mkdir()
    data = json.loads(page.read_text(encoding="utf-8"))
    _photo(data)["image"] = target.name
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    accepted(run("validate", page, cwd=tmp_path))
    accepted(run("compose", page, cwd=tmp_path), 0, 1)
    checked = run("preflight", page, cwd=tmp_path)
    accepted(checked, 1)  # an error finding naming the picture, on stdout
    assert target.name in checked.stdout
    line = refused(run("export", page, "-o", tmp_path / "out.pdf", cwd=tmp_path))
    assert target.name in line
    assert not (tmp_path / "out.pdf").exists()


def test_a_large_photo_prints_no_pillow_warning(tmp_path):
    """Pillow warns past 89 megapixels; the page's own limit is what counts. A real 90 MP
    picture needs more than the 500 MiB the reproducers are held to, so no cap here."""
    page = sample_copy(tmp_path)
    _bomb_png(page.parent / "big.png", side=9_500)  # 90 MP: over Pillow's warning, under ours
    data = json.loads(page.read_text(encoding="utf-8"))
    _photo(data)["image"] = "big.png"
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    checked = run("preflight", page, cwd=tmp_path, memory=None)
    assert checked.stderr == ""


@pytest.mark.parametrize(
    "kind", ["ttc claiming 2^31-1 faces", "symlink loop", "fifo", "table past the end"]
)
def test_hostile_font_in_the_user_folder(tmp_path, kind):
    page = sample_copy(tmp_path)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    if kind.startswith("ttc"):
        (fonts / "evil.ttc").write_bytes(b"ttcf" + struct.pack(">HHI", 1, 0, 2**31 - 1) + bytes(64))
    elif kind == "symlink loop":
        (fonts / "loop.ttf").symlink_to("loop.ttf")
    elif kind == "fifo":
        os.mkfifo(fonts / "pipe.otf")
    else:
        (fonts / "short.ttf").write_bytes(
            b"\x00\x01\x00\x00"
            + struct.pack(">HHHH", 1, 16, 0, 0)
            + b"cmap"
            + struct.pack(">III", 0, 28, 2**31)
        )
    env = {"PASTEUP_FONT_DIR": str(fonts)}
    accepted(run("compose", page, cwd=tmp_path, env=env), 0, 1)
    accepted(run("export", page, "-o", tmp_path / "out.pdf", cwd=tmp_path, env=env))


@pytest.mark.parametrize(
    "target", ["page", "story", "photo", "backup", "directory", "device", "symlink to page"]
)
def test_export_never_writes_over_the_users_files(tmp_path, target):
    page = sample_copy(tmp_path)
    folder = page.parent
    shutil.copy(page, folder / "page.json.bak")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    output = {
        "page": page,
        "story": folder / "stories" / "lead.txt",
        "photo": folder / "photo-placeholder.jpg",
        "backup": folder / "page.json.bak",
        "directory": folder / "stories",
        "device": Path("/dev/null"),
        "symlink to page": folder / "link.pdf",
    }[target]
    if target == "symlink to page":
        output.symlink_to("page.json")
    for proof in ([], ["--proof"]):
        refused(run("export", page, "-o", output, *proof, cwd=tmp_path))
    assert {p: p.read_bytes() for p in before} == before
    assert Path("/dev/null").is_char_device()


def test_export_to_a_new_file_and_over_an_old_pdf_works(tmp_path):
    page = sample_copy(tmp_path)
    out = tmp_path / "out.pdf"
    accepted(run("export", page, "-o", out, cwd=tmp_path))
    first = out.read_bytes()
    assert first.startswith(b"%PDF")
    accepted(run("export", page, "-o", out, cwd=tmp_path))
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe not utf-8",
        "【正文】a\x00b".encode(),
        "【正文】a\x1b[2Jb".encode(),
        "x\u202ey".encode(),
    ],
)
def test_hostile_story_files(tmp_path, content):
    story = tmp_path / "story.txt"
    story.write_bytes(content)
    assert str(story) in refused(run("import-story", story, cwd=tmp_path))


def test_a_story_file_past_the_size_limit_is_refused_at_once(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("【正文】" + "字" * 300_000, encoding="utf-8")  # 900 KB
    for command in (["import-story", story], ["fit", story, "--width", "13字"]):
        assert "too large" in refused(run(*command, cwd=tmp_path))


def test_a_story_that_is_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "story.txt")
    refused(run("import-story", tmp_path / "story.txt", cwd=tmp_path))


def test_file_names_the_file_system_refuses(tmp_path):
    long_name = tmp_path / ("y" * 300 + ".json")
    assert "file name too long" in refused(run("validate", long_name, cwd=tmp_path))
    page = sample_copy(tmp_path)
    refused(run("export", page, "-o", tmp_path / ("x" * 300 + ".pdf"), cwd=tmp_path))
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop.name)
    assert "symlink loop" in refused(run("validate", loop, cwd=tmp_path))
