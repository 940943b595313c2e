"""The ICC facts an output intent needs, read without LittleCMS, agree with LittleCMS (through
Pillow's ImageCms, the independent reader) on every profile this machine has."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from PIL import ImageCms

from app.export.colors import BUNDLED_PROFILE
from app.export.iccprofile import read_profile

SYSTEM = sorted(glob.glob("/usr/share/color/icc/**/*.ic[cm]", recursive=True))


def _readable(path: str) -> bool:
    try:
        ImageCms.ImageCmsProfile(path)
    except (OSError, ImageCms.PyCMSError):
        return False
    return True


PROFILES = [str(BUNDLED_PROFILE), *filter(_readable, SYSTEM)]


def test_versions_2_and_4_are_both_among_the_profiles_read():
    versions = {Path(p).read_bytes()[8] for p in PROFILES}
    assert {2, 4} <= versions, versions  # v2 'desc' and v4 'mluc' descriptions


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: Path(p).name)
def test_class_space_and_description_are_littlecms_own(path):
    opened = ImageCms.ImageCmsProfile(path)
    expected = (
        opened.profile.device_class,
        opened.profile.xcolor_space.strip(),
        ImageCms.getProfileDescription(opened).strip(),
    )
    assert tuple(read_profile(Path(path).read_bytes())) == expected


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: b"", "not an ICC profile"),
        (lambda d: d[:36] + b"xxxx" + d[40:], "not an ICC profile"),
        (lambda d: d[: len(d) // 2], "cut short"),
        (lambda d: d[:128] + b"\x7f\xff\xff\xff" + d[132:], "tag table"),
    ],
)
def test_a_damaged_profile_is_refused(damage, message):
    with pytest.raises(ValueError, match=message):
        read_profile(damage(BUNDLED_PROFILE.read_bytes()))
