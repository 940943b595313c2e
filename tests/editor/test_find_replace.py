"""Find and replace across the page's stories, shown on the canvas, one undo step for all."""

from __future__ import annotations


def test_find_shows_each_match_in_place_and_replace_all_undoes_at_once(make_editor):
    window = make_editor()
    document = window.session.document
    before = {k: s.stream for k, s in document.stories.items()}
    total = sum(s.count("推进") for s in before.values())
    assert total >= 2
    window.actions_by_name["find"].trigger()
    dialog = window.find_dialog
    dialog.find_text.setText("推进")
    first = dialog.find()
    typing = window.canvas.typing
    assert typing is not None and typing.story_id == first.story
    assert document.stories[first.story].stream[slice(*typing.selection())] == "推进"
    second = dialog.find()
    assert (second.story, second.start) != (first.story, first.start)
    dialog.replace_text.setText("推动")
    dialog.replace()  # replaces the highlighted one, moves on
    after_one = sum(s.stream.count("推进") for s in document.stories.values())
    assert after_one == total - 1
    dialog.replace_everything()
    assert all("推进" not in s.stream for s in document.stories.values())
    window.session.undo()
    assert sum(s.stream.count("推进") for s in document.stories.values()) == total - 1
    dialog.regex.setChecked(True)
    dialog.find_text.setText("推(进|动)")
    dialog.replace_text.setText(r"促\1")
    dialog.replace_everything()
    assert sum(s.stream.count("促进") for s in document.stories.values()) >= total - 1
    dialog.find_text.setText("推(")
    dialog.replace_everything()
    assert "正则" in dialog.result.text()
    dialog.close()
