"""What an output intent needs from an ICC profile, read from its header and tag table.

The print export checks that the profile is a CMYK output profile and names it by its
description; reading that much here spares a re-export Pillow's LittleCMS import, which its
photos, converted before, no longer need (ICC.1:2010 §7.2 header, §7.3 tag table, §10.13
`mluc`; ICC.1:2001 §6.5.17 `desc` for version 2 profiles).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import NamedTuple

from app.errors import PasteupError


class ProfileFacts(NamedTuple):
    device_class: str  # "prtr" for an output profile
    color_space: str  # "CMYK", "RGB", "GRAY" …
    description: str


def read_profile(data: bytes) -> ProfileFacts:
    """The profile's class, data colour space and description; ValueError if `data` is not an
    ICC profile."""
    if len(data) < 132 or data[36:40] != b"acsp":
        raise ValueError("not an ICC profile (no 'acsp' signature)")
    (size,) = struct.unpack(">I", data[:4])
    if size > len(data) or size < 132:
        raise ValueError(f"ICC profile cut short: header says {size} bytes, file has {len(data)}")
    device_class = data[12:16].decode("latin-1").strip()
    color_space = data[16:20].decode("latin-1").strip()
    (count,) = struct.unpack(">I", data[128:132])
    if 132 + 12 * count > size:
        raise ValueError("ICC tag table runs past the end of the profile")
    description = ""
    for index in range(count):
        signature, offset, length = struct.unpack(
            ">4sII", data[132 + 12 * index : 144 + 12 * index]
        )
        if signature == b"desc":
            if offset + length > size:
                raise ValueError("ICC 'desc' tag runs past the end of the profile")
            description = _text(data[offset : offset + length])
            break
    return ProfileFacts(device_class, color_space, description.strip())


def read_print_profile(path: Path) -> tuple[bytes, ProfileFacts]:
    """The bytes and facts of a profile that can be a print output intent (a CMYK output
    profile), or one line saying what the file is instead. Commands call it before any photo
    is converted with the profile, so the message names the profile, not a photo."""
    try:
        data = path.read_bytes()
        facts = read_profile(data)
    except (OSError, ValueError) as error:
        raise PasteupError(
            f"{path}: 无法读取 ICC 配置文件 (cannot read ICC profile): {error}"
        ) from None
    if facts.color_space != "CMYK" or facts.device_class != "prtr":
        kinds = {"mntr": "显示器", "scnr": "输入设备", "spac": "色彩空间", "prtr": "输出"}
        kind = kinds.get(facts.device_class, facts.device_class)
        raise PasteupError(
            f"{path}: 这是 {facts.color_space} {kind}配置文件，不能作为印刷输出意图，请用印厂的"
            f" CMYK 输出配置文件 (a {facts.color_space} '{facts.device_class}' profile is not a"
            " print intent: give the printer's CMYK output profile)"
        )
    return data, facts


def _text(tag: bytes) -> str:
    """A `desc` (ASCII part) or `mluc` (English, else the first record) text."""
    kind = tag[:4]
    if kind == b"desc" and len(tag) >= 12:
        (count,) = struct.unpack(">I", tag[8:12])
        return tag[12 : 12 + count].split(b"\0", 1)[0].decode("latin-1")
    if kind == b"mluc" and len(tag) >= 16:
        records, record_size = struct.unpack(">II", tag[8:16])
        chosen = None
        for index in range(records):
            at = 16 + index * record_size
            language, country, length, offset = struct.unpack(">2s2sII", tag[at : at + 12])
            if chosen is None or (language, country) == (b"en", b"US"):
                chosen = (length, offset)
        if chosen is not None:
            length, offset = chosen
            return tag[offset : offset + length].decode("utf-16-be", "replace").rstrip("\0")
    return ""
