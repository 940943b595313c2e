"""The page document and everything in it, as plain dataclasses: no Qt, no ReportLab."""

from app.model.blocks import (
    ArticleBlock,
    Block,
    BoxBlock,
    CaptionBlock,
    Frame,
    FreeFrame,
    GridFrame,
    PhotoBlock,
    RuleBlock,
    RunningHeadBlock,
    SectionHeadBlock,
    TextBlock,
)
from app.model.document import PageDocument, PageMeta
from app.model.edition import EditionPageDocument
from app.model.fileformat import content_hash, dumps_document, read_document
from app.model.grid import PageGrid
from app.model.layouts import PageLayoutSpec, load_layout
from app.model.save import write_atomic
from app.model.story import PARAGRAPH_SEPARATOR, Paragraph, Story
from app.model.styles import ParagraphStyle


def save_document(document: PageDocument, path=None) -> None:
    """Save atomically, keeping the previous version as NAME.bak."""
    if isinstance(document, EditionPageDocument) and path is None:
        from app.model.editionfile import save_edition_page

        save_edition_page(document)
        return
    target = path or document.path
    if target is None:
        raise ValueError("the document has no file yet: give a path")
    write_atomic(target, dumps_document(document))
    document.path = target


__all__ = [
    "PARAGRAPH_SEPARATOR",
    "ArticleBlock",
    "Block",
    "BoxBlock",
    "CaptionBlock",
    "Frame",
    "FreeFrame",
    "GridFrame",
    "PageDocument",
    "PageGrid",
    "PageLayoutSpec",
    "PageMeta",
    "Paragraph",
    "ParagraphStyle",
    "PhotoBlock",
    "RuleBlock",
    "RunningHeadBlock",
    "SectionHeadBlock",
    "Story",
    "TextBlock",
    "content_hash",
    "dumps_document",
    "load_layout",
    "read_document",
    "save_document",
    "write_atomic",
]
