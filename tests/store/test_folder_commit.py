"""The folder's checkout, which the commands use on an edition folder: a command writes only
the files it changed, and all of them or none."""

import json

import pytest
from test_store import edit_story, move_block

from app.cli import main
from app.model.store import SaveConflict
from app.model.store.folder import FolderStore


def test_a_command_rewrites_no_file_it_did_not_change(edition_dir, capsys):
    story = edition_dir / "stories" / "lead.json"
    story.write_text(json.dumps(json.loads(story.read_text("utf-8")), indent=4), "utf-8")
    before = story.read_bytes()
    assert main(["edition", "status", str(edition_dir), "2", "--set", "一校", "--by", "校对"]) == 0
    assert story.read_bytes() == before and not story.with_suffix(".json.bak").exists()
    assert (edition_dir / "edition.json.bak").exists()  # the one it changed, its old one kept
    capsys.readouterr()


def test_a_change_saved_whole_or_kept_whole(edition_dir):
    checkout = FolderStore(edition_dir.parent).open(edition_dir.name)
    move_block(checkout.edition, "p1", "xiyun", 1)
    edit_story(checkout.edition, "xiyun", "改")
    page, story = edition_dir / "p1.json", edition_dir / "stories" / "xiyun.json"
    theirs = story.read_text("utf-8").replace("。", "！", 1)  # another program, meanwhile
    story.write_text(theirs, "utf-8")
    page_before = page.read_bytes()
    with pytest.raises(SaveConflict, match=r"xiyun\.json"):
        checkout.commit("王美编")
    assert page.read_bytes() == page_before and story.read_text("utf-8") == theirs
    copies = sorted(p.name for p in edition_dir.rglob("*.conflict-*.json"))
    assert [c.split(".")[0] for c in copies] == ["p1", "xiyun"]
