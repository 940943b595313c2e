"""A tabloid page made from nothing through the window's own actions, saved and exported.

New page with its metadata → a GB18030 story file and a Word manuscript placed → a photo
placed and cropped by dragging → a caption under it that pushes the body text away →
a sentence typed in place through the input method → columns balanced and the article
fitted to its text → saved and exported for print with no overlap error, no overset and
no underset hole, without the preflight override being asked for.
"""

from __future__ import annotations

import docx
from gestures import double_click, drag, input_method, key
from PIL import Image
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QDoubleSpinBox

from app.compose.layout import to_pt
from app.editor.dialogs.new_page import NewPageChoice
from app.export.overlap import OVERLAP_CODES
from app.model import PageMeta, read_document
from app.model.geometry import frame_rect

BODY = (
    "今年以来，我市持续推进城乡融合发展，新建改建农村公路一百二十公里，沿线群众出行更加便利。"
    "市交通运输局负责人介绍，今年全市将再投入资金三点二亿元，重点实施乡村振兴示范路工程，"
    "让农产品运得出、卖得好。"
)


def _story_file(path):
    text = "\n".join(
        [
            "【引题】城乡融合迈出新步伐",
            "【主题】我市新建改建农村公路一百二十公里",
            "【作者】本报记者 王明",
            *(BODY for _ in range(3)),
        ]
    )
    path.write_bytes(text.replace("，", ",", 2).encode("gb18030"))
    return path


def _word_file(path):
    document = docx.Document()
    document.add_paragraph("社区食堂开进老街巷", style="Title")
    document.add_paragraph("本报记者 李华")
    for _ in range(6):
        document.add_paragraph(BODY.replace("公路", "食堂"))
    run = document.add_paragraph().add_run("老人吃饭不再难")
    run.bold = True
    for _ in range(3):
        document.add_paragraph(BODY)
    document.save(path)
    return path


def _picture(path):
    image = Image.new("CMYK", (1800, 1400), (30, 60, 90, 10))
    image.save(path, quality=80)
    return path


def _center(window, block_id: str) -> QPointF:
    rect = frame_rect(window.session.document.block(block_id).frame, window.canvas.grid)
    return window.canvas.view().point(rect.x + rect.w / 2, rect.y + rect.h / 2)


def test_a_tabloid_page_from_nothing(make_editor, tmp_path, qtbot):
    window = make_editor(None)
    prompts = window.prompts
    canvas = window.canvas

    # 1. 文件 → 新建: the tabloid grid, with its metadata and running head
    meta = PageMeta(paper="晋中日报", date="2026-03-01", edition="5", page_name="社会")
    prompts.new_pages.append(NewPageChoice("tabloid-6col", None, meta, True))
    window.actions_by_name["new"].trigger()
    document = window.session.document
    canvas = window.canvas
    assert document.layout.name == "tabloid-6col" and document.meta == meta
    assert [b.kind for b in document.blocks] == ["running-head"]
    heads = [line.text for line in window.session.layout.lines if line.block == "报眉"]
    assert "晋中日报" in heads and any("第5版" in t for t in heads)

    # 2. 置入稿件: a GB18030 story file, then fitted to its text
    prompts.paths.append(_story_file(tmp_path / "公路.txt"))
    window.actions_by_name["place"].trigger()
    assert not prompts.errors, prompts.errors
    assert "GB18030" in prompts.reports[-1] and ",→，" in prompts.reports[-1]
    first = window.session.selection[0]
    assert first == "稿件1"
    roles = [p.role for p in document.stories[first].paragraphs]
    assert roles[:3] == ["引题", "主题", "作者"]
    window.actions_by_name["fit_to_text"].trigger()
    assert document.block(first).frames[0].depth < window.canvas.grid.lines // 2

    # 3. a Word manuscript goes into the free area below; the inspector narrows it to 4 columns
    window.session.select([])
    prompts.paths.append(_word_file(tmp_path / "食堂.docx"))
    window.actions_by_name["place"].trigger()
    assert not prompts.errors, prompts.errors
    second = window.session.selection[0]
    story = document.stories[second]
    assert [p.role for p in story.paragraphs][:2] == ["主题", "作者"]
    assert "小标题" in [p.role for p in story.paragraphs]
    window.inspector.rebuild()
    window.inspector._fields["span"].setValue(4)
    window.inspector.apply()
    assert document.block(second).frames[0].span == 4

    # 4. a photo placed beside it, cropped by dragging the picture inside its frame
    window.session.select([])
    prompts.paths.append(_picture(tmp_path / "photo.jpg"))
    window.actions_by_name["place"].trigger()
    photo = window.session.selection[0]
    assert document.block(photo).kind == "photo"
    double_click(canvas.viewport(), _center(window, photo))
    window.inspector.rebuild()
    zoom = window.inspector.findChild(QDoubleSpinBox, "photo-zoom")
    zoom.setValue(150)
    cropped = document.block(photo).crop
    assert cropped[2] - cropped[0] < 0.9
    start = _center(window, photo)
    drag(canvas.viewport(), start, start + QPointF(30, 10))
    assert document.block(photo).crop != cropped  # the picture moved inside its frame
    key(canvas, Qt.Key.Key_Escape)

    # 5. a caption under the photo reaching into the article: the text moves out of its way
    window.session.select([photo])
    grid = canvas.grid
    photo_rect = frame_rect(document.block(photo).frame, grid)
    article_rect = frame_rect(document.block(second).frames[0], grid)
    top = photo_rect.bottom + grid.line_pitch
    left = article_rect.right - grid.column_width / 2  # over the article's last column
    view = canvas.view()
    window.tool_actions["caption"].trigger()
    drag(
        canvas.viewport(),
        view.point(left, top + 1),
        view.point(photo_rect.right - 1, top + grid.depth_height(3) - 1),
    )
    caption = window.session.selection[0]
    assert document.block(caption).kind == "caption"
    double_click(canvas.viewport(), _center(window, caption))
    input_method(canvas, commit="图为老街巷里新开的社区食堂。")
    key(canvas, Qt.Key.Key_Escape)
    assert document.stories[caption].paragraphs[0].text == "图为老街巷里新开的社区食堂。"
    caption_rect = frame_rect(document.block(caption).frame, grid)
    for line in window.session.layout.lines:
        if (
            line.block == second
            and caption_rect.y < to_pt(line.bottom)
            and to_pt(line.top) < caption_rect.bottom
        ):
            assert to_pt(line.origin + max(line.char_rights)) <= caption_rect.x + 0.5

    # 6. a sentence typed in place through the input method
    lines = [line for line in window.session.layout.lines if line.block == second]
    body_line = lines[len(lines) // 2]
    left_edge, right_edge = body_line.char_x[1]
    point = canvas.view().point(
        to_pt(left_edge + right_edge) / 2, to_pt(body_line.top + body_line.bottom) / 2
    )
    double_click(canvas.viewport(), point)
    before = document.stories[second].char_count()
    input_method(canvas, preedit="shitang")
    input_method(canvas, commit="居民们纷纷点赞。")
    key(canvas, Qt.Key.Key_Escape)
    assert document.stories[second].char_count() == before + len("居民们纷纷点赞。")

    # 7. balance the columns, fit the articles to their text
    window.session.select([first, second])
    window.actions_by_name["balance"].trigger()
    assert document.block(first).balance and document.block(second).balance
    window.actions_by_name["fit_to_text"].trigger()

    # 8. no overlap, no overset, no underset hole; saved, and exported without an override
    window.actions_by_name["preflight"].trigger()
    findings = window.preflight.findings()
    errors = [f for f in findings if f.severity == "error"]
    assert not errors, errors
    assert not [f for f in findings if f.code in OVERLAP_CODES]
    for frame in window.session.layout.blocks:
        if frame.kind == "article":
            assert frame.overset_chars == 0
            assert frame.underset_lines < len(frame.frames), frame  # no column ends short
    page = tmp_path / "社会.json"
    prompts.paths.append(page)
    window.actions_by_name["save_as"].trigger()
    saved = read_document(page)
    assert saved.meta == meta and {b.id for b in saved.blocks} == {b.id for b in document.blocks}
    pdf = tmp_path / "社会.pdf"
    prompts.paths.append(pdf)
    window.actions_by_name["export_print"].trigger()
    assert not prompts.errors, prompts.errors
    assert "override" not in prompts.asked
    assert pdf.read_bytes().startswith(b"%PDF")
