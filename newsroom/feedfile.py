"""A saved feed file of any size, read as a stream: entries out one by one, as they end.

`newsroom.parse` reads a feed whole, with feedparser in a child process under time and memory
limits: right for a stranger's feed of a few megabytes, hopeless for an operator's archive of
100,000 posts (hundreds of megabytes, minutes of feedparser). Here expat, the XML parser of
Python's standard library, reads the file in chunks, and each RSS <item> or Atom <entry>
becomes a `ParsedEntry` when it ends: memory stays that of one entry, time grows with the file.

expat on its own expands entities that a document declares (the "billion laughs" bomb: a few
hundred bytes that become gigabytes) and reports external entities for the caller to load
(a file of this machine read into a post). So every entity declaration and every external
entity is refused, as defusedxml does it, before anything is read from the entries; a DOCTYPE
as such is allowed (RSS 0.91 has one) and its external DTD is never loaded. No dependency: the
checks are three expat handlers.

Fields are taken the way feedparser takes them (newsroom.parse), so that an entry read here
and the same entry read from the network get the same key and the same post; the HTML is not
cleaned here, `newsroom.clean.clean_entry` does that for both readers. No network, no
database, no Django.
"""

from __future__ import annotations

import html.entities
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from feedparser.datetimes import _parse_date  # feedparser's date rules, as for the network

from .parse import ParsedEntry, ParseError, author_name, utc_datetime

ATOM = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS1 = "http://purl.org/rss/1.0/"
RSS09 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# An entry holding more text than this is left out (reported), not read into memory.
MAX_ENTRY_CHARS = 20_000_000
CHUNK_BYTES = 1 << 16


class XMLRefused(ParseError):
    """The document uses XML features that are refused for safety."""


@dataclass(frozen=True)
class UnreadableEntry:
    """An entry left out while reading, and why (named by where it starts in the file)."""

    line: int
    reason: str


def _name(expat_name: str) -> str:
    # expat gives "uri}local" (namespace_separator "}"); ElementTree spells it "{uri}local".
    return "{" + expat_name if "}" in expat_name else expat_name


class FeedFile:
    """Iterate over a saved RSS or Atom file's entries: `ParsedEntry`, or `UnreadableEntry`
    for an entry left out. `title`, `link`, `bytes_read` and `entries_read` tell about the
    file so far. Raises ParseError (XMLRefused for entity declarations and external
    entities) when the file is not a feed or not well-formed XML, after the entries before
    that point."""

    def __init__(self, stream: BinaryIO, *, max_entry_chars: int = MAX_ENTRY_CHARS):
        self.stream = stream
        self.max_entry_chars = max_entry_chars
        self.title = ""
        self.link = ""
        self.bytes_read = 0
        self.entries_read = 0
        self._ready: deque[ParsedEntry | UnreadableEntry] = deque()
        self._depth = 0
        self._root = ""
        self._channel_field = ""  # "title" or "link" while reading one of the channel's
        self._channel_text: list[str] = []
        self._bases: list[str] = [""]  # xml:base in force, per open element
        self._entry: TreeBuilder | None = None
        self._entry_depth = 0
        self._entry_line = 0
        self._entry_chars = 0
        self._parser = self._make_parser()

    def __iter__(self) -> Iterator[ParsedEntry | UnreadableEntry]:
        parser = self._parser
        while True:
            chunk = self.stream.read(CHUNK_BYTES)
            if not chunk and not self.bytes_read:
                raise ParseError("The file is empty.")
            problem = None
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                problem = exc
            self.bytes_read += len(chunk)
            while self._ready:
                self.entries_read += 1
                yield self._ready.popleft()
            if problem is not None:
                raise ParseError(_not_well_formed(problem, self.entries_read)) from None
            if not chunk:
                break

    # ----- expat -----

    def _make_parser(self):
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = CHUNK_BYTES
        # No DTD outside the file is ever read (nor handed to us to read). With one assumed
        # ("foreign"), an entity the file uses without declaring it, such as &nbsp; in a
        # hand-made feed, is skipped (see _skipped_entity) instead of stopping the import.
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.UseForeignDTD(True)
        parser.EntityDeclHandler = self._refuse_entity
        parser.UnparsedEntityDeclHandler = self._refuse_unparsed_entity
        parser.ExternalEntityRefHandler = self._refuse_external
        parser.SkippedEntityHandler = self._skipped_entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        return parser

    def _refuse_entity(self, name, is_parameter_entity, value, base, system_id, *args):
        kind = "an external entity" if system_id else "an entity"
        raise XMLRefused(
            f"The file declares {kind} (“{name}”, line {self._parser.CurrentLineNumber}). "
            "The import refuses XML entity declarations: they can blow up memory (“billion "
            "laughs”) or read files of this machine into posts. Export the feed again "
            "without a DOCTYPE, or remove the declarations."
        )

    def _refuse_unparsed_entity(self, name, base, system_id, public_id, notation):
        self._refuse_entity(name, False, None, base, system_id or public_id or "external")

    def _refuse_external(self, context, base, system_id, public_id):
        raise XMLRefused(
            f"The file refers to an external entity ({system_id or public_id or context}, "
            f"line {self._parser.CurrentLineNumber}), which the import never loads. Export "
            "the feed again without it."
        )

    def _skipped_entity(self, name, is_parameter_entity):
        # An entity used but not declared (its DTD, if any, is never read), e.g. &nbsp;:
        # HTML's named characters are read as such, others are dropped.
        if not is_parameter_entity and name in html.entities.name2codepoint:
            self._data(chr(html.entities.name2codepoint[name]))

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = _name(tag)
        self._depth += 1
        if any("}" in key for key in attrs):
            attrs = {_name(key): value for key, value in attrs.items()}
        base = self._bases[-1]
        if XML_BASE in attrs:
            base = urljoin(base, attrs[XML_BASE]) if base else attrs[XML_BASE]
        self._bases.append(base)
        if self._entry is not None:
            self._entry.start(tag, attrs)
            return
        if not self._root:
            self._root = tag
            if tag not in ("rss", f"{{{RDF}}}RDF", f"{{{ATOM}}}feed", f"{{{ATOM03}}}feed"):
                raise ParseError(_not_a_feed(tag))
            return
        if tag in ENTRY_TAGS:
            self._entry = TreeBuilder()
            self._entry_depth = self._depth
            self._entry_line = self._parser.CurrentLineNumber
            self._entry_chars = 0
            self._entry.start(tag, attrs)
        elif tag in CHANNEL_TITLES and not self.title and self._depth <= 3:
            self._channel_field, self._channel_text = "title", []
        elif tag in CHANNEL_LINKS and not self.link and self._depth <= 3:
            if tag.startswith(("{" + ATOM, "{" + ATOM03)):
                if attrs.get("rel", "alternate") == "alternate" and attrs.get("href"):
                    self.link = urljoin(base, attrs["href"]) if base else attrs["href"]
            else:
                self._channel_field, self._channel_text = "link", []

    def _end(self, tag: str) -> None:
        self._depth -= 1
        self._bases.pop()
        if self._entry is not None:
            self._entry.end(_name(tag))
            if self._depth < self._entry_depth:
                self._finish_entry()
        elif self._channel_field:
            setattr(self, self._channel_field, "".join(self._channel_text).strip())
            self._channel_field = ""

    def _data(self, text: str) -> None:
        if self._entry is not None:
            self._entry_chars += len(text)
            if self._entry_chars <= self.max_entry_chars:
                self._entry.data(text)
        elif self._channel_field:
            self._channel_text.append(text)

    def _finish_entry(self) -> None:
        element = self._entry.close()
        self._entry = None
        if self._entry_chars > self.max_entry_chars:
            self._ready.append(
                UnreadableEntry(
                    line=self._entry_line,
                    reason=f"it holds more than {self.max_entry_chars:,} characters of text",
                )
            )
            return
        base = self._bases[-1]
        mapped = _atom_entry if element.tag.startswith(("{" + ATOM, "{" + ATOM03)) else _rss_entry
        self._ready.append(mapped(element, base=base, site=self.link))


ENTRY_TAGS = frozenset(
    {"item", f"{{{RSS1}}}item", f"{{{RSS09}}}item", f"{{{ATOM}}}entry", f"{{{ATOM03}}}entry"}
)
CHANNEL_TITLES = frozenset({"title", f"{{{RSS1}}}title", f"{{{ATOM}}}title", f"{{{ATOM03}}}title"})
CHANNEL_LINKS = frozenset({"link", f"{{{RSS1}}}link", f"{{{ATOM}}}link", f"{{{ATOM03}}}link"})


# A start tag as clean_html writes it: attributes space-separated, values in double quotes.
_START_TAG = re.compile(r'<([a-z][a-z0-9]*)((?: [^\s"=<>]+="[^"]*")+)>')
_ATTRIBUTE = re.compile(r' [^\s"=<>]+="[^"]*"')


def same_html(a: str, b: str) -> bool:
    """Equal but for the order of attributes, once cleaned: feedparser (feeds read from the
    network) writes them sorted, this reader keeps the source's order. Without this, a file
    imported after the same feed from the network would update every post with an image."""
    if a == b:
        return True

    def canonical(html: str) -> str:
        return _START_TAG.sub(
            lambda m: f"<{m[1]}{''.join(sorted(_ATTRIBUTE.findall(m[2])))}>", html
        )

    return canonical(a) == canonical(b)


# ----- entries -----


def _rss_entry(item: Element, *, base: str, site: str) -> ParsedEntry:
    ns = item.tag[: item.tag.index("}") + 1] if item.tag.startswith("{") else ""
    fields: dict[str, str] = {}
    guid_is_link = False
    categories: list[str] = []
    enclosures = []
    for child in item:
        tag = child.tag
        if tag == f"{ns}title" or tag == f"{{{DC}}}title":
            fields["title"] = _text(child)
        elif tag == f"{ns}link":
            fields["link"] = _text(child)
        elif tag == f"{ns}guid":
            fields["guid"] = _text(child)
            guid_is_link = child.get("isPermaLink", "true") == "true"
        elif tag in (f"{ns}author", f"{{{DC}}}creator", f"{{{DC}}}author"):
            fields["author"] = _text(child)
        elif tag == f"{ns}description" or tag == f"{{{DC}}}description":
            fields["summary"] = _markup(child, text_is_html=True)
        elif tag == f"{{{CONTENT}}}encoded":
            fields["content"] = _markup(child, text_is_html=True)
        elif tag in (f"{ns}pubDate", f"{{{DCTERMS}}}issued"):
            fields["published"] = _text(child)
        elif tag in (f"{{{DC}}}date", f"{{{DCTERMS}}}modified"):
            fields["updated"] = _text(child)
        elif tag in (f"{ns}category", f"{{{DC}}}subject"):
            categories.append(_text(child))
        elif tag == f"{ns}enclosure" and child.get("url"):
            enclosures.append(
                (child.get("url", ""), child.get("type", ""), _length(child.get("length")))
            )
    guid = fields.get("guid") or (item.get(f"{{{RDF}}}about") or "").strip()
    link = fields.get("link") or (guid if guid_is_link and fields.get("guid") else "")
    return ParsedEntry(
        guid=guid,
        link=link,
        title=fields.get("title", ""),
        author=author_name(fields.get("author", "")),
        summary=fields.get("summary", "").strip(),
        content=fields.get("content", "").strip(),
        base=_base_of(item, base) or site,
        categories=_categories(categories),
        published=_date(fields.get("published")),
        updated=_date(fields.get("updated")),
        enclosures=tuple(enclosures),
    )


def _atom_entry(entry: Element, *, base: str, site: str) -> ParsedEntry:
    ns = entry.tag[: entry.tag.index("}") + 1]
    entry_base = _base_of(entry, base)
    title, title_type = "", "text/plain"
    link = guid = author = summary = content = content_kind = content_base = summary_base = ""
    published = updated = None
    categories: list[str] = []
    enclosures = []
    for child in entry:
        tag = child.tag
        if tag == f"{ns}title":
            title, title_type = _atom_text(child)
        elif tag == f"{ns}link" and child.get("href"):
            rel = child.get("rel", "alternate")
            href = urljoin(entry_base, child.get("href")) if entry_base else child.get("href")
            if rel == "alternate" and not link:
                link = href
            elif rel == "enclosure":
                enclosures.append((href, child.get("type", ""), _length(child.get("length"))))
        elif tag == f"{ns}id":
            guid = _text(child)
        elif tag == f"{ns}author" and not author:
            name = child.find(f"{ns}name")
            author = _text(name) if name is not None else ""
        elif tag in (f"{ns}published", f"{ns}issued", f"{{{DCTERMS}}}issued"):
            published = _date(_text(child))
        elif tag in (f"{ns}updated", f"{ns}modified", f"{{{DC}}}date"):
            updated = _date(_text(child))
        elif tag == f"{ns}category":
            categories.append((child.get("label") or child.get("term") or "").strip())
        elif tag == f"{ns}summary":
            summary, _ = _atom_text(child)
            summary_base = _base_of(child, entry_base)
        elif tag == f"{ns}content" and not child.get("src"):
            value, kind = _atom_text(child)
            # Prefer HTML over plain text when an entry offers both (as newsroom.parse does).
            if value and (not content or "html" in kind):
                content, content_kind = value, kind
                content_base = _base_of(child, entry_base)
    if not summary and content_kind in ("text/plain", "text/html"):
        summary, summary_base = content, content_base  # feedparser's summary, too
    return ParsedEntry(
        guid=guid,
        link=link,
        title=title.strip(),
        title_type=title_type,
        author=author_name(author),
        summary=summary.strip(),
        content=content.strip(),
        base=content_base or summary_base or entry_base or site,
        categories=_categories(categories),
        published=published,
        updated=updated,
        enclosures=tuple(enclosures),
    )


ATOM_TYPES = {"text": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}


def _atom_text(element: Element) -> tuple[str, str]:
    """An Atom text construct's value and media type (RFC 4287, section 3.1)."""
    kind = ATOM_TYPES.get(element.get("type", "text"), element.get("type", "text/plain"))
    if kind == "application/xhtml+xml":
        div = next(iter(element), None)  # the content sits in one XHTML div (section 3.1.1.3)
        return _markup(element if div is None else div, text_is_html=False), kind
    if kind.startswith("text/") or kind.endswith(("+xml", "/xml")):
        return _markup(element, text_is_html=True), kind
    return "", kind  # base64-encoded media: nothing for a post


def _base_of(element: Element, base: str) -> str:
    own = element.get(XML_BASE)
    if not own:
        return base
    return urljoin(base, own) if base else own


def _text(element: Element) -> str:
    return "".join(element.itertext()).strip()


def _markup(element: Element, *, text_is_html: bool) -> str:
    """The element's content as markup. Its text is HTML source when `text_is_html` (an RSS
    description, escaped or in CDATA), else characters (Atom XHTML). Child elements are
    written back out: XHTML, or HTML put in a feed unescaped, arrives as elements; then, as
    feedparser does, the text around them is characters too."""
    if text_is_html and len(element) == 0:
        return element.text or ""
    parts = [_escape(element.text or "")]
    for child in element:
        _write(child, parts)
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


# Written without an end tag: an HTML parser reads </br> as a second <br>.
VOID_ELEMENTS = frozenset({"area", "br", "col", "embed", "hr", "img", "source", "track", "wbr"})


def _write(element: Element, parts: list[str]) -> None:
    """Appends the element's markup, its tail left out; text within is characters."""
    tag = element.tag.rpartition("}")[2]
    attrs = "".join(
        f' {key.rpartition("}")[2]}="{_escape(value, quote=True)}"'
        for key, value in element.attrib.items()
    )
    parts.append(f"<{tag}{attrs}>")
    if tag in VOID_ELEMENTS:
        return
    parts.append(_escape(element.text or ""))
    for child in element:
        _write(child, parts)
        parts.append(_escape(child.tail or ""))
    parts.append(f"</{tag}>")


def _escape(text: str, *, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _categories(names: list[str]) -> tuple[str, ...]:
    return tuple(name for name in dict.fromkeys(n.strip() for n in names) if name)


def _date(text: str | None):
    return utc_datetime(_parse_date(text)) if text else None


def _length(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _not_a_feed(root: str) -> str:
    local = root.rpartition("}")[2]
    if local.lower() == "html":
        return "The file is a web page (HTML), not a feed. Save the site's RSS or Atom feed."
    return f"The file is not an RSS or Atom feed: it starts with <{local}>."


def _not_well_formed(exc: expat.ExpatError, entries_read: int) -> str:
    where = f"line {exc.lineno}, column {exc.offset + 1}"
    if not entries_read:
        return f"The file is not well-formed XML: {expat.ErrorString(exc.code)} at {where}."
    return (
        f"The file is not well-formed XML: {expat.ErrorString(exc.code)} at {where}, after "
        f"{entries_read:,} entries. Fix the file there (or export it again) and run the import "
        "again: the entries already imported are recognised."
    )
