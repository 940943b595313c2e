"""The edition through the command line: the plan, jump lines that follow it, status, sign-off."""

from __future__ import annotations

from editionkit import assert_set_once, run, run_json

from app.model.editionfile import read_edition


def test_info_lists_pages_in_plan_order_with_jumps_and_the_ad(capsys, sample_edition_dir):
    info = run_json(capsys, "edition", "info", sample_edition_dir, "--json")
    assert [p["number"] for p in info["pages"]] == ["1", "2", "3", "4"]
    assert len(info["pages"]) >= 4
    assert {"story": "renda", "from": "1", "to": "3"}.items() <= info["jumps"][0].items()
    assert any(j["from"] == "3" and j["to"] == "4" for j in info["jumps"])
    ads = {ad["id"]: ad for ad in info["ads"]}
    assert ads["ad-front"]["page"] == "1" and ads["ad-front"]["placeholder"] is True
    assert ads["ad-front"]["file_exists"]
    assert info["pages"][0]["ads"] == ["ad-front"]


def jump_lines(composed) -> dict[str, list[str]]:
    """Page number → the jump lines set on it, in reading order."""
    found: dict[str, list[str]] = {}
    for page in composed["pages"]:
        for block in page["blocks"]:
            for line in block["lines"]:
                if line.get("jump"):
                    found.setdefault(page["number"], []).append(line["text"])
    return found


def story_ranges(composed, story: str):
    return [
        (line["start"], line["end"])
        for page in composed["pages"]
        for block in page["blocks"]
        if block["story"] == story
        for line in block["lines"]
        if not line.get("jump")
    ]


def test_jump_lines_follow_the_plan_and_every_character_is_set_once(capsys, edition_dir):
    composed = run_json(capsys, "edition", "compose", edition_dir, "--json")
    assert jump_lines(composed) == {
        "1": ["（下转第3版）"],
        "3": ["（上接第1版）", "（下转第4版）"],
        "4": ["（上接第3版）"],
    }
    stream = read_edition(edition_dir).stories["renda"].stream
    assert_set_once(stream, story_ranges(composed, "renda"))

    code, _out, err = run(capsys, "edition", "move", edition_dir, "3", "--to", "2")
    assert code == 0, err
    composed = run_json(capsys, "edition", "compose", edition_dir, "--json")
    names = {p["number"]: p["name"] for p in composed["pages"]}
    assert names == {"1": "要闻", "2": "综合", "3": "广告", "4": "文化"}
    assert jump_lines(composed) == {
        "1": ["（下转第2版）"],
        "2": ["（上接第1版）", "（下转第4版）"],
        "4": ["（上接第2版）"],
    }
    assert_set_once(stream, story_ranges(composed, "renda"))
    info = run_json(capsys, "edition", "info", edition_dir, "--json")
    assert [(j["from"], j["to"]) for j in info["jumps"]] == [("1", "2"), ("2", "4")]


def test_a_page_of_the_edition_works_with_the_page_commands(capsys, edition_dir):
    composed = run_json(capsys, "compose", edition_dir / "p3.json", "--json")
    texts = [line["text"] for b in composed["blocks"] for line in b["lines"]]
    assert "（上接第1版）" in texts and "（下转第4版）" in texts
    code, _out, err = run(capsys, "preflight", edition_dir / "p1.json")
    assert code == 0, err


def test_status_and_signoff(capsys, edition_dir, tmp_path):
    code, _, err = run(capsys, "edition", "signoff", edition_dir, "3", "--by", "值班总编")
    assert code == 2 and "尚未出过校样" in err and err.count("\n") == 1
    code, _, err = run(capsys, "edition", "export", edition_dir, "-o", tmp_path / "proofs",
                         "--proof", "--pages", "3")  # fmt: skip
    assert code == 0, err
    rows = run_json(capsys, "edition", "status", edition_dir, "--json")
    assert [r["stage"] for r in rows] == ["排版中", "排版中", "一校", "排版中"]
    code, _, err = run(capsys, "edition", "signoff", edition_dir, "3", "--by", "值班总编")
    assert code == 0, err
    code, _, err = run(capsys, "edition", "status", edition_dir, "3", "--set", "二校", "--by", "x")
    assert code == 0, err
    rows = run_json(capsys, "edition", "status", edition_dir, "--json")
    assert rows[2]["stage"] == "二校"
    code, _out, err = run(capsys, "edition", "status", edition_dir, "3", "--set", "签版")
    assert code == 2


def test_running_heads_come_from_the_edition_and_mirror_on_left_hand_pages(capsys, tmp_path):
    folder = tmp_path / "new"
    code, _, err = run(capsys, "edition", "new", folder, "--paper", "晋中日报", "--date",
                       "2026-01-10", "--pages", "2", "--issue", "第8899期",
                       "--names", "要闻,综合")  # fmt: skip
    assert code == 0, err
    composed = run_json(capsys, "edition", "compose", folder, "--json")
    heads = []
    for page in composed["pages"]:
        lines = sorted(page["blocks"][0]["lines"], key=lambda line: line["x"])
        heads.append([line["text"] for line in lines])
    assert heads[0] == ["晋中日报", "要闻", "2026年1月10日 星期六  第8899期  第1版"]
    assert heads[1] == ["2026年1月10日 星期六  第8899期  第2版", "综合", "晋中日报"]


def test_booking_an_ad(capsys, edition_dir):
    code, _, err = run(capsys, "edition", "book-ad", edition_dir, "3", "ads/ad-front.jpg",
                         "--size", "8x30", "--at", "0,74", "--advertiser", "示例",
                         "--placeholder")  # fmt: skip
    assert code == 0, err
    info = run_json(capsys, "edition", "info", edition_dir, "--json")
    booked = info["ads"][-1]
    assert booked["page"] == "3" and booked["frame"] == {
        "col": 0,
        "cols": 8,
        "line": 74,
        "lines": 30,
    }
    code, _, err = run(capsys, "edition", "book-ad", edition_dir, "3", "ads/x.jpg",
                       "--size", "9x30", "--at", "0,0")  # fmt: skip
    assert code == 2 and "does not fit" in err


def test_signoff_refuses_a_page_with_preflight_errors(capsys, edition_dir, tmp_path):
    import json

    code, _, err = run(capsys, "edition", "export", edition_dir, "-o", tmp_path / "proofs",
                       "--proof", "--pages", "4")  # fmt: skip
    assert code == 0, err
    page = json.loads((edition_dir / "p4.json").read_text("utf-8"))
    page["blocks"][1]["frames"][0]["depth"] = 2  # now the story's last part is overset
    (edition_dir / "p4.json").write_text(json.dumps(page, ensure_ascii=False), "utf-8")
    code, _, err = run(capsys, "edition", "signoff", edition_dir, "4", "--by", "值班总编")
    assert code == 2 and "预检" in err and "p4.json" in err and err.count("\n") == 1
    rows = run_json(capsys, "edition", "status", edition_dir, "--json")
    assert rows[3]["stage"] == "一校"
