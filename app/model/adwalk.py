"""The bounded walk over a PDF ad's objects: what would break PDF/X on the plate (RGB colour,
fonts not embedded, features PDF/X forbids or only PDF/X-4 allows), counted as it goes so a
hostile file stops at `MAX_AD_OBJECTS` objects, `MAX_DEPTH` levels and `MAX_AD_CONTENT_BYTES`
of decoded content instead of eating memory. `app.model.adpdf` opens the file and places it.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from typing import TYPE_CHECKING, Any

from app.errors import PasteupError
from app.model.limits import MAX_AD_CONTENT_BYTES, MAX_AD_OBJECTS

if TYPE_CHECKING:
    import pikepdf

# The families that are RGB whatever the output intent: PDF/X forbids them with a CMYK intent.
RGB_SPACES = frozenset({"/DeviceRGB", "/CalRGB", "/Lab", "/RGB"})
# An upper bound of bytes out per byte in for each filter (Flate's is zlib's 1032:1, LZW's
# 4,096 bytes per 9-bit code); a stream whose bound stays under the limit is decoded safely.
_RATIO = {
    "/ASCIIHexDecode": 0.5,
    "/ASCII85Decode": 0.8,
    "/FlateDecode": 1032,
    "/RunLengthDecode": 64,
    "/LZWDecode": 3641,
}
_DELIMITED = rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}/%])(?:rg|RG|/DeviceRGB|/CalRGB|/Lab|/RGB)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
_RGB_TOKEN = re.compile(_DELIMITED)
_SPACE_KEYS = frozenset({"/ColorSpace", "/CS"})
_FONT_FILES = frozenset({"/FontFile", "/FontFile2", "/FontFile3"})
_SIMPLE_FONTS = frozenset({"/Type1", "/MMType1", "/TrueType", "/CIDFontType0", "/CIDFontType2"})
_STATE_KEYS = frozenset({"/TR", "/TR2", "/HT", "/SMask", "/CA", "/ca", "/BM", "/Group"})
_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm"})
MAX_DEPTH = 64  # arrays and dictionaries inside one another (the writer recurses through them)
_CONFIRM_LIMIT = 20_000  # candidate tokens confirmed by parsing; more than this are RGB colour


class Facts:
    """What the walk over the ad's objects finds, and the bounds it keeps."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rgb: set[str] = set()
        self.fonts: set[str] = set()
        self.forbidden: set[str] = set()
        self.x4_only: set[str] = set()
        self.decoded = 0  # content bytes decoded so far
        self.forms = _FormCycles(name)

    def found(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(sorted(s)) for s in (self.rgb, self.fonts, self.forbidden, self.x4_only))

    def walk(self, pdf: pikepdf.Pdf, page: pikepdf.Object) -> tuple[Any, ...]:
        """Every indirect object the page's form will reach — through its resources (pikepdf
        puts inherited ones on the page) and its group —, each once, in a fixed order, each
        dictionary checked on the way; a form that draws itself, or a reference back to the
        document's pages, is refused."""
        pikepdf = load_pikepdf()
        order: list[Any] = []
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Any, str, int]] = [
            (page.get(key), key, 0) for key in ("/Group", "/Resources") if key in page
        ]
        nodes = 0
        while stack:
            obj, key, depth = stack.pop()
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
                continue
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
                order.append(obj)
                depth = 0  # the writer refers to an indirect object: its nesting starts anew
            nodes += 1
            if len(order) > MAX_AD_OBJECTS or nodes > 4 * MAX_AD_OBJECTS or depth > MAX_DEPTH:
                raise PasteupError(
                    f"{self.name}: 广告 PDF 结构过于复杂 (over {MAX_AD_OBJECTS:,} objects "
                    f"or nested over {MAX_DEPTH} deep)"
                )
            entries = len(obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj)
            if entries > 4 * MAX_AD_OBJECTS:  # an array or dictionary pikepdf would list
                raise PasteupError(f"{self.name}: 广告 PDF 对象过大 ({entries:,} entries)")
            if isinstance(obj, pikepdf.Array):
                stack.extend((obj[i], key, depth + 1) for i in reversed(range(len(obj))))
                continue
            keys = set(obj.keys())
            self._dictionary(pdf, obj, key, keys)
            stack.extend((obj.get(child), child, depth + 1) for child in sorted(keys, reverse=True))
        self.forms.check()
        return tuple(order)

    def _dictionary(self, pdf: pikepdf.Pdf, obj, key: str, keys: set[str]) -> None:
        """The checks of one dictionary or stream; a key is read only when it is there (a
        hostile file reaches the object limit in well under a second)."""
        pikepdf = load_pikepdf()
        kind = str(obj.get("/Type")) if "/Type" in keys else ""
        subtype = str(obj.get("/Subtype")) if "/Subtype" in keys else ""
        if kind in ("/Page", "/Pages", "/Catalog"):
            raise PasteupError(
                f"{self.name}: 广告 PDF 的资源指向页面 (its resources refer to a page)"
            )
        if kind in ("/OCG", "/OCMD") or "/OC" in keys:  # our file has no OCProperties to list them
            self.forbidden.add("optional content (layers)")
        if key in ("/ColorSpace", "/CS"):
            self._colour(obj)
        for name in _SPACE_KEYS & keys:
            space = obj.get(name)
            if not isinstance(space, pikepdf.Dictionary):
                self._colour(space)
        if kind == "/FontDescriptor" and not _FONT_FILES & keys:
            self.fonts.add(str(obj.get("/FontName", "?")).lstrip("/"))
        if kind == "/Font" and subtype in _SIMPLE_FONTS and "/FontDescriptor" not in keys:
            self.fonts.add(str(obj.get("/BaseFont", "?")).lstrip("/"))
        if _STATE_KEYS & keys:
            self._graphics_state(obj, keys)
        if subtype == "/PS" or ("/Subtype2" in keys and str(obj.get("/Subtype2")) == "/PS"):
            self.forbidden.add("PostScript")
        if "/OPI" in keys:
            self.forbidden.add("OPI")
        if "/JS" in keys or ("/S" in keys and str(obj.get("/S")) in _ACTIONS):
            self.forbidden.add("JavaScript/actions")
        if isinstance(obj, pikepdf.Stream):
            if subtype == "/Form":
                self.forms.add(obj)
            self._stream(pdf, obj, subtype, keys)
        if key == "/CharProcs":
            for proc in obj.values():
                if isinstance(proc, pikepdf.Stream):
                    self.content(pdf, proc)

    def _graphics_state(self, obj, keys: set[str]) -> None:
        for name in ("/TR", "/TR2"):
            if name in keys and str(obj.get(name)) != "/Default":
                self.forbidden.add("transfer function")
        if "/HT" in keys and str(obj.get("/Type", "")) == "/ExtGState":
            self.forbidden.add("halftone")
        if "/SMask" in keys and str(obj.get("/SMask")) != "/None":
            self.x4_only.add("transparency")
        for name in ("/CA", "/ca"):
            if name in keys and _number(obj.get(name), 1.0) < 1:
                self.x4_only.add("transparency")
        if "/BM" in keys and str(obj.get("/BM")) not in ("/Normal", "/Compatible"):
            self.x4_only.add("transparency")
        group = obj.get("/Group") if "/Group" in keys else None
        if (
            isinstance(group, load_pikepdf().Dictionary)
            and str(group.get("/S", "")) == "/Transparency"
        ):
            self.x4_only.add("transparency")

    def _stream(self, pdf: pikepdf.Pdf, stream, subtype: str, keys: set[str]) -> None:
        if "/F" in keys:
            self.forbidden.add("external stream data")
        filters = _filters(stream) if "/Filter" in keys else []
        if "/LZWDecode" in filters:
            self.x4_only.add("LZW")
        if "/JPXDecode" in filters:
            self.x4_only.add("JPEG 2000")
        if subtype == "/Image" and "/Alternates" in keys:
            self.forbidden.add("image alternates")
        if subtype == "/Form" or ("/PatternType" in keys and stream.get("/PatternType") == 1):
            self.content(pdf, stream)

    def _colour(self, space) -> None:
        pikepdf = load_pikepdf()
        if isinstance(space, pikepdf.Dictionary) and not isinstance(space, pikepdf.Stream):
            for value in space.values():  # a resource dictionary of named spaces
                self._colour(value)
            return
        is_array = isinstance(space, pikepdf.Array)
        family = str(space[0]) if is_array and len(space) else str(space)
        if family in RGB_SPACES:
            self.rgb.add(family.lstrip("/"))
        elif family == "/ICCBased" and is_array and len(space) > 1:
            if int(space[1].get("/N", 0)) == 3:
                self.rgb.add("ICC RGB")
            else:
                self.x4_only.add("ICC colour")
        elif family in ("/Separation", "/DeviceN") and is_array and len(space) > 2:
            self._colour(space[2])
        elif family == "/Indexed" and is_array and len(space) > 1:
            self._colour(space[1])

    def content(self, pdf: pikepdf.Pdf, stream) -> None:
        """A content stream decoded within the bounds, its RGB operators found."""
        pikepdf = load_pikepdf()
        if not isinstance(stream, pikepdf.Stream):
            raise PasteupError(f"{self.name}: 页面内容不是数据流 (page content is not a stream)")
        data = _decoded(stream, MAX_AD_CONTENT_BYTES - self.decoded, self.name)
        self.decoded += len(data)
        candidates = sum(1 for _ in _RGB_TOKEN.finditer(data))
        if not candidates:
            return
        if candidates > _CONFIRM_LIMIT:
            self.rgb.add("rg")
            return
        scratch = pikepdf.Stream(pdf, data)
        for instruction in pikepdf.parse_content_stream(scratch, "rg RG cs CS BI ID EI"):
            operands, op = instruction.operands, str(instruction.operator)
            if op in ("rg", "RG"):
                self.rgb.add(op)
            elif op in ("cs", "CS") and operands and str(operands[0]) in RGB_SPACES:
                self.rgb.add(str(operands[0]).lstrip("/"))
            elif isinstance(instruction, pikepdf.ContentStreamInlineImage):
                space = instruction.iimage.obj.get("/ColorSpace")  # abbreviations expanded
                if space is not None:
                    self._colour(space)


class _FormCycles:
    """Forms that draw, through their resources, themselves (a renderer would never stop)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.forms: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def add(self, form) -> None:
        pikepdf = load_pikepdf()
        uses = []
        xobjects = form.get("/Resources", {}).get("/XObject", {})
        for value in xobjects.values() if isinstance(xobjects, pikepdf.Dictionary) else ():
            if isinstance(value, pikepdf.Stream) and value.is_indirect:
                uses.append(value.objgen)
        if form.is_indirect:
            self.forms[form.objgen] = uses

    def check(self) -> None:
        state: dict[tuple[int, int], int] = {}  # 1 on the path, 2 done
        for start in self.forms:
            stack = [(start, iter(self.forms[start]))]
            if state.get(start):
                continue
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    raise PasteupError(
                        f"{self.name}: 广告 PDF 的图形自我引用 (a form draws itself)"
                    )
                elif child in self.forms and not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(self.forms[child])))


def _number(value, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def _filters(stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, load_pikepdf().Array):
        return [str(v) for v in value]
    return [str(value)]


def _decoded(stream, budget: int, name: str) -> bytes:
    """The stream's data decoded, refused past `budget` bytes without ever holding more:
    ASCII filters then one Flate are decoded here with a cap; other chains only when the
    bound of their ratios keeps them under it."""
    too_big = PasteupError(
        f"{name}: 广告 PDF 内容过大 (page content over {MAX_AD_CONTENT_BYTES:,} bytes decoded)"
    )
    filters = _filters(stream)
    raw = stream.read_raw_bytes()
    bound = float(len(raw))
    for f in filters:
        bound *= _RATIO.get(f, float("inf"))
    if bound <= budget:
        return stream.read_bytes() if filters else raw
    ascii_steps = 0
    data = raw
    for f in filters:
        if f == "/ASCIIHexDecode":
            data = binascii.unhexlify(re.sub(rb"\s", b"", data.split(b">")[0]).ljust(2, b"0"))
        elif f == "/ASCII85Decode":
            data = base64.a85decode(data.strip().removesuffix(b"~>"), ignorechars=b" \t\n\r\x0c")
        else:
            break
        ascii_steps += 1
    rest = filters[ascii_steps:]
    if rest != ["/FlateDecode"] or "/DecodeParms" in stream:
        raise too_big
    inflate = zlib.decompressobj()
    data = inflate.decompress(data, budget + 1)
    if len(data) > budget or inflate.unconsumed_tail:
        raise too_big
    return data


def load_pikepdf():
    """pikepdf, imported when an ad is read (composing a page without one never loads it)."""
    import pikepdf

    return pikepdf
