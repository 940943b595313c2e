"""A placed photo has one scale on both axes in "fill" and "fit", whatever crop and frame."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.compose.layout import Rect
from app.compose.photofit import fit_picture

sizes = st.integers(min_value=64, max_value=64 * 1500)
crops = st.tuples(
    st.floats(0, 1000), st.floats(0, 1000), st.floats(1, 4000), st.floats(1, 4000)
).map(lambda c: (c[0], c[1], c[0] + c[2], c[1] + c[3]))
frames = st.tuples(sizes, sizes, sizes, sizes).map(lambda f: Rect(*f))


def scales(crop, rect) -> tuple[float, float]:
    left, top, right, bottom = crop
    return (right - left) / rect.w, (bottom - top) / rect.h


@given(crops, frames)
def test_fill_covers_the_frame_with_a_centred_part_of_the_crop(crop, frame):
    shown, placed = fit_picture(crop, frame, "fill")
    across, down = scales(shown, placed)
    assert abs(across - down) <= 1e-9 * max(across, down)
    assert placed == frame
    eps = 1e-6 * max(crop[2], crop[3])
    assert crop[0] - eps <= shown[0] and shown[2] <= crop[2] + eps
    assert crop[1] - eps <= shown[1] and shown[3] <= crop[3] + eps
    assert abs((shown[0] - crop[0]) - (crop[2] - shown[2])) <= eps  # trimmed evenly
    assert abs((shown[1] - crop[1]) - (crop[3] - shown[3])) <= eps


@given(crops, frames)
def test_fit_shows_the_whole_crop_inside_the_frame(crop, frame):
    shown, placed = fit_picture(crop, frame, "fit")
    across, down = scales(shown, placed)
    assert abs(across - down) <= 1e-9 * max(across, down)
    assert frame.x <= placed.x and placed.right <= frame.right
    assert frame.y <= placed.y and placed.bottom <= frame.bottom
    assert placed.w == frame.w or placed.h == frame.h
    # only the rounding of the placed side to whole layout units trims the crop
    bound = 1 / min(placed.w, placed.h) + 1e-9
    assert 1 - (shown[2] - shown[0]) / (crop[2] - crop[0]) <= bound
    assert 1 - (shown[3] - shown[1]) / (crop[3] - crop[1]) <= bound


def test_stretch_is_the_only_distortion():
    crop, frame = (0.0, 0.0, 100.0, 100.0), Rect(0, 0, 6400, 3200)
    assert fit_picture(crop, frame, "stretch") == (crop, frame)


pictures = st.tuples(st.integers(50, 5000), st.integers(50, 5000))


@given(pictures, frames, st.data())
def test_crop_keeps_all_of_the_crop_while_the_picture_reaches(picture, frame, data):
    w, h = picture
    left = data.draw(st.floats(0, w - 10))
    top = data.draw(st.floats(0, h - 10))
    crop = (left, top, data.draw(st.floats(left + 10, w)), data.draw(st.floats(top + 10, h)))
    shown, placed = fit_picture(crop, frame, "crop", picture)
    across, down = scales(shown, placed)
    assert placed == frame
    assert abs(across - down) <= 1e-9 * max(across, down)
    assert shown[0] + 1e-6 >= 0 and shown[2] <= w + 1e-6
    assert shown[1] + 1e-6 >= 0 and shown[3] <= h + 1e-6
    # the crop is inside what shows, unless the picture ran out on the widened side
    whole_width = shown[2] - shown[0] >= w - 1e-6
    whole_height = shown[3] - shown[1] >= h - 1e-6
    if not (whole_width or whole_height):
        eps = 1e-6 * max(w, h)
        assert shown[0] <= crop[0] + eps and crop[2] <= shown[2] + eps
        assert shown[1] <= crop[1] + eps and crop[3] <= shown[3] + eps
