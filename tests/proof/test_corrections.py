"""Deciding corrections keeps every other correction's offsets right; the proof state saves
and loads exactly, and bad proof data in a page file is refused by field."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from app.errors import PasteupError
from app.model import read_document, save_document
from app.model.proofing import Correction, Reply
from app.proof.anchor import anchor_at, locate
from app.proof.corrections import accept, find, reject, reply, views
from app.proof.rounds import proof_status, round_diff, round_name, sign_off, start_round


def correction(document, cid, story, needle, action, replacement="", occurrence=0, at=None):
    """A pinned correction made directly in the model (no PDF): start from the text itself."""
    stream = document.stories[story].stream
    start = -1
    for _ in range(occurrence + 1):
        start = stream.index(needle, start + 1)
    if at is not None:  # an insertion point `at` characters into the needle
        start, end = start + at, start + at
    else:
        end = start + len(needle)
    anchor = anchor_at(stream, start, end)
    return Correction(id=cid, round=1, type="StrikeOut", action=action, author="校对",
                      created="", modified="", page=1, contents="", replacement=replacement,
                      story=story, block=story, start=start, end=end, text=anchor.text,
                      before=anchor.before, after=anchor.after)  # fmt: skip


EDITS = [  # (needle, occurrence, action, replacement, insertion offset)
    ("山西医科大学", 1, "replace", "山西医大", None),
    ("组织部部长", 0, "delete", "", None),
    ("李利平", 0, "insert", "教授", 0),
    ("走访慰问联系服务", 1, "replace", "看望", None),
    ("显著成就", 0, "delete", "", None),
    ("浓厚社会氛围", 0, "insert", "的", 2),
    ("。", 0, "insert", "\u2029", 1),  # 另起段 after the first full stop
]


def expected_text(stream, document_corrections):
    """Apply the edits to the original text from the end backwards: the reference result."""
    for c in sorted(document_corrections, key=lambda c: c.start, reverse=True):
        stream = stream[: c.start] + c.replacement + stream[c.end :]
    return stream


@pytest.mark.parametrize("seed", range(6))
def test_any_order_of_accepting_gives_the_same_text(document, seed):
    original = document.stories["zhengwu"].stream
    made = [correction(document, f"c{i}", "zhengwu", n, a, r, occ, at)
            for i, (n, occ, a, r, at) in enumerate(EDITS)]  # fmt: skip
    document.set_proof(replace(document.proof, corrections=tuple(made)))
    order = [c.id for c in made]
    random.Random(seed).shuffle(order)
    for cid in order:
        assert accept(document, [cid]).failed == ()
    assert document.stories["zhengwu"].stream == expected_text(original, made)
    for c in document.proof.corrections:  # each range now holds the new text
        assert document.stories["zhengwu"].stream[c.start : c.end] == c.replacement


def test_edit_in_the_editor_between_import_and_accept(document):
    made = correction(document, "c1", "xiyun", "晋剧名家", "replace", "晋剧艺术家")
    document.set_proof(replace(document.proof, corrections=(made,)))
    document.replace_text("xiyun", 0, 0, "【编者按】")  # the story moved on under the mark
    assert accept(document, ["c1"]).failed == ()
    assert "晋剧艺术家与新生代" in document.stories["xiyun"].stream


def test_marked_text_gone_is_refused_not_guessed(document):
    made = correction(document, "c1", "xiyun", "晋剧名家", "delete")
    document.set_proof(replace(document.proof, corrections=(made,)))
    at = document.stories["xiyun"].stream.index("晋剧名家")
    document.replace_text("xiyun", at, at + 4, "戏曲名角")
    before = document.stories["xiyun"].stream
    outcome = accept(document, ["c1"])
    assert outcome.done == () and "no longer there" in outcome.failed[0][1]
    assert document.stories["xiyun"].stream == before
    assert not views(document)[0].located


def test_reject_reply_and_ids(document):
    a = correction(document, "ab12cd34", "xiyun", "晋剧名家", "delete")
    b = correction(document, "ab99ef00", "xiyun", "新动能", "delete")
    document.set_proof(replace(document.proof, corrections=(a, b)))
    with pytest.raises(PasteupError, match="ambiguous id"):
        find(document, "ab")
    with pytest.raises(PasteupError, match="no correction zz"):
        find(document, "zz")
    with pytest.raises(PasteupError, match="needs a reason"):
        reject(document, ["ab12"], "  ")
    assert reject(document, ["ab12"], "名家无误", by="编辑").done == ("ab12cd34",)
    reply(document, "ab99", "已与作者核实", by="编辑", at="2026-01-09T10:00:00+08:00")
    stored = {c.id: c for c in document.proof.corrections}
    assert (stored["ab12cd34"].state, stored["ab12cd34"].why) == ("rejected", "名家无误")
    assert stored["ab99ef00"].replies == (
        Reply("编辑", "2026-01-09T10:00:00+08:00", "已与作者核实", "pasteup"),
    )
    assert accept(document, ["ab99ef00"]).done == ("ab99ef00",)
    assert accept(document, ["ab99ef00"]).failed[0][1].endswith("(already applied)")
    refused = reject(document, ["ab99ef00"], "x").failed  # applied text cannot be "rejected"
    assert "already applied to the text" in refused[0][1]


def test_proof_state_saves_and_loads_exactly(document, layout, page_path):
    start_round(document, layout, at="2026-01-09T09:00:00+08:00")
    made = correction(document, "c1", "xiyun", "晋剧名家", "replace", "晋剧\u2029名家")
    made = replace(made, replies=(Reply("李", "2026-01-09", "好", "pdf"),), viewer_state="Accepted")
    document.set_proof(replace(document.proof, corrections=(made,)))
    accept(document, ["c1"], by="排版", at="2026-01-09T10:00:00+08:00")
    start_round(document, layout, at="2026-01-09T11:00:00+08:00")
    sign_off(document, "总编", at="2026-01-09T12:00:00+08:00")
    save_document(document)
    again = read_document(page_path)
    assert again.proof == document.proof
    assert again.proof.signed_off.round == 2


@pytest.mark.parametrize(
    "proof, message",
    [
        ({"corrections": [{"id": "a", "round": 1, "action": "explode"}]},
         "corrections[0].action: expected one of"),
        ({"corrections": [{"id": "a", "round": 0, "action": "delete"}]},
         "corrections[0].round: expected a whole number ≥ 1"),
        ({"corrections": [{"id": "a", "round": 1, "action": "delete", "start": 5, "end": 2}]},
         "corrections[0].end: end 2 is before start 5"),
        ({"corrections": [{"id": "a", "round": 1, "action": "delete"}] * 2},
         "duplicate id 'a'"),
        ({"corrections": [{"id": "a", "round": 1, "action": "delete", "colour": "red"}]},
         "unknown field 'colour'"),
        ({"rounds": [{"number": 1, "document_hash": "x", "stories": {"s": 3}}]},
         "rounds[0].stories.s: expected text"),
        ({"rounds": [{"number": 2, "document_hash": "x", "stories": {}},
                     {"number": 1, "document_hash": "y", "stories": {}}]},
         "round numbers must increase"),
        ({"rounds": [{"number": 1, "document_hash": "x", "stories": {}, "blocks": {"b": [1]}}]},
         "rounds[0].blocks.b: expected [x, y, w, h]"),
        ({"signed_off": {"by": "x"}}, "signed_off.round: missing required field"),
    ],
)  # fmt: skip
def test_bad_proof_data_is_refused_by_field(page_path, proof, message):
    data = json.loads(page_path.read_text("utf-8"))
    data["proof"] = proof
    page_path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(PasteupError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_document(page_path)


def test_an_unchanged_page_keeps_its_round_and_rounds_are_named_in_chinese(document, layout):
    numbers = [start_round(document, layout).number for _ in range(3)]
    assert numbers == [1, 1, 1]  # the same proof sent again: marks on it belong to round 1
    assert len(document.proof.rounds) == 1
    for expected in (2, 3, 4, 5):
        story = document.stories["xiyun"]
        document.replace_text("xiyun", 0, 0, "新")
        assert story is not document.stories["xiyun"]
        assert start_round(document, layout).number == expected
    assert [round_name(r.number) for r in document.proof.rounds] == [
        "一校", "二校", "三校", "四校", "五校"]  # fmt: skip
    assert round_name(11) == "十一校" and round_name(20) == "二十校"


def test_rounds_status_sign_off_and_diff(document, layout):
    with pytest.raises(PasteupError, match="no proof round yet"):
        sign_off(document, "总编")
    first = start_round(document, layout, at="2026-01-09T09:00:00+08:00")
    assert first.number == 1
    made = correction(document, "c1", "xiyun", "晋剧名家", "replace", "晋剧艺术家")
    document.set_proof(replace(document.proof, corrections=(made,)))
    assert proof_status(document).open == 1
    with pytest.raises(PasteupError, match="1 corrections are still open"):
        sign_off(document, "总编")
    accept(document, ["c1"])
    status = proof_status(document)
    assert status.changed_since_last_round and status.open == 0
    assert [(c.author, c.applied) for c in status.counts] == [("校对", 1)]
    second = start_round(document, layout)
    assert second.number == 2
    diff = round_diff(document, 1, 2)
    assert [(s.story, [(c.kind, c.old_text, c.new_text) for c in s.changes])
            for s in diff.stories] == [("xiyun", [("replace", "名", "艺术")])]  # fmt: skip
    changed = diff.stories[0]
    old = dict(diff.old.stories)["xiyun"]
    new = dict(diff.new.stories)["xiyun"]
    rebuilt = old
    for c in reversed(changed.changes):
        rebuilt = rebuilt[: c.old_start] + c.new_text + rebuilt[c.old_start + len(c.old_text) :]
    assert rebuilt == new
    assert [block for block, _ in diff.regions] == ["xiyun"]
    with pytest.raises(PasteupError, match="no proof round 7"):
        round_diff(document, 1, 7)
    assert sign_off(document, "总编").round == 2


def test_locate_refuses_to_guess_between_equal_places():
    stream = "甲乙丙的丁戊己的庚"
    anchor = anchor_at("甲乙丙的丁", 3, 4)  # "的" with context 甲乙丙 / 丁
    assert locate(stream, anchor) == 3
    lone = anchor_at("的", 0, 1)  # no context at all: two 的 fit equally
    assert locate("他的书的页", lone) is None


def test_locate_moves_a_range_only_on_a_unique_strong_match():
    old = "记者张子珂郭娟张琦雷甫报道"
    anchor = anchor_at(old, 2, 3)  # 「张」 of 张子珂
    edited = "记者王子珂郭娟张琦雷甫报道"  # that 张 is gone; another 张 has 4 matching context
    assert locate(edited, anchor) is None
    moved = "（本报）" + old  # the whole text moved: all its context still matches
    assert locate(moved, anchor) == 6
    assert locate("短", anchor_at(old, 12, 12)) is None  # past the end of a shorter story
