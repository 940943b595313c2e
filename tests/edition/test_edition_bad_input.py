"""Bad editions: one line naming the file and the problem, exit 2, and nothing lost or written."""

from __future__ import annotations

import json

import pytest
from editionkit import run, snapshot


def change_json(path, change) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")


def drop_page_3_from_plan(data) -> None:
    data["pages"] = [p for p in data["pages"] if p["id"] != "p3"]


def two_pages_numbered_2(data) -> None:
    data["pages"][2]["number"] = "2"


def make_a_cycle(data) -> None:
    data["blocks"][next(i for i, b in enumerate(data["blocks"]) if b["id"] == "renda")][
        "continues"
    ] = "renda-3"


CASES = {
    "page file missing": (lambda folder: (folder / "p3.json").unlink(), "p3.json", "文件不存在"),
    "jump to a page not in the plan": (
        lambda folder: change_json(folder / "edition.json", drop_page_3_from_plan),
        "p4.json",
        "on no page of the plan",
    ),
    "continuation cycle": (
        lambda folder: change_json(folder / "p1.json", make_a_cycle),
        "p1.json",
        "cycle",
    ),
    "two pages with one number": (
        lambda folder: change_json(folder / "edition.json", two_pages_numbered_2),
        "edition.json",
        "two pages with one number",
    ),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["info", "compose", "export"])
def test_bad_edition_is_one_line_and_exit_2(capsys, edition_dir, tmp_path, case, command):
    damage, file_name, words = CASES[case]
    damage(edition_dir)
    before = snapshot(edition_dir)
    out = tmp_path / "plant"
    extra = ["-o", out] if command == "export" else []
    code, _stdout, err = run(capsys, "edition", command, edition_dir, *extra)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert file_name in err and words in err, err
    assert snapshot(edition_dir) == before
    assert not out.exists() or not list(out.iterdir())


def test_missing_ad_file_refuses_the_delivery(capsys, edition_dir, tmp_path):
    (edition_dir / "ads" / "ad-front.jpg").unlink()
    before = snapshot(edition_dir)
    out = tmp_path / "plant"
    code, _, err = run(capsys, "edition", "export", edition_dir, "-o", out, "--force")
    assert code == 2 and err.count("\n") == 1
    assert "ad-front.jpg" in err and "广告文件不存在" in err
    assert snapshot(edition_dir) == before
    assert not list(out.glob("*.pdf"))
    code, _stdout, err = run(capsys, "edition", "compose", edition_dir, "--page", "1")
    assert code == 1  # composing shows the page, with the error among its findings


def test_text_running_into_an_ad_is_a_preflight_error(capsys, edition_dir):
    def widen_renda(data) -> None:
        block = next(b for b in data["blocks"] if b["id"] == "renda")
        block["frames"][0]["depth"] = 60  # down into the booked ad below it

    change_json(edition_dir / "p1.json", widen_renda)
    code, stdout, _err = run(capsys, "preflight", edition_dir / "p1.json")
    assert code == 1 and "广告" in stdout and "renda" in stdout


def test_moving_to_a_position_outside_the_plan(capsys, edition_dir):
    before = snapshot(edition_dir)
    code, _stdout, err = run(capsys, "edition", "move", edition_dir, "3", "--to", "9")
    assert code == 2 and err.count("\n") == 1 and "1–4" in err
    assert snapshot(edition_dir) == before


def test_an_output_folder_that_is_a_file(capsys, edition_dir, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("mine", "utf-8")
    code, _, err = run(capsys, "edition", "export", edition_dir, "-o", taken)
    assert code == 2 and err.count("\n") == 1 and "taken" in err
    assert taken.read_text("utf-8") == "mine"


def test_an_ad_file_that_is_not_a_picture(capsys, edition_dir, tmp_path):
    (edition_dir / "ads" / "ad-front.jpg").write_bytes(b"%PDF-1.4 not a picture")
    code, _, err = run(capsys, "edition", "export", edition_dir, "-o", tmp_path / "plant")
    assert code == 2 and err.count("\n") == 1 and "ad-front.jpg" in err
    assert not (tmp_path / "plant").exists()
