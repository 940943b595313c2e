"""FontRegistry: family/weight lookup, folder order, TTC faces, lazy system scan, fallback chains."""

from pathlib import Path

import pytest

from app.fonts import FontError, FontRegistry, default_registry
from app.fonts.registry import BUNDLED_DIR

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
LXGW_DIR = Path("/usr/share/fonts/truetype/lxgw-wenkai")
needs_system_fonts = pytest.mark.skipif(
    not (NOTO_DIR.is_dir() and LXGW_DIR.is_dir()), reason="needs Debian's CJK font packages"
)


@pytest.fixture(scope="module")
def bundled():
    return FontRegistry([BUNDLED_DIR], system_dirs=())


@pytest.mark.parametrize(
    ("weight", "key"),
    [
        (400, "NotoSerifCJKsc-Regular"),
        (100, "NotoSerifCJKsc-Regular"),
        (500, "NotoSerifCJKsc-Regular"),
        (600, "NotoSerifCJKsc-Bold"),
        (700, "NotoSerifCJKsc-Bold"),
        (800, "NotoSerifCJKsc-Black"),  # a tie: bold requests go heavier
        (900, "NotoSerifCJKsc-Black"),
    ],
)
def test_find_nearest_weight(bundled, weight, key):
    face = bundled.find("Noto Serif CJK SC", weight)
    assert face.key == key
    assert face.path.parent == BUNDLED_DIR


def test_find_by_any_family_name_and_key(bundled):
    assert bundled.find("noto sans cjk sc", 700).key == "NotoSansCJKsc-Bold"
    assert bundled.find("Pasteup 文楷").key == "PasteupWenKai-Regular"  # the Chinese family name
    face = bundled.find("Noto Serif CJK SC")
    assert bundled.get("NotoSerifCJKsc-Regular") is face  # faces are shared, not reopened
    with pytest.raises(FontError, match="NoSuchFace"):
        bundled.get("NoSuchFace")


def test_missing_family_is_a_font_error_naming_it(bundled):
    with pytest.raises(FontError) as info:
        bundled.find("方正书宋")
    assert str(info.value).startswith("方正书宋: ") and "\n" not in str(info.value)


def test_chain_and_per_character_fallback(bundled):
    chain = bundled.chain(["Pasteup WenKai", "Noto Serif CJK SC:700", "Noto Sans CJK SC"])
    assert [f.key for f in chain] == [
        "PasteupWenKai-Regular",
        "NotoSerifCJKsc-Bold",
        "NotoSansCJKsc-Regular",
    ]
    kai, serif = chain[0], chain[1]
    assert bundled.face_for(chain, "中") is kai
    # A character the Kai subset lacks but the serif has is found in the next face.
    only_serif = sorted(serif.coverage - kai.coverage)
    assert only_serif, "expected the Noto subset to cover something WenKai does not"
    assert bundled.face_for(chain, chr(only_serif[0])) is serif
    assert bundled.face_for(chain, "\U0010fffd") is None
    assert bundled.chain(["Noto Serif CJK SC"], weight=900)[0].key == "NotoSerifCJKsc-Black"


def test_chain_with_missing_family(bundled):
    with pytest.raises(FontError, match="方正书宋"):
        bundled.chain(["方正书宋", "Noto Serif CJK SC"])
    faces = bundled.chain(["方正书宋", "Noto Serif CJK SC"], skip_missing=True)
    assert [f.key for f in faces] == ["NotoSerifCJKsc-Regular"]
    with pytest.raises(FontError, match="方正书宋"):
        bundled.chain(["方正书宋"], skip_missing=True)


@needs_system_fonts
def test_ttc_face_selection_by_family():
    registry = FontRegistry([NOTO_DIR], system_dirs=())
    tc = registry.find("Noto Serif CJK TC", 700)
    jp = registry.find("Noto Serif CJK JP", 700)
    assert (tc.path.name, tc.index, jp.index) == ("NotoSerifCJK-Bold.ttc", 3, 0)
    assert registry.find("Noto Sans Mono CJK SC").index == 7  # Sans TTC: Mono faces are 5–9
    assert jp.glyph_id("骨") != registry.find("Noto Serif CJK SC", 700).glyph_id("骨")
    assert registry.find("Noto Serif CJK SC", 600).key == "NotoSerifCJKsc-SemiBold"


@needs_system_fonts
def test_system_folders_are_scanned_only_on_a_miss():
    registry = FontRegistry([BUNDLED_DIR], system_dirs=[NOTO_DIR, LXGW_DIR])
    body = registry.find("Noto Serif CJK SC")
    assert body.path.parent == BUNDLED_DIR  # bundled wins over the system face of the same name
    assert not registry.system_indexed
    kai = registry.find("LXGW WenKai")
    assert registry.system_indexed and kai.path.parent == LXGW_DIR
    assert registry.find("霞鹜文楷", 300).key == "LXGWWenKai-Light"
    # A family the bundle has never mixes in system faces, even at a weight only they have.
    assert registry.find("Noto Serif CJK SC", 600).path.parent == BUNDLED_DIR


def test_user_folder_from_environment(tmp_path, monkeypatch):
    user = tmp_path / "fonts"
    (user / "sub").mkdir(parents=True)
    (user / "sub" / "Kai.ttf").write_bytes((BUNDLED_DIR / "PasteupWenKai-Regular.ttf").read_bytes())
    (user / "broken.otf").write_text("not a font", encoding="utf-8")
    (user / "readme.txt").write_text("ignored", encoding="utf-8")
    monkeypatch.setenv("PASTEUP_FONT_DIR", str(user))
    registry = FontRegistry(system_dirs=())
    assert registry.dirs[1] == user
    keys = [(info.key, info.path.parent.name) for info in registry.faces()]
    assert ("PasteupWenKai-Regular", "sub") in keys
    assert not any(info.path.name == "broken.otf" for info in registry.faces())
    # The bundled copy comes first in the search order.
    assert registry.find("Pasteup WenKai").path.parent == BUNDLED_DIR


def test_default_registry_is_shared_and_finds_the_body_face():
    registry = default_registry()
    assert default_registry() is registry
    assert registry.find("Noto Serif CJK SC").path == BUNDLED_DIR / "NotoSerifCJKsc-Regular.otf"
