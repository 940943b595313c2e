"""Jump lines (转版/接版) as a layout sets them: wording and type, because papers differ.

A layout's `[jumps]` table gives the wording of the line that ends a story's part before a
jump (`to`, default 「（下转第3版）」) and of the line that opens the continuation (`from`,
「（上接第1版）」), and their paragraph style over the layout's 正文. In the wording, `{label}` is
the other page as the paper names it (第3版, A03版) and `{number}` its bare number (3, A03).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from app.model.fields import Where, as_dict, as_str
from app.model.styles import ParagraphStyle, style_from_data

JUMP_ROLE = "转版"
TO, FROM = (
    "（下转{label}）",
    "（上接{label}）",
)  # the style key jump lines are set with; never a story paragraph's role


@dataclass(frozen=True, slots=True)
class JumpStyle:
    to: str = TO  # ends the part before the jump, on its own last line
    from_: str = FROM  # opens the continuation
    style: ParagraphStyle = field(
        default_factory=ParagraphStyle
    )  # `to` is set flush right, `from` flush left

    def wording(self, template: str, number: str) -> str:
        return template.replace("{label}", page_label(number)).replace("{number}", number)


def page_label(number: str) -> str:
    """第2版 / A02版: a page as jump lines and running heads name it."""
    return f"第{number}版" if number.isdigit() else f"{number}版"


def jumps_from_data(value: Any, where: Where, body: ParagraphStyle) -> JumpStyle:
    data = as_dict(value, where, ("to", "from", "style"))
    base = replace(body, indent=0.0, lines=0, keep_with_next=False)
    style = style_from_data(data.get("style", {}), where.key("style"), base)
    return JumpStyle(
        to=as_str(data.get("to", TO), where.key("to"), empty=False),
        from_=as_str(data.get("from", FROM), where.key("from"), empty=False),
        style=style,
    )
