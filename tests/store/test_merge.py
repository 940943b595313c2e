"""Re-applying a refused save (app.model.store.merge): three-way merges of the sample edition's
real records — blocks merge one by one, paragraphs by position, conflicts named and theirs kept."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from app.model.store.merge import merge

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "edition"


def _page() -> dict:
    data = json.loads((SAMPLE / "p1.json").read_text("utf-8"))
    data.pop("proof")  # the page record is the page less its proof rounds
    return data


def _story() -> dict:
    return json.loads((SAMPLE / "stories" / "renda.json").read_text("utf-8"))


def _block(page: dict, block_id: str) -> dict:
    return next(b for b in page["blocks"] if b["id"] == block_id)


def test_edits_of_different_blocks_are_both_kept():
    base = _page()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    _block(mine, "lead")["frames"][0]["line"] = 4  # I moved the lead down
    _block(theirs, "renda")["head_lines"] = 5  # they changed renda's head
    theirs["blocks"].append(
        {"id": "rule-new", "type": "rule", "frame": _block(base, "lead")["frames"][0]}
    )
    merged = merge("page", base, mine, theirs)
    assert merged.clean
    assert _block(merged.body, "lead")["frames"][0]["line"] == 4
    assert _block(merged.body, "renda")["head_lines"] == 5
    assert [b["id"] for b in merged.body["blocks"]] == [b["id"] for b in theirs["blocks"]]


def test_the_same_field_of_the_same_block_changed_both_ways_is_a_conflict_keeping_theirs():
    base = _page()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    _block(mine, "lead")["head_lines"] = 6
    _block(theirs, "lead")["head_lines"] = 10
    _block(mine, "renda")["head_lines"] = 3  # a field nobody else touched still merges
    merged = merge("page", base, mine, theirs)
    assert [(c.where, c.field, c.mine, c.theirs) for c in merged.conflicts] == [
        ("文框 (block) lead", "head_lines", 6, 10)
    ]
    assert _block(merged.body, "lead")["head_lines"] == 10
    assert _block(merged.body, "renda")["head_lines"] == 3
    assert "lead" in str(merged.conflicts[0]) and "head_lines" in str(merged.conflicts[0])


def test_blocks_added_on_each_side_and_a_new_order_are_all_kept():
    base = _page()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    frame = {"col": 0, "span": 1, "line": 0, "depth": 2}
    mine["blocks"].insert(2, {"id": "mine-box", "type": "box", "frame": frame})
    theirs["blocks"].append({"id": "their-box", "type": "box", "frame": frame})
    theirs["blocks"].insert(1, theirs["blocks"].pop())  # theirs also brought it forward
    merged = merge("page", base, mine, theirs)
    ids = [b["id"] for b in merged.body["blocks"]]
    assert merged.clean and ids.count("mine-box") == ids.count("their-box") == 1
    assert ids.index("mine-box") == ids.index(base["blocks"][1]["id"]) + 1  # after its neighbour
    assert ids[1] == "their-box"


def test_a_deleted_block_against_an_edit_of_it_is_a_conflict():
    base = _page()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["blocks"] = [b for b in mine["blocks"] if b["id"] != "renda"]  # I deleted it
    _block(theirs, "renda")["head_lines"] = 2  # they edited it
    merged = merge("page", base, mine, theirs)
    assert [(c.where, c.mine is None) for c in merged.conflicts] == [("文框 (block) renda", True)]
    assert _block(merged.body, "renda")["head_lines"] == 2  # theirs kept
    # A deletion nobody else touched simply merges.
    untouched = copy.deepcopy(base)
    _block(untouched, "lead")["head_lines"] = 1
    merged = merge("page", base, mine, untouched)
    assert merged.clean and "renda" not in [b["id"] for b in merged.body["blocks"]]
    assert _block(merged.body, "lead")["head_lines"] == 1


def test_different_paragraphs_merge_and_the_same_one_conflicts():
    base = _story()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["paragraphs"][3]["text"] += "（甲改）"
    theirs["paragraphs"][4]["text"] += "（乙改）"
    theirs["paragraphs"].insert(6, {"role": "小标题", "text": "新小标题"})
    merged = merge("story", base, mine, theirs)
    texts = [p["text"] for p in merged.body["paragraphs"]]
    assert merged.clean and texts[3].endswith("（甲改）") and texts[4].endswith("（乙改）")
    assert texts[6] == "新小标题" and len(texts) == len(base["paragraphs"]) + 1

    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["paragraphs"][3]["text"] = "甲的写法"
    theirs["paragraphs"][3]["text"] = "乙的写法"
    mine["paragraphs"][5]["role"] = "小标题"  # another paragraph's role: merged
    merged = merge("story", base, mine, theirs)
    assert [(c.where, c.field, c.mine, c.theirs) for c in merged.conflicts] == [
        ("段 4 (paragraph 4)", "text", "甲的写法", "乙的写法")
    ]
    assert merged.body["paragraphs"][3]["text"] == "乙的写法"
    assert merged.body["paragraphs"][5]["role"] == "小标题"


def test_one_paragraphs_role_and_its_text_changed_on_two_sides_both_land():
    base = _story()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["paragraphs"][0]["role"] = "引题"
    theirs["paragraphs"][0]["text"] = "新主题"
    merged = merge("story", base, mine, theirs)
    assert merged.clean and merged.body["paragraphs"][0] == {"role": "引题", "text": "新主题"}


def test_a_paragraph_deleted_here_and_edited_there_conflicts():
    base = _story()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    del mine["paragraphs"][4]
    theirs["paragraphs"][4]["text"] = "乙改了这一段"
    merged = merge("story", base, mine, theirs)
    assert len(merged.conflicts) == 1 and merged.conflicts[0].where.startswith("段 5")
    assert merged.body == theirs


def test_plan_and_status_merge_by_field_and_a_removed_record_conflicts():
    plan = json.loads((SAMPLE / "edition.json").read_text("utf-8"))
    mine, theirs = copy.deepcopy(plan), copy.deepcopy(plan)
    mine["issue"] = "第1期"
    theirs["pages"][1]["name"] = "广告专版"
    merged = merge("plan", plan, mine, theirs)
    assert merged.clean and merged.body["issue"] == "第1期"
    assert merged.body["pages"][1]["name"] == "广告专版"

    status = [{"stage": "排版中", "by": "甲", "at": "2026-01-09T20:00:00+08:00"}]
    one = [*status, {"stage": "一校", "by": "甲", "at": "2026-01-09T21:00:00+08:00"}]
    two = [*status, {"stage": "二校", "by": "乙", "at": "2026-01-09T21:01:00+08:00"}]
    merged = merge("status", status, one, two)
    assert merged.body == two and len(merged.conflicts) == 1

    merged = merge("story", _story(), None, _story() | {"source": "x.txt"})
    assert merged.conflicts and merged.body["source"] == "x.txt"  # removed here, edited there
