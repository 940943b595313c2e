"""Page grids as data: realistic sizes and precise errors."""

import pytest

from app.errors import PasteupError
from app.model import load_layout
from app.model.blocks import GridFrame
from app.model.fields import Where
from app.model.geometry import frame_from_rect, frame_rect, text_columns
from app.model.layouts import available_layouts, layout_from_data, read_layout


def test_broadsheet_grid():
    grid = load_layout("broadsheet-8col").grid
    assert grid.columns == 8 and grid.column_chars == 13 and grid.body_size == 9
    assert round(grid.trim_width / 72 * 25.4) == 390
    assert grid.area_width == 8 * 117 + 7 * 9
    assert grid.lines == 104
    assert grid.margin_left == pytest.approx(grid.margin_right)


def test_tabloid_grid():
    layout = load_layout("tabloid-6col")
    assert layout.grid.columns == 6 and layout.grid.body_size == 10.5
    assert round(layout.grid.bleed / 72 * 25.4) == 3
    assert set(available_layouts()) >= {"broadsheet-8col", "tabloid-6col"}


def test_grid_frames_resolve_and_snap_back():
    grid = load_layout("broadsheet-8col").grid
    frame = GridFrame(col=2, span=3, line=10, depth=20)
    rect = frame_rect(frame, grid)
    assert rect.w == 3 * 117 + 2 * 9
    assert rect.h == 19 * 13.5 + 9
    assert frame_from_rect(rect, grid) == frame
    assert [c.w for c in text_columns(frame, grid)] == [117, 117, 117]
    two = text_columns(GridFrame(col=0, span=3, line=0, depth=5, columns=2), grid)
    assert two[0].w == pytest.approx((rect.w - 9) / 2)


def test_layout_errors_name_the_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[page]\ntrim = ["390mm"]\nmargins = {top="1mm", bottom="1mm"}\n'
        '[grid]\ncolumns = 8\nbody_size="小五"\nline_pitch="13pt"\ncolumn_chars=13\n'
        '[fonts]\nsong=["X"]\n[styles."正文"]\nfont="song"\n'
    )
    with pytest.raises(PasteupError, match=r"bad.toml: page.trim: expected \[width, height\]"):
        read_layout(path)
    with pytest.raises(PasteupError, match=r"styles\.正文\.font: font role 'hei'"):
        layout_from_data(
            {
                "page": {"trim": ["390mm", "545mm"], "margins": {"top": 1, "bottom": 1}},
                "grid": {"columns": 2, "column_chars": 10, "body_size": 9, "line_pitch": 12},
                "fonts": {"song": ["X"]},
                "styles": {"正文": {"font": "hei"}},
            },
            Where("g.toml"),
            "g",
        )
