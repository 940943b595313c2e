"""Manuscripts: encodings detected and reported, Word styles to roles, `pasteup new`/`place`."""

from __future__ import annotations

import json

import docx
import pytest

from app.cli import main
from app.errors import PasteupError
from app.model import read_document
from app.model.manuscript import read_manuscript

STORY = "【主题】我市新建公路一百二十公里\n【作者】本报记者 王明\n今年以来,我市持续推进城乡融合发展(据统计)。\n"


@pytest.mark.parametrize(
    ("encoding", "label", "guessed"),
    [
        ("utf-8", "UTF-8", False),
        ("utf-8-sig", "UTF-8", False),
        ("utf-16", "UTF-16", False),  # with a BOM
        ("utf-16-le", "UTF-16-LE", True),
        ("gb18030", "GB18030", True),
        ("gbk", "GB18030", True),
    ],
)
def test_text_in_every_common_encoding(tmp_path, encoding, label, guessed):
    path = tmp_path / "s.txt"
    path.write_bytes(STORY.encode(encoding))
    manuscript = read_manuscript(path, "s")
    story = manuscript.imported.story
    assert [p.role for p in story.paragraphs] == ["主题", "作者", "正文"]
    assert story.paragraphs[2].text == "今年以来，我市持续推进城乡融合发展（据统计）。"
    assert (manuscript.encoding, manuscript.guessed) == (label, guessed)
    assert label in manuscript.report() and ",→，" in manuscript.report()


def test_binary_and_broken_files_are_one_clear_error(tmp_path):
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(PasteupError, match=r"b\.txt"):
        read_manuscript(binary, "b")
    fake = tmp_path / "f.docx"
    fake.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(PasteupError, match=r"f\.docx.*docx"):
        read_manuscript(fake, "f")


def test_word_styles_and_bold_lines_become_roles(tmp_path):
    document = docx.Document()
    document.add_paragraph("城乡融合迈出新步伐", style="Heading 3")
    document.add_paragraph("我市新建公路一百二十公里", style="Title")
    document.add_paragraph("百姓出行更方便", style="Subtitle")
    document.add_paragraph("本报记者 王明")
    document.add_paragraph("今年以来,我市持续推进城乡融合发展。")
    document.add_paragraph().add_run("沿线群众得实惠").bold = True
    document.add_paragraph("【小标题】后续工程")
    document.add_paragraph("明年还将继续。")
    path = tmp_path / "m.docx"
    document.save(path)
    manuscript = read_manuscript(path, "m")
    roles = [(p.role, p.text) for p in manuscript.imported.story.paragraphs]
    assert roles == [
        ("引题", "城乡融合迈出新步伐"),
        ("主题", "我市新建公路一百二十公里"),
        ("副题", "百姓出行更方便"),
        ("作者", "本报记者 王明"),
        ("正文", "今年以来，我市持续推进城乡融合发展。"),
        ("小标题", "沿线群众得实惠"),
        ("小标题", "后续工程"),
        ("正文", "明年还将继续。"),
    ]
    assert manuscript.encoding == "docx"


def test_pasteup_new_and_place(tmp_path, capsys):
    page = tmp_path / "p.json"
    args = ["new", str(page), "--layout", "tabloid-6col", "--paper", "晋中日报"]
    assert main([*args, "--date", "2026-03-01", "--page-number", "5", "--page-name", "社会"]) == 0
    document = read_document(page)
    assert document.layout.name == "tabloid-6col"
    assert (document.meta.paper, document.meta.edition, document.meta.page_name) == (
        "晋中日报",
        "5",
        "社会",
    )
    assert main(["new", str(page)]) == 2  # never overwrites
    assert "已存在" in capsys.readouterr().err
    story = tmp_path / "s.txt"
    story.write_bytes(STORY.encode("gb18030"))
    assert main(["place", str(page), str(story)]) == 0
    assert "GB18030" in capsys.readouterr().out
    placed = read_document(page)
    assert [b.id for b in placed.blocks] == ["报眉", "稿件1"]
    assert placed.stories["稿件1"].source == "s.txt"
    again = tmp_path / "t.txt"
    again.write_text("换一篇稿子。\n", encoding="utf-8")
    assert main(["place", str(page), str(again), "--block", "稿件1"]) == 0
    assert read_document(page).stories["稿件1"].paragraphs[0].text == "换一篇稿子。"
    assert main(["place", str(page), str(again), "--block", "nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope" in err[0]
    assert main(["new", str(tmp_path / "q.json"), "--date", "3月1日"]) == 2
    data = json.loads(page.read_text(encoding="utf-8"))
    assert data["meta"]["date"] == "2026-03-01"


def test_a_template_keeps_the_furniture_not_the_news(tmp_path):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "assets" / "samples" / "news-page" / "page.json"
    from app.model import PageMeta, save_document
    from app.model.newpage import as_template

    template = as_template(read_document(sample))
    assert {b.kind for b in template.blocks} <= {"rule", "box", "section", "running-head"}
    save_document(template, tmp_path / "模板.json")
    page = tmp_path / "new.json"
    assert (
        main(["new", str(page), "--template", str(tmp_path / "模板.json"), "--date", "2026-03-02"])
        == 0
    )
    made = read_document(page)
    assert [b.id for b in made.blocks] == [b.id for b in template.blocks]
    assert made.meta.date == "2026-03-02" and made.layout.name == template.layout.name
    assert "section-zhengwu" in made.stories
    assert isinstance(made.meta, PageMeta)


@pytest.mark.parametrize(
    ("name", "style"),
    [
        ("开明式", "kaiming"),
        ("全角", "quanjiao"),
        ("行末半角式", "hangmobanjiao"),
        ("banjiao", "banjiao"),
    ],
)
def test_layouts_accept_the_chinese_punctuation_style_names(name, style):
    from app.model.fields import Where
    from app.model.layouts import composition_from_data

    assert composition_from_data({"punct_style": name}, Where("l.toml")) == {"punct_style": style}
