"""What a reader can click on an e-paper page: each article's regions and its full text.

Regions come from the text map (`PageLayout.lines`): one per block part — the lines one block
set in one of its frames — bounded by those lines' em boxes; a photo adds its picture's
rectangle to the article its caption belongs to. An article is a story: its paragraphs as the
page document holds them (headline group, byline, body, in order), the photo, and the other
pages the story runs on (a jumped story is one article on each of its pages, linked).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from app.compose.layout import Image, PageLayout, Rect
from app.model import ArticleBlock, CaptionBlock, PageDocument, PhotoBlock, TextBlock

ARTICLE_BLOCKS = (ArticleBlock, TextBlock, CaptionBlock)


class EpaperPage(NamedTuple):
    """One page of the e-paper: its document and the layout composed from it."""

    document: PageDocument
    layout: PageLayout


class Region(NamedTuple):
    rect: Rect  # layout units from the trim's top-left
    block: str


class Article(NamedTuple):
    story: str
    paragraphs: tuple[tuple[str, str], ...]  # (role, text), exactly the story's
    regions: tuple[Region, ...]
    photo: Image | None
    pages: tuple[int, ...]  # indexes of every page the story runs on, this one included


def page_articles(pages: Sequence[EpaperPage], index: int) -> list[Article]:
    """The articles of `pages[index]`, in the page document's block order."""
    page = pages[index]
    document, layout = page.document, page.layout
    regions = _text_regions(layout)
    photos = {item.block: item for item in layout.items if isinstance(item, Image)}
    frames = {frame.block: frame.rect for frame in layout.blocks}
    runs_on = _story_pages(pages)
    order: list[str] = []
    found: dict[str, list[Region]] = {}
    pictures: dict[str, Image] = {}
    for block in document.blocks:
        if not isinstance(block, ARTICLE_BLOCKS) or block.story not in document.stories:
            continue
        if block.story not in found:
            order.append(block.story)
            found[block.story] = []
        found[block.story] += regions.get(block.id, [])
        photo = _photo_of(block, document, photos, frames)
        if photo is not None:
            pictures.setdefault(block.story, photo)
            found[block.story].append(Region(photo.rect, photo.block))
    articles = []
    for story_id in order:
        if not found[story_id]:
            continue  # nothing of it set on this page (all overset)
        story = document.stories[story_id]
        articles.append(
            Article(
                story_id,
                tuple((p.role, p.text) for p in story.paragraphs),
                tuple(found[story_id]),
                pictures.get(story_id),
                runs_on.get(story_id, (index,)),
            )
        )
    return articles


def _text_regions(layout: PageLayout) -> dict[str, list[Region]]:
    """Block id → one region per frame the block set lines in."""
    boxes: dict[tuple[str, int], list[int]] = {}
    for line in layout.lines:
        box = boxes.get((line.block, line.frame))
        left, right = line.x, line.x + line.width
        if box is None:
            boxes[(line.block, line.frame)] = [left, line.top, right, line.bottom]
        else:
            box[0], box[1] = min(box[0], left), min(box[1], line.top)
            box[2], box[3] = max(box[2], right), max(box[3], line.bottom)
    regions: dict[str, list[Region]] = {}
    for (block, _), (x0, y0, x1, y1) in sorted(boxes.items()):
        regions.setdefault(block, []).append(Region(Rect(x0, y0, x1 - x0, y1 - y0), block))
    return regions


def _photo_of(block, document: PageDocument, photos: dict[str, Image], frames) -> Image | None:
    """A caption's photo; for an article, a photo placed inside the article's frames."""
    if isinstance(block, CaptionBlock):
        return photos.get(block.photo)
    area = frames.get(block.id)
    if area is None:
        return None
    for other in document.blocks:
        if isinstance(other, PhotoBlock) and other.id in photos:
            rect = photos[other.id].rect
            inside = (
                area.x <= rect.x and area.y <= rect.y
                and rect.right <= area.right and rect.bottom <= area.bottom
            )  # fmt: skip
            if inside:
                return photos[other.id]
    return None


def _story_pages(pages: Sequence[EpaperPage]) -> dict[str, tuple[int, ...]]:
    """Story id → the pages whose text map sets some of it (story ids name one story across
    an edition's pages)."""
    result: dict[str, list[int]] = {}
    for number, page in enumerate(pages):
        for story in {line.story for line in page.layout.lines}:
            result.setdefault(story, []).append(number)
    return {story: tuple(numbers) for story, numbers in result.items()}


def title_of(article: Article) -> str:
    """The article's main headline (主题), else its first paragraph, for labels."""
    for role, text in article.paragraphs:
        if role == "主题" and text.strip():
            return text
    return next((text for _, text in article.paragraphs if text.strip()), article.story)
