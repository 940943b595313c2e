"""Bounds on what a proof PDF may make Pasteup read, and the check of text taken from it.

A proof comes back from outside: any viewer, any re-writer, anyone. Compressed streams are
inflated only up to a limit (a 1 MB file must not become gigabytes), annotation counts and
text lengths are capped, and text that would go into a story passes the same checks as typed
text — no control characters, no bidi overrides, no unpaired surrogates, no undecodable bytes
— or the correction is held for review. The numbers are listed in docs/proofing.md.
"""

from __future__ import annotations

import re
import zlib

import pikepdf

MAX_TEXTMAP_BYTES = 32 * 1024 * 1024  # the embedded text map, inflated (a page's is ~0.2 MB)
MAX_RICH_TEXT_BYTES = 256 * 1024  # one /RC rich-text stream, inflated
MAX_ANNOTATIONS = 20_000  # annotations read from one file; the rest are reported, not read
MAX_NOTE_CHARS = 20_000  # a /Contents, /T or /Subj kept (longer is cut, and said so)
MAX_REPLACEMENT_CHARS = 2_000  # text a correction may put into a story

# How much each PDF filter can expand its input at most (Flate: 1032:1 is zlib's bound).
_EXPANSION = {"/FlateDecode": 1032, "/Fl": 1032, "/LZWDecode": 4096, "/LZW": 4096,
              "/RunLengthDecode": 128, "/RL": 128, "/ASCIIHexDecode": 1, "/AHx": 1,
              "/ASCII85Decode": 1, "/A85": 1}  # fmt: skip


class TooLarge(Exception):
    """A stream or field is past its limit; the message says which and the limit."""


def stream_bytes(stream: pikepdf.Stream, limit: int, what: str) -> bytes:
    """The decoded data of `stream`, never inflating more than `limit` bytes."""
    filters = stream.get("/Filter")
    listed = filters if isinstance(filters, pikepdf.Array) else [filters] if filters else []
    names = [f.unparse().decode("latin-1") if isinstance(f, pikepdf.Name) else "?" for f in listed]
    raw = stream.read_raw_bytes()
    bound = len(raw)
    for name in names:
        if name not in _EXPANSION:
            raise TooLarge(f"{what}: 不支持的编码 {name} (unsupported stream filter)")
        bound *= _EXPANSION[name]
    if bound <= limit:
        try:
            return stream.read_bytes()
        except pikepdf.DataDecodingError as error:  # small but corrupt (the fuzzer's find)
            raise TooLarge(f"{what}: 压缩数据损坏 (corrupt compressed data: {error})") from None
    if names in (["/FlateDecode"], ["/Fl"]) and "/DecodeParms" not in stream:
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, limit + 1)
        except zlib.error as error:
            raise TooLarge(f"{what}: 压缩数据损坏 (corrupt compressed data: {error})") from None
        if len(data) <= limit and not inflater.unconsumed_tail:
            return data
    raise TooLarge(f"{what}: 解压后超过 {limit // 1024} KiB 上限 (inflates past the limit)")


# Characters that must not enter a story from a proof: C0/C1 controls (tab and line breaks
# are handled as paragraph breaks before this check), DEL, bidi embeddings/overrides/isolates,
# unpaired surrogates, and U+FFFD (what undecodable bytes became).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffd]"
)


def unsafe_text_reason(text: str) -> str:
    """Why `text` may not go into a story as it is, or "" when it may."""
    if len(text) > MAX_REPLACEMENT_CHARS:
        return (
            f"插入文字 {len(text)} 字，超过 {MAX_REPLACEMENT_CHARS} 字上限 "
            f"(replacement longer than {MAX_REPLACEMENT_CHARS} characters)"
        )
    bad = _UNSAFE.search(text)
    if bad:
        return (
            f"插入文字含不可见或控制字符 U+{ord(bad.group()):04X} "
            f"(replacement holds a control, bidi or undecodable character)"
        )
    return ""


def shown_note(text: str) -> str:
    """A proofreader's note made safe to print and store: unsafe characters become U+FFFD,
    unpaired surrogates too (they cannot be written as UTF-8), and the length is capped."""
    text = _UNSAFE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if len(text) <= MAX_NOTE_CHARS else text[:MAX_NOTE_CHARS] + "…"
