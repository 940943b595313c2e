"""Fonts and pictures for painting, loaded once: QRawFont per face and size, QImage per file
(a PDF ad's page rendered to a picture first).

A face comes from the layout's `FontSource` (path, index). `QRawFont(path)` always opens
face 0 of a collection, so a face at index > 0 is extracted with fontTools into memory
first. Hinting is off so Qt's outlines match the metrics the engine used.
"""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QImage, QImageReader, QRawFont

from app.compose.layout import FontSource
from app.errors import PasteupError

PREVIEW_PIXELS = 2400  # longest side of a picture as the canvas keeps it


class PaintResources:
    def __init__(self) -> None:
        self._faces: dict[tuple[str, int], QRawFont] = {}  # (path, index) → base face
        self._sized: dict[tuple[str, int, float], QRawFont] = {}
        self._images: dict[str, tuple[QImage, float]] = {}  # path → (preview, scale)

    def raw_font(self, source: FontSource, size_pt: float) -> QRawFont:
        key = (source.path, source.index, size_pt)
        raw = self._sized.get(key)
        if raw is None:
            raw = QRawFont(self._face(source))
            raw.setPixelSize(size_pt)
            self._sized[key] = raw
        return raw

    def _face(self, source: FontSource) -> QRawFont:
        key = (source.path, source.index)
        face = self._faces.get(key)
        if face is None:
            face = QRawFont(_font_bytes(source), 12.0, QFont.HintingPreference.PreferNoHinting)
            if not face.isValid():
                raise PasteupError(f"{source.path}: Qt 无法读取字体 (Qt cannot read the font)")
            self._faces[key] = face
        return face

    def image(self, path: str, pdf: bool = False) -> tuple[QImage, float] | None:
        """A preview of the picture and its scale from file pixels (a PDF ad: from layout
        units of its trim, rendered once by `adpreview`); None if unreadable."""
        if pdf and path not in self._images:
            from app.export.adpreview import ad_preview

            try:
                png, scale = ad_preview(path)
            except PasteupError:
                return None
            image = QImageReader(str(png)).read()
            if image.isNull():
                return None
            self._images[path] = (image.convertToFormat(QImage.Format.Format_RGB32), scale)
        if path not in self._images:
            reader = QImageReader(path)
            reader.setAutoTransform(False)  # the layout's crop is in stored pixel coordinates
            size = reader.size()
            scale = 1.0
            if size.isValid() and max(size.width(), size.height()) > PREVIEW_PIXELS:
                scale = PREVIEW_PIXELS / max(size.width(), size.height())
                reader.setScaledSize(size * scale)
            image = reader.read()
            if image.isNull():
                return None
            self._images[path] = (image.convertToFormat(QImage.Format.Format_RGB32), scale)
        return self._images[path]

    def forget_image(self, path: str) -> None:
        self._images.pop(path, None)


def _font_bytes(source: FontSource) -> QByteArray:
    path = Path(source.path)
    try:
        if source.index == 0:
            return QByteArray(path.read_bytes())
        from fontTools.ttLib import TTFont

        face = TTFont(str(path), fontNumber=source.index, lazy=True, recalcBBoxes=False)
        face.recalcTimestamp = False
        out = io.BytesIO()
        face.save(out)
        return QByteArray(out.getvalue())
    except OSError as error:
        raise PasteupError(f"{path}: 无法读取字体 (cannot read font): {error.strerror}") from None
