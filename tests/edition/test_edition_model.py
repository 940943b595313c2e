"""The edition folder (format 2): round trips, format-1 pages upgraded and adopted, the plan."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
from pathlib import Path

from editionkit import assert_set_once, run, run_json, snapshot

from app.compose.composer import Composer
from app.compose.edition import EditionComposer, compose_page
from app.compose.layout import Image
from app.export.print_pdf import PrintOptions, write_print_pdf
from app.model import ArticleBlock, GridFrame, read_document
from app.model.editionfile import read_edition, save_edition
from app.model.fileformat import document_to_data

SAMPLE_PAGE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"


def test_load_save_load_is_byte_identical(edition_dir, tmp_path):
    copy = tmp_path / "copy"
    save_edition(read_edition(edition_dir), copy)
    saved = snapshot(copy)
    original = snapshot(edition_dir)
    for name, digest in saved.items():
        if name.endswith(".json"):
            assert original[name] == digest, name


def bboxes(pdf: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return "\n".join(line for line in result.stdout.splitlines() if "<word" in line)


def same_picture(item):
    """An item, with a picture named by its bytes: the upgrade copies photos beside the page."""
    if isinstance(item, Image):
        return item._replace(path=hashlib.sha256(Path(item.path).read_bytes()).hexdigest())
    return item


def test_a_format1_page_upgrades_losing_nothing_and_prints_the_same(capsys, tmp_path):
    kept = SAMPLE_PAGE.read_bytes()
    code, _, err = run(capsys, "edition", "upgrade", SAMPLE_PAGE, tmp_path / "ed")
    assert code == 0, err
    assert SAMPLE_PAGE.read_bytes() == kept  # the old file is kept as it was
    page = read_document(SAMPLE_PAGE)
    edition = read_edition(tmp_path / "ed")
    member = edition.pages[0].document
    assert document_to_data(member) == document_to_data(page)  # nothing dropped
    assert (tmp_path / "ed" / "photo-placeholder.jpg").is_file()

    before, after = Composer().compose(page), compose_page(member)
    assert after.lines == before.lines
    assert [same_picture(i) for i in after.items] == [same_picture(i) for i in before.items]
    assert after.meta == before.meta
    options = PrintOptions(mark_placeholders=True)  # the sample's photo is a stand-in
    write_print_pdf(before, tmp_path / "before.pdf", options)
    write_print_pdf(after, tmp_path / "after.pdf", options)
    assert bboxes(tmp_path / "before.pdf") == bboxes(tmp_path / "after.pdf")


def test_adopting_a_page_renames_clashing_ids(capsys, edition_dir):
    code, out, err = run(capsys, "edition", "add", edition_dir, SAMPLE_PAGE, "--at", "2")
    assert code == 0, err
    assert "renamed: lead → lead-1" in out and "renamed: running-head → running-head-1" in out
    info = run_json(capsys, "edition", "info", edition_dir, "--json")
    assert [p["name"] for p in info["pages"]] == ["要闻", "要闻", "广告", "综合", "文化"]
    assert [(j["from"], j["to"]) for j in info["jumps"]] == [("1", "4"), ("4", "5")]
    edition = read_edition(edition_dir)
    blocks = [b.id for p in edition.pages for b in p.document.blocks]
    assert len(blocks) == len(set(blocks))
    layouts = EditionComposer().compose(edition)
    for story in ("renda", "renda-1"):
        ranges = [(ln.start, ln.end) for p in layouts.pages for ln in p.lines if ln.story == story]
        assert_set_once(edition.stories[story].stream, ranges)


def test_a_new_edition_by_sections_renumbers_when_pages_move(capsys, tmp_path):
    folder = tmp_path / "new"
    code, _, err = run(capsys, "edition", "new", folder, "--paper", "晋中日报", "--date",
                         "2026-01-10", "--pages", "4", "--sections", "A:2,B:2",
                         "--names", "要闻,综合,经济,体育", "--mono", "2,4")  # fmt: skip
    assert code == 0, err
    info = run_json(capsys, "edition", "info", folder, "--json")
    assert [p["number"] for p in info["pages"]] == ["A01", "A02", "B01", "B02"]
    assert [p["color"] for p in info["pages"]] == [True, False, True, False]
    assert run(capsys, "edition", "move", folder, "B02", "--to", "1")[0] == 0
    info = run_json(capsys, "edition", "info", folder, "--json")
    assert [(p["number"], p["name"]) for p in info["pages"]] == [
        ("B01", "体育"), ("A01", "要闻"), ("A02", "综合"), ("B02", "经济"),
    ]  # fmt: skip
    code, _, err = run(capsys, "edition", "new", folder, "--paper", "x", "--date", "2026-01-10",
                       "--pages", "2")  # fmt: skip
    assert code == 2 and "nothing changed" in err


def test_an_edit_recomposes_only_the_pages_it_touches(edition_dir):
    edition = read_edition(edition_dir)
    composer = EditionComposer()
    first = composer.compose(edition)
    assert composer.compose(edition).recomposed == ()
    lead = edition.stories["lead"]
    edition.stories["lead"] = lead.replace_text(40, 41, "乙")
    assert composer.compose(edition).recomposed == ("p1",)
    renda = edition.stories["renda"]
    at = renda.stream.index("。") + 1
    edition.stories["renda"] = renda.replace_text(at, at, "甲")
    assert set(composer.compose(edition).recomposed) == {"p1", "p3", "p4"}
    edition.move("3", 4)  # pages 3 and 4 swap numbers; page 1's jump line names the new 4
    again = composer.compose(edition)
    assert set(again.recomposed) == {"p1", "p3", "p4"}
    assert again.page("p2") is first.page("p2")


def test_a_continuation_on_the_same_page_flows_on_without_jump_lines(edition_dir):
    edition = read_edition(edition_dir)
    page = edition.page("3")
    block = page.document.block("renda-2")
    page.document.set_block(dataclasses.replace(block, frames=(GridFrame(0, 2, 0, 8),)))
    page.document.insert_block(ArticleBlock("renda-2b", "renda", (GridFrame(2, 2, 0, 8),)))
    page.continues["renda-2b"] = "renda-2"
    edition.page("4").continues["renda-3"] = "renda-2b"
    layouts = EditionComposer().compose(edition)
    lines = [ln for ln in layouts.page("p3").lines if ln.block in ("renda-2", "renda-2b")]
    jumps = [ln.text for ln in lines if not ln.story]
    assert jumps == ["（上接第1版）", "（下转第4版）"]  # none between the two blocks on page 3
    assert lines[-1].block == "renda-2b" and any(
        ln.block == "renda-2b" and ln.story for ln in lines
    )
    ranges = [(ln.start, ln.end) for p in layouts.pages for ln in p.lines if ln.story == "renda"]
    assert_set_once(edition.stories["renda"].stream, ranges)


def test_new_ids_on_a_page_are_free_in_the_whole_edition(edition_dir):
    edition = read_edition(edition_dir)
    front, page3 = edition.page("1").document, edition.page("3").document
    front.insert_block(ArticleBlock("article1", "xiyun", (GridFrame(0, 1, 0, 1),)))
    assert page3.new_id("article") == "article2"  # article1 is taken on page 1
    assert page3.new_id("xiyun") == "xiyun1"
