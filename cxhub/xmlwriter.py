"""Well-formed XML whatever the text: the hub's published feeds and OPML lists are written
with it, and the text the hub stores passes the same character filter."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import XMLGenerator

# XML 1.0 allows tab, newline and carriage return among the C0 controls, and excludes
# U+FFFE/U+FFFF and lone surrogates. One such character makes a whole feed invalid, so they
# are removed from everything we store.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def strip_control_chars(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


class XMLWriter:
    """UTF-8 XML without a DOCTYPE; every text and attribute passes the XML 1.0 character filter,
    so one stray control character in a post can never make the document unreadable."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self._xml = XMLGenerator(self.buffer, "utf-8", short_empty_elements=True)
        self._xml.startDocument()

    def processing_instruction(self, target: str, data: str) -> None:
        """Before the root element: e.g. xml-stylesheet, which browsers apply and readers skip."""
        self._xml.processingInstruction(target, strip_control_chars(data))

    def start(self, name: str, attrs: dict[str, str] | None = None) -> None:
        self._xml.ignorableWhitespace("\n")
        self._xml.startElement(name, self._clean(attrs))

    def end(self, name: str) -> None:
        self._xml.ignorableWhitespace("\n")
        self._xml.endElement(name)

    def element(self, name: str, text: str | None = None, attrs: dict | None = None) -> None:
        self.start(name, attrs)
        if text:
            self._xml.characters(strip_control_chars(text))
        self._xml.endElement(name)

    def getvalue(self) -> bytes:
        self._xml.endDocument()
        return self.buffer.getvalue() + b"\n"

    @staticmethod
    def _clean(attrs: dict | None) -> dict[str, str]:
        return {k: strip_control_chars(str(v)) for k, v in (attrs or {}).items() if v is not None}
