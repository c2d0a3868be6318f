"""OPML 2.0 subscription lists (http://opml.org/spec2.opml), written in one place for the
hub's own feeds (/feeds.opml) and for the sources it reads (the newsroom's export).

Texts and attributes go through `XMLWriter`: escaped, and without the characters XML 1.0
forbids, so a name with quotes, ampersands or a stray control character still gives a list
every feed reader can open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from .xmlwriter import XMLWriter

SPEC = "http://opml.org/spec2.opml"


@dataclass(frozen=True)
class Outline:
    """A feed (it has an `xml_url`), or a folder of `children`."""

    text: str
    xml_url: str = ""
    html_url: str = ""
    type: str = "rss"
    extra: Mapping[str, str] = field(default_factory=dict)  # more attributes, e.g. category
    children: tuple[Outline, ...] = ()


def write_opml(
    *,
    title: str,
    outlines: Iterable[Outline],
    owner_name: str = "",
    created: datetime | None = None,
) -> bytes:
    out = XMLWriter()
    out.start("opml", {"version": "2.0"})
    out.start("head")
    out.element("title", title)
    if created is not None:
        # OPML 2.0: dates in RFC 822 form.
        out.element("dateCreated", format_datetime(created.astimezone(UTC), usegmt=True))
    if owner_name:
        out.element("ownerName", owner_name)
    out.element("docs", SPEC)
    out.end("head")
    out.start("body")
    for outline in outlines:
        _write_outline(out, outline)
    out.end("body")
    out.end("opml")
    return out.getvalue()


def _write_outline(out: XMLWriter, outline: Outline) -> None:
    # `text` is required; readers show `title` for a subscription, so it repeats the text.
    attrs = {"text": outline.text, "title": outline.text}
    if outline.xml_url:
        attrs = {"type": outline.type, **attrs, "xmlUrl": outline.xml_url}
        if outline.html_url:
            attrs["htmlUrl"] = outline.html_url
    attrs.update((name, value) for name, value in outline.extra.items() if value)
    if not outline.children:
        out.element("outline", attrs=attrs)
        return
    out.start("outline", attrs)
    for child in outline.children:
        _write_outline(out, child)
    out.end("outline")
