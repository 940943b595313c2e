"""User-facing strings: Chinese is the source text, English a table beside it.

PySide6-Essentials ships lupdate/lrelease, but a Python table keeps the strings
greppable, testable (named placeholders must survive translation) and free of a
build step. Widgets call `tr("中文 {name}", name=…)`; `set_language("en")` switches,
and windows re-translate through their `retranslate()` methods.
"""

from __future__ import annotations

import string

LANGUAGES = ("zh_CN", "en")
_language = "zh_CN"

ENGLISH: dict[str, str] = {
    # window and menus
    "Pasteup 版面编辑": "Pasteup page editor",
    "未命名": "Untitled",
    "文件(&F)": "&File",
    "编辑(&E)": "&Edit",
    "视图(&V)": "&View",
    "版面(&L)": "&Layout",
    "输出(&O)": "&Output",
    "帮助(&H)": "&Help",
    "打开…": "Open…",
    "保存": "Save",
    "另存为…": "Save As…",
    "关闭": "Close",
    "退出": "Quit",
    "撤销": "Undo",
    "重做": "Redo",
    "撤销 {action}": "Undo {action}",
    "重做 {action}": "Redo {action}",
    "删除": "Delete",
    "复制块": "Duplicate",
    "全选": "Select All",
    "适合页面": "Fit Page",
    "实际大小": "Actual Size",
    "放大": "Zoom In",
    "缩小": "Zoom Out",
    "显示网格": "Show Grid",
    "显示块边框": "Show Block Outlines",
    "语言": "Language",
    "中文": "Chinese",
    "英文": "English",
    "置于顶层": "Bring to Front",
    "置于底层": "Send to Back",
    "上移一层": "Bring Forward",
    "下移一层": "Send Backward",
    "左对齐": "Align Left",
    "右对齐": "Align Right",
    "顶对齐": "Align Top",
    "底对齐": "Align Bottom",
    "链接文框": "Link Frames",
    "取消链接": "Unlink Frame",
    "图说放到图下": "Place Caption Under Photo",
    "导出印刷 PDF…": "Export Print PDF…",
    "导出校样 PDF…": "Export Proof PDF…",
    "预检": "Preflight",
    "关于": "About",
    # tools
    "选择": "Select",
    "稿件": "Article",
    "图片": "Photo",
    "图说": "Caption",
    "文字": "Text",
    "线条": "Rule",
    "方框": "Box",
    "栏头": "Section Head",
    "工具": "Tools",
    # panels
    "图层": "Layers",
    "属性": "Inspector",
    "稿件编辑": "Story Editor",
    "预检结果": "Preflight",
    "校对意见": "Corrections",
    "段落角色": "Paragraph role",
    "块": "Block",
    "类型": "Type",
    "栏": "Column",
    "跨栏": "Span",
    "行": "Line",
    "行数": "Lines",
    "文内分栏": "Text columns",
    "毫米": "mm",
    "栏/行": "Columns/lines",
    "单位": "Units",
    "左": "X",
    "上": "Y",
    "宽": "Width",
    "高": "Height",
    "粗细": "Weight",
    "标题占行": "Headline lines",
    "文框 {n}": "Frame {n}",
    "未选中": "Nothing selected",
    "选中 {count} 个块": "{count} blocks selected",
    "选中 {block}": "Selected {block}",
    "没有可编辑的稿件": "No story to edit",
    "稿件 {story}": "Story {story}",
    # copyfit bar
    "字数 {chars}": "{chars} characters",
    "{lines} 行": "{lines} lines",
    "超排 {chars} 字（{lines} 行）": "Overset {chars} characters ({lines} lines)",
    "欠排 {lines} 行": "Underset {lines} lines",
    "正好排满": "Fits exactly",
    # status bar
    "缩放 {percent}%": "Zoom {percent}%",
    "{x} × {y} 毫米": "{x} × {y} mm",
    "第 {col} 栏 第 {line} 行": "column {col}, line {line}",
    "版心外": "outside the type area",
    # undo command names
    "移动": "Move",
    "调整大小": "Resize",
    "微移": "Nudge",
    "输入": "Typing",
    "修改文字": "Edit Text",
    "新建{kind}": "New {kind}",
    "删除 {count} 个块": "Delete {count} blocks",
    "复制 {count} 个块": "Duplicate {count} blocks",
    "对齐": "Align",
    "层次": "Arrange",
    "修改属性": "Change Properties",
    "放入稿件": "Place Story",
    "放入图片": "Place Image",
    # dialogs
    "版面文件 (*.json)": "Page files (*.json)",
    "PDF 文件 (*.pdf)": "PDF files (*.pdf)",
    "图片 (*.jpg *.jpeg *.png *.tif *.tiff)": "Images (*.jpg *.jpeg *.png *.tif *.tiff)",
    "稿件文件 (*.txt)": "Story files (*.txt)",
    "“{name}”有未保存的修改。要保存吗？": "“{name}” has unsaved changes. Save them?",
    "发现“{name}”的自动恢复文件（{time}）。要恢复未保存的工作吗？": "A recovery file for “{name}” was found ({time}). Recover the unsaved work?",
    "恢复": "Recover",
    "恢复工作": "Recover Work",
    "无法打开": "Cannot open",
    "无法保存": "Cannot save",
    "出错": "Error",
    "已保存 {path}": "Saved {path}",
    "已自动保存": "Autosaved",
    "已导出 {path}": "Exported {path}",
    "正在导出…": "Exporting…",
    "正在预检…": "Running preflight…",
    "取消": "Cancel",
    "导出功能尚未可用": "Export is not available yet",
    "预检功能尚未可用": "Preflight is not available yet",
    "预检：{errors} 个错误，{warnings} 个警告": "Preflight: {errors} errors, {warnings} warnings",
    "排版出错：{message}": "Composition failed: {message}",
    # findings
    "超排 {chars} 字": "Overset by {chars} characters",
    "缺字": "Missing glyph",
    "松行": "Loose line",
    "错误": "Error",
    "警告": "Warning",
    "提示": "Info",
    "问题": "Problem",
    "严重性": "Severity",
}


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    _language = language


def language() -> str:
    return _language


def tr(text: str, **values: object) -> str:
    """`text` (Chinese) in the current language, with `{name}` placeholders filled."""
    if _language == "en":
        text = ENGLISH.get(text, text)
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
