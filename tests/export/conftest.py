import sys
from pathlib import Path

import pytest
from PIL import Image as PILImage

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def photo(tmp_path_factory) -> Path:
    """An sRGB photo-like JPEG: gradients plus saturated patches."""
    path = tmp_path_factory.mktemp("img") / "photo.jpg"
    image = PILImage.new("RGB", (320, 240))
    image.putdata(
        [
            ((x * 255) // 319, (y * 255) // 239, ((x + y) * 255) // 558)
            for y in range(240)
            for x in range(320)
        ]
    )
    image.paste((255, 0, 0), (20, 20, 80, 80))
    image.paste((0, 0, 0), (100, 20, 160, 80))
    image.save(path, quality=92)
    return path
