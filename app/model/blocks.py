"""The blocks layout staff place on a page, as frozen dataclasses.

Geometry is either grid-based (`GridFrame`: column, span, line, depth in body lines)
or absolute (`FreeFrame`: points from the trim's top-left). `app.model.geometry`
resolves both to rectangles in points.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GridFrame:
    col: int
    span: int
    line: int
    depth: int
    columns: int = 0  # text columns inside the frame; 0 = one per grid column spanned


@dataclass(frozen=True, slots=True)
class FreeFrame:
    x: float
    y: float
    w: float
    h: float
    columns: int = 1


Frame = GridFrame | FreeFrame


@dataclass(frozen=True, slots=True)
class ArticleBlock:
    """A story with its headline group, flowing through `frames` in order (续排)."""

    id: str
    story: str
    frames: tuple[Frame, ...]
    head_lines: int = 0  # body lines reserved for the headline group; 0 = from the styles
    # Per-article style changes, e.g. a smaller 主题 for a secondary story:
    # ((role, ((field, value), …)), …), values as written in the file.
    styles: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    balance: bool = False  # 平衡分栏: the last frame's columns end level, not one short column
    kind: str = "article"


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Free text: an editor's note, a jump line, a box's content."""

    id: str
    story: str
    frames: tuple[Frame, ...]
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class PhotoBlock:
    id: str
    frame: Frame
    image: str  # path relative to the page file
    crop: tuple[float, float, float, float] = (
        0.0,
        0.0,
        1.0,
        1.0,
    )  # visible part, fractions l,t,r,b
    credit: str = ""
    placeholder: bool = False  # a stand-in picture, not the paper's photo
    wrap: float = 0.0  # text wrap standoff in pt; text never runs under a photo
    outside_folder: bool = False  # the user chose a picture outside the page's folder
    # How the crop meets the frame: "fill" (cover it, trimming the crop's long side evenly),
    # "crop" (all of the crop, the frame covered by widening it with the picture around it),
    # "fit" (all of the crop, centred in the frame), "stretch" (distorted to the frame; only
    # when asked for). Only "stretch" scales the two axes differently.
    fit: str = "fill"
    kind: str = "photo"


@dataclass(frozen=True, slots=True)
class CaptionBlock:
    id: str
    story: str
    photo: str  # the photo block it belongs to
    frame: Frame
    wrap: float = 0.0  # text wrap standoff in pt; text never runs under a caption
    kind: str = "caption"


@dataclass(frozen=True, slots=True)
class RuleBlock:
    """A straight rule (栏线, 眉线 …) from (x0, y0) to (x1, y1) in points."""

    id: str
    x0: float
    y0: float
    x1: float
    y1: float
    weight: float = 0.5
    color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 100.0)
    dash: tuple[float, ...] = ()
    kind: str = "rule"


@dataclass(frozen=True, slots=True)
class BoxBlock:
    """A rectangle: a tint panel behind a story, or a frame around it."""

    id: str
    frame: Frame
    weight: float = 0.5  # stroke; 0 = none
    stroke: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 100.0)
    fill: tuple[float, float, float, float] | None = None
    wrap: float = 0.0  # > 0: text wraps around the box at this standoff
    kind: str = "box"


@dataclass(frozen=True, slots=True)
class SectionHeadBlock:
    """A 栏头 such as 政务动态 with its pinyin line; its story holds both lines."""

    id: str
    story: str
    frame: Frame
    kind: str = "section"


@dataclass(frozen=True, slots=True)
class RunningHeadBlock:
    """The 报眉: paper, date, 版次 and 版名 from the page's metadata, over the 眉线."""

    id: str
    left: str = "{paper}"
    center: str = "{page_name}"
    right: str = "{date} {weekday}  第{edition}版"
    kind: str = "running-head"


Block = (
    ArticleBlock
    | TextBlock
    | PhotoBlock
    | CaptionBlock
    | RuleBlock
    | BoxBlock
    | SectionHeadBlock
    | RunningHeadBlock
)
PHOTO_FITS = ("fill", "crop", "fit", "stretch")
BLOCK_KINDS = ("article", "text", "photo", "caption", "rule", "box", "section", "running-head")
# What layout staff call each kind: the editor's labels, and new blocks' names (稿件1, 图片2 …).
KIND_NAMES = {
    "article": "稿件",
    "photo": "图片",
    "caption": "图说",
    "text": "文字",
    "rule": "线条",
    "box": "方框",
    "section": "栏头",
    "running-head": "报眉",
}


def block_stories(block: Block) -> tuple[str, ...]:
    story = getattr(block, "story", "")
    return (story,) if story else ()


def block_frames(block: Block) -> tuple[Frame, ...]:
    if isinstance(block, ArticleBlock | TextBlock):
        return block.frames
    frame = getattr(block, "frame", None)
    return (frame,) if frame is not None else ()
