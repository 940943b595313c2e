"""Large streams Flate-compressed in a thread while the page is drawn.

zlib releases the interpreter lock, so on two cores a font program or the output profile
is compressed beside the Python work of drawing; the stream takes the result only when
the PDF is written (`DeflatedStream.format`).
"""

from __future__ import annotations

import threading
import zlib

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream

LEVEL = 6


class Deflating:
    """`data` being compressed in a thread, started at once."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._compressed: bytes | None = None
        self._thread = threading.Thread(target=self._compress, name="deflate", daemon=True)
        self._thread.start()

    def _compress(self) -> None:
        self._compressed = zlib.compress(self._data, LEVEL)

    def result(self) -> bytes:
        """The compressed bytes (waits for the thread the first time)."""
        if self._compressed is None:
            self._thread.join()
            if self._compressed is None:  # the thread failed: say why, here
                self._compress()
        assert self._compressed is not None
        return self._compressed


class DeflatedStream(PDFStream):
    """A FlateDecode stream whose content is taken from `deflating` when it is written."""

    def __init__(self, entries: dict, deflating: Deflating) -> None:
        super().__init__(PDFDictionary({**entries, "Filter": PDFName("FlateDecode")}), b"")
        self._deflating = deflating

    def format(self, document):
        self.content = self._deflating.result()
        return super().format(document)
