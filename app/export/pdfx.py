"""What ReportLab lacks for PDF/X, added in one place (feasibility §3).

* ReportLab's page preamble selects its initial font (Helvetica, never embedded)
  unless that font is "dynamic": `NO_INITIAL_FONT` is such a font that is never used.
* The catalog writes only whitelisted keys, so `OutputIntents` is whitelisted here.
* The Info dictionary has a fixed set of keys; `_PdfxInfo` adds the GTS keys.
* Any colour object bumps the version to 1.4; `identify` pins it last, before saving.
* PDF/X-4 wants an XMP packet whose dates, producer, author and subject match the Info
  dictionary.
* The same page gives the same bytes: the dates are the page's own (`document_time`), the
  trailer `/ID` and XMP ids are derived from the page's identity and the file's content
  (`seal`), never from the clock.
"""

from __future__ import annotations

import hashlib
import os
import time
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDate,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfgen.canvas import Canvas

from app.errors import PasteupError
from app.export.colors import BUNDLED_PROFILE
from app.export.deflate import DeflatedStream, Deflating
from app.export.iccprofile import read_print_profile

PdfxLevel = Literal["1a", "4"]
PRODUCER = "Pasteup (ReportLab)"
NO_INITIAL_FONT = "PasteupNoInitialFont"
PDF_VERSION = {"1a": (1, 3), "4": (1, 6)}
_GTS_VERSION = {"1a": "PDF/X-1:2001", "4": "PDF/X-4"}


def escape(text: str) -> str:
    """XML text escaping, here rather than imported: xml.sax.saxutils would import urllib,
    http and ssl (35 ms a run), html.escape the html package (~3 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _NoInitialFace:
    name = NO_INITIAL_FONT


class _NoInitialFont:
    """Registered so the canvas preamble sets no font: ours are all set per run."""

    fontName = NO_INITIAL_FONT
    face = _NoInitialFace()
    _dynamicFont = 1
    _multiByte = 0


pdfmetrics.registerFont(_NoInitialFont())


class OutputIntent(NamedTuple):
    """The printing condition the CMYK values are meant for, with its ICC profile (a named
    tuple: defined on every print export, a dataclass costs ~10x more to define)."""

    profile: Path
    identifier: str  # OutputConditionIdentifier, ideally a registered condition
    condition: str  # human-readable description (the profile's)
    data: bytes
    compressed: Deflating  # the profile's Flate compression, running while the page is drawn


BUNDLED_CONDITION = "CGATS TR 002"


def output_intent(profile: Path | None) -> OutputIntent:
    """The printer's profile when given, else the bundled newsprint one."""
    path = profile or BUNDLED_PROFILE
    data, facts = read_print_profile(path)
    description = facts.description or path.name
    identifier = BUNDLED_CONDITION if profile is None else "Custom"
    return OutputIntent(path, identifier, description, data, _deflating(data))


# The clock never enters the file (reproducible output, https://reproducible-builds.org/).
FALLBACK_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # a page with no date of its own


def document_time(page_date: str = "") -> datetime:
    """When the document says it was made: `SOURCE_DATE_EPOCH` if set, else the page's own
    date (midnight UTC), else a fixed date, so exporting again gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise PasteupError(
                f"SOURCE_DATE_EPOCH={epoch!r}: 应为整数秒 (expected whole seconds since 1970)"
            )
        return datetime.fromtimestamp(int(epoch), UTC)
    try:
        day = datetime.strptime(page_date, "%Y-%m-%d")
    except ValueError:
        return FALLBACK_TIME
    return day.replace(tzinfo=UTC)


def set_document_time(canvas: Canvas, when: datetime) -> None:
    """Date the document `when` (UTC) instead of ReportLab's clock."""
    seconds = int(when.timestamp())
    stamp = TimeStamp.__new__(TimeStamp)
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    canvas._doc._timeStamp = stamp


class _PdfxInfo(PDFInfo):
    """PDFInfo plus the GTS_PDFX keys PDF/X requires."""

    def __init__(self, base: PDFInfo, extra: dict[str, str]) -> None:
        super().__init__()
        self.__dict__.update(base.__dict__)
        self.extra = extra

    def format(self, document):
        date = PDFDate(ts=document._timeStamp)
        entries = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "CreationDate": date,
            "ModDate": date,
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Trapped": PDFName(self.trapped),
        }
        entries.update({key: PDFString(value) for key, value in self.extra.items()})
        return PDFDictionary(entries).format(document)


def identify(canvas: Canvas, level: PdfxLevel, intent: OutputIntent, identity: str) -> None:
    """Make the document a PDF/X-`level` file for `intent`. Call last, just before saving, and
    `seal` the bytes. `identity` names the page (paper, date, 版次, 版名): the permanent half
    of the trailer `/ID` and the XMP DocumentID are derived from it."""
    doc = canvas._doc
    permanent = _digest(identity.encode("utf-8"))
    doc._ID = b"\n[<" + permanent.hex().encode() + b"><" + _INSTANCE_PLACEHOLDER + b">]\n"
    doc.info.producer = PRODUCER
    extra = {"GTS_PDFXVersion": _GTS_VERSION[level]}
    if level == "1a":
        extra["GTS_PDFXConformance"] = "PDF/X-1a:2001"
    doc.info = _PdfxInfo(doc.info, extra)
    doc.info.trapped = "False"
    profile = DeflatedStream({"N": 4}, intent.compressed)
    entries = {
        "Type": PDFName("OutputIntent"),
        "S": PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": PDFString(intent.identifier),
        "OutputCondition": PDFString(intent.condition),
        "Info": PDFString(intent.condition),
        "DestOutputProfile": doc.Reference(profile),
    }
    if intent.identifier == BUNDLED_CONDITION:  # a registered condition names its registry
        entries["RegistryName"] = PDFString("http://www.color.org")
    intent_dict = PDFDictionary(entries)
    catalog = doc.Catalog
    if "OutputIntents" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = PDFArray([intent_dict])
    if level == "4":
        catalog.Metadata = _PlainStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            _xmp(doc, _GTS_VERSION[level], _uuid_text(permanent.hex())).encode("utf-8"),
        )
    doc._pdfVersion = PDF_VERSION[level]


class _PlainStream(PDFStream):
    """A stream written as is, with no /Filter entry at all (ReportLab writes `/Filter []`):
    the XMP packet must stay readable by tools that scan the file for it."""

    def format(self, document):
        entries = PDFDictionary({**self.dictionary.dict, "Length": len(self.content)})
        return pdf_format(entries, document) + b"\nstream\n" + self.content + b"\nendstream\n"


@lru_cache(maxsize=4)
def _deflating(data: bytes) -> Deflating:
    """Started when the profile is read; kept, as a re-export uses the same profile."""
    return Deflating(data)


_INSTANCE_PLACEHOLDER = b"0" * 32  # the trailer's second id, until `seal` knows the content
_XMP_INSTANCE = "<xmpMM:InstanceID>uuid:"
_XMP_PLACEHOLDER = "0" * 36


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:16]


def seal(pdf: bytes) -> bytes:
    """Put the content-derived instance id in the trailer `/ID` and the XMP InstanceID: the
    digest of the file as written with placeholders, so equal pages give equal bytes and any
    change gives a new id. Both placeholders have the final length: no offset moves."""
    instance = _digest(pdf)
    end = pdf.rfind(b"><" + _INSTANCE_PLACEHOLDER + b">]")
    if end < 0:
        raise ValueError("no /ID placeholder: call identify() before saving")
    start = end + 2
    pdf = pdf[:start] + instance.hex().encode() + pdf[start + len(_INSTANCE_PLACEHOLDER) :]
    marker = (_XMP_INSTANCE + _XMP_PLACEHOLDER).encode()
    at = pdf.find(marker)
    if at >= 0:
        at += len(_XMP_INSTANCE)
        pdf = pdf[:at] + _uuid_text(instance.hex()).encode() + pdf[at + len(_XMP_PLACEHOLDER) :]
    return pdf


def _xmp(doc, gts_version: str, document_id: str) -> str:
    stamp = doc._timeStamp
    year, month, day, hour, minute, second = stamp.YMDhms
    date = (
        f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        f"{stamp.dhh:+03d}:{stamp.dmm:02d}"
    )
    info = doc.info
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.subject)}</rdf:li></rdf:Alt></dc:description>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>
   <pdf:Producer>{escape(info.producer)}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
   {_XMP_INSTANCE}{_XMP_PLACEHOLDER}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{gts_version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _uuid_text(digest: str) -> str:
    """32 hex digits in the UUID's 8-4-4-4-12 form (what `uuid.UUID(bytes=…)` prints, without
    importing uuid on every export)."""
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"
