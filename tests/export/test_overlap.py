"""Nothing printed on top of anything: each kind of overlap is a preflight error.

(Only the overlap codes are looked at: these short test pages are overset or underset.)

Pages are built from nothing on the tabloid grid with the real composer; the sample
page's own preflight stays free of overlaps.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from samples import sample_copy

from app.compose.composer import Composer
from app.export.overlap import OVERLAP_CODES
from app.model import (
    ArticleBlock,
    CaptionBlock,
    GridFrame,
    PageMeta,
    Paragraph,
    PhotoBlock,
    SectionHeadBlock,
    Story,
    load_layout,
    read_document,
)
from app.model.newpage import new_page
from app.publish import print_check

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page"
BODY = (
    "今年以来，我市持续推进城乡融合发展，新建改建农村公路一百二十公里，沿线群众出行更加便利。" * 8
)


def _page(tmp_path, *blocks_and_stories):
    shutil.copy(SAMPLE / "photo-placeholder.jpg", tmp_path / "photo.jpg")
    document = new_page(load_layout("tabloid-6col"), PageMeta(paper="测试报", edition="3"))
    document.path = tmp_path / "page.json"
    for block, story in blocks_and_stories:
        if story is not None:
            document.add_story(story)
        document.insert_block(block)
    return document


def _story(story_id: str, *paragraphs: tuple[str, str]) -> Story:
    return Story(story_id, tuple(Paragraph(role, text) for role, text in paragraphs))


def _codes(document) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for f in print_check(document, Composer().compose(document)):
        if f.code in OVERLAP_CODES:
            assert f.severity == "error"
            found.setdefault(f.code, set()).add(f.block)
    return found


def _article(block_id, col, span, line, depth, *paragraphs):
    story = _story(block_id, *paragraphs)
    return ArticleBlock(block_id, block_id, (GridFrame(col, span, line, depth),)), story


def test_text_on_text_when_a_block_is_nudged_onto_its_neighbour(tmp_path):
    apart = _page(
        tmp_path,
        _article("a", 0, 2, 0, 20, ("正文", BODY)),
        _article("b", 2, 2, 0, 20, ("正文", BODY)),
    )
    assert _codes(apart) == {}
    onto = _page(
        tmp_path,
        _article("a", 0, 2, 0, 20, ("正文", BODY)),
        _article("b", 1, 2, 0, 20, ("正文", BODY)),  # one column onto a
    )
    assert _codes(onto) == {"text-on-text": {"b"}}


def test_headline_over_body_text(tmp_path):
    document = _page(
        tmp_path,
        _article("a", 0, 3, 0, 20, ("正文", BODY)),
        _article("b", 0, 3, 2, 20, ("主题", "我市新建公路一百二十公里"), ("正文", "短。")),
    )
    assert "headline-on-text" in _codes(document)


def test_caption_over_text_it_cannot_push(tmp_path):
    section = SectionHeadBlock("s", "s", GridFrame(0, 2, 0, 4))
    photo = PhotoBlock("p", GridFrame(2, 2, 0, 8), "photo.jpg")
    caption = CaptionBlock("c", "c", "p", GridFrame(0, 2, 1, 2))  # over the section head
    document = _page(
        tmp_path,
        (section, _story("s", ("栏头", "政务动态"), ("拼音", "ZHENG WU DONG TAI"))),
        (photo, None),
        (caption, _story("c", ("图说", "图为新建的农村公路。本报记者 摄"))),
    )
    assert _codes(document).get("caption-on-text") == {"c"}


def test_text_on_a_picture(tmp_path):
    photo = PhotoBlock("p", GridFrame(0, 3, 0, 12), "photo.jpg")
    document = _page(
        tmp_path,
        (photo, None),
        _article("a", 0, 3, 2, 20, ("主题", "我市新建公路一百二十公里"), ("正文", BODY)),
    )
    assert _codes(document).get("text-on-picture") == {"a"}


def test_a_caption_pushes_body_text_away_instead_of_printing_over_it(tmp_path):
    photo = PhotoBlock("p", GridFrame(3, 3, 0, 10), "photo.jpg")
    caption = CaptionBlock("c", "c", "p", GridFrame(2, 2, 10, 3))  # reaches into the article
    article = _article("a", 0, 3, 0, 40, ("正文", BODY))
    document = _page(
        tmp_path, (photo, None), (caption, _story("c", ("图说", "图为新建的农村公路。"))), article
    )
    layout = Composer().compose(document)
    caption_frame = next(f for f in layout.blocks if f.block == "c").rect
    for line in layout.lines:
        if line.block == "a":
            assert not (line.top < caption_frame.bottom and caption_frame.y < line.bottom) or (
                line.origin + max(line.char_rights) <= caption_frame.x
            )
    assert _codes(document) == {}


@pytest.mark.parametrize("page", ["page.json"])
def test_the_sample_page_has_no_overlap(page):
    document = read_document(SAMPLE / page)
    assert _codes(document) == {}


def test_pasteup_preflight_and_export_refuse_an_overlap(tmp_path, capsys):
    import json

    from app.cli import main

    page = sample_copy(tmp_path / "news-page")  # its photo declared real: placeholders never print
    data = json.loads(page.read_text(encoding="utf-8"))
    block = next(b for b in data["blocks"] if b["id"] == "xiyun")
    block["frames"][0]["col"] -= 1  # nudged one column onto its neighbour
    page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["preflight", str(page), "--json"]) == 1
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)}
    assert codes & {"text-on-text", "headline-on-text"}
    pdf = tmp_path / "p.pdf"
    assert main(["export", str(page), "-o", str(pdf)]) == 1 and not pdf.exists()
    assert main(["export", str(page), "-o", str(pdf), "--force"]) == 0 and pdf.exists()
