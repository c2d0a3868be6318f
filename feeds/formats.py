"""Serialise a `Channel` as RSS 2.0, Atom 1.0 (RFC 4287) or JSON Feed 1.1, and the OPML list.

Written on the standard library's XML generator rather than Django's feedgenerator, whose RSS
and Atom writers would need every method overridden to carry content:encoded, category
domains, media content and paging links, and which raise on control characters.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Iterable
from datetime import datetime

from django.templatetags.static import static
from django.utils.html import escape

from cxhub.opml import Outline, write_opml
from cxhub.xmlwriter import XMLWriter
from posts.sanitize import strip_control_chars

from .syndication import Channel, Entry, Media

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "media": "http://search.yahoo.com/mrss/",
}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def rfc822(moment: datetime) -> str:
    return email.utils.format_datetime(moment)


def rfc3339(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _stylesheet(out: XMLWriter) -> None:
    # Browsers render the feed through it as a page on how to subscribe; readers ignore it.
    href = static("feeds/feed.xsl")
    out.processing_instruction("xml-stylesheet", f'type="text/xsl" href="{href}"')


def _paging_links(channel: Channel) -> Iterable[tuple[str, str]]:
    # RFC 5005 section 3: paged feeds link their first, previous and next documents.
    yield "self", channel.self_url
    yield "first", channel.first_url
    if channel.previous_url:
        yield "previous", channel.previous_url
    if channel.next_url:
        yield "next", channel.next_url


# --- RSS 2.0 ----------------------------------------------------------------------------------


def render_rss(channel: Channel) -> bytes:
    out = XMLWriter()
    _stylesheet(out)
    namespaces = {f"xmlns:{prefix}": uri for prefix, uri in NS.items()}
    out.start("rss", {"version": "2.0", **namespaces})
    out.start("channel")
    out.element("title", channel.title)
    out.element("link", channel.home_url)
    # Plain text: readers show a channel's description as it is (escaping it as HTML too
    # showed "comm&#x27;s business"); item descriptions are HTML and are escaped below.
    out.element("description", channel.description)
    out.element("language", channel.language)
    out.element("lastBuildDate", rfc822(channel.updated))
    out.element("ttl", str(channel.ttl_minutes))
    for rel, href in _paging_links(channel):
        mime_type = "application/rss+xml"
        out.element("atom:link", attrs={"rel": rel, "href": href, "type": mime_type})
    out.start("image")
    out.element("url", channel.icon_url)
    # RSS 2.0: the image's title and link should equal the channel's.
    out.element("title", channel.title)
    out.element("link", channel.home_url)
    out.element("width", "144")
    out.element("height", "144")
    out.end("image")
    for entry in channel.entries:
        _rss_item(out, entry)
    out.end("channel")
    out.end("rss")
    return out.getvalue()


def _rss_item(out: XMLWriter, entry: Entry) -> None:
    out.start("item")
    # Plain text, escaped once by the writer: never pre-escaped, or readers show "&amp;".
    out.element("title", entry.title)
    out.element("link", entry.url)
    out.element("description", escape(entry.summary))
    out.element("content:encoded", entry.content_html)
    # <author> must be an e-mail address in RSS 2.0; a name goes into dc:creator.
    out.element("dc:creator", entry.author)
    out.element("pubDate", rfc822(entry.published))
    out.element("dcterms:modified", rfc3339(entry.updated))
    out.element("guid", entry.id, {"isPermaLink": "false"})
    for category in entry.categories:
        out.element("category", category.name, {"domain": category.scheme})
    if entry.audio:
        # RSS 2.0 requires a length; 0 is the accepted value when it is not known.
        length = str(entry.audio.length or 0)
        attrs = {"url": entry.audio.url, "length": length, "type": entry.audio.mime_type}
        out.element("enclosure", attrs=attrs)
    if entry.image:
        attrs = {"url": entry.image.url, "medium": "image", "type": entry.image.mime_type}
        out.element("media:content", attrs=attrs)
    if entry.video:
        # No <enclosure>: RSS 2.0 requires its length in bytes, which a video link does not
        # tell. Media RSS carries the file without one, and with its duration.
        out.element("media:content", attrs=_media_attrs(entry.video, "video"))
    if entry.external_url:
        out.element("atom:link", attrs={"rel": "related", "href": entry.external_url})
    out.end("item")


def _media_attrs(media: Media, medium: str) -> dict[str, str]:
    attrs = {"url": media.url, "medium": medium, "type": media.mime_type}
    if media.duration_seconds:
        attrs["duration"] = str(media.duration_seconds)
    return attrs


# --- Atom 1.0 ---------------------------------------------------------------------------------


def render_atom(channel: Channel) -> bytes:
    out = XMLWriter()
    _stylesheet(out)
    attrs = {"xmlns": NS["atom"], "xmlns:media": NS["media"], "xml:lang": channel.language}
    out.start("feed", attrs)
    out.element("id", channel.id)
    out.element("title", channel.title, {"type": "text"})
    out.element("subtitle", channel.description, {"type": "text"})
    out.element("updated", rfc3339(channel.updated))
    out.start("author")
    out.element("name", channel.author)
    out.element("uri", channel.home_url)
    out.end("author")
    out.element("link", attrs={"rel": "alternate", "type": "text/html", "href": channel.home_url})
    for rel, href in _paging_links(channel):
        out.element("link", attrs={"rel": rel, "type": "application/atom+xml", "href": href})
    out.element("icon", channel.icon_url)
    for entry in channel.entries:
        _atom_entry(out, entry)
    out.end("feed")
    return out.getvalue()


def _atom_entry(out: XMLWriter, entry: Entry) -> None:
    out.start("entry")
    out.element("id", entry.id)
    out.element("title", entry.title, {"type": "text"})
    out.element("link", attrs={"rel": "alternate", "type": "text/html", "href": entry.url})
    if entry.external_url:
        out.element("link", attrs={"rel": "related", "href": entry.external_url})
    for media in (entry.audio, entry.video):
        if media:
            # RFC 4287 4.2.7.6: an enclosure's length is advisory, so it may be left out.
            attrs = {"rel": "enclosure", "href": media.url, "type": media.mime_type}
            if media.length:
                attrs["length"] = str(media.length)
            out.element("link", attrs=attrs)
    out.element("published", rfc3339(entry.published))
    # RFC 4287 4.1.2: every entry needs atom:updated and (without a feed author) atom:author.
    out.element("updated", rfc3339(entry.updated))
    out.start("author")
    out.element("name", entry.author)
    if entry.author_url:
        out.element("uri", entry.author_url)
    out.end("author")
    for category in entry.categories:
        attrs = {"term": category.slug, "scheme": category.scheme, "label": category.name}
        out.element("category", attrs=attrs)
    out.element("summary", entry.summary, {"type": "text"})
    out.element("content", entry.content_html, {"type": "html"})
    if entry.image:
        attrs = {"url": entry.image.url, "medium": "image", "type": entry.image.mime_type}
        out.element("media:content", attrs=attrs)
    out.end("entry")


# --- JSON Feed 1.1 ----------------------------------------------------------------------------


def render_json(channel: Channel) -> bytes:
    feed = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.home_url,
        # JSON Feed 1.1: feed_url identifies the feed, so every page names the first one.
        "feed_url": channel.first_url,
        "description": channel.description,
        "icon": channel.large_icon_url,
        "favicon": channel.favicon_url,
        "language": channel.language,
        "authors": [{"name": channel.author, "url": channel.home_url}],
    }
    if channel.next_url:
        feed["next_url"] = channel.next_url
    feed["items"] = [_json_item(entry) for entry in channel.entries]
    body = json.dumps(_plain(feed), ensure_ascii=False, indent=1)
    # Escaped like Django's json_script, so that no browser sniffing the document as HTML finds
    # markup in it; decoders read the same strings.
    # (replace() thrice: translate() with a mapping goes character by character in Python.)
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return body.encode("utf-8") + b"\n"


def _plain(value):
    # JSON could escape control characters, but readers choke on them all the same, and lone
    # surrogates cannot be encoded as UTF-8 at all: the same filter as the XML formats.
    if isinstance(value, str):
        return strip_control_chars(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def author_object(entry: Entry) -> dict:
    return (
        {"name": entry.author, "url": entry.author_url}
        if entry.author_url
        else {"name": entry.author}
    )


def _json_item(entry: Entry) -> dict:
    item = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "summary": entry.summary,
        "content_html": entry.content_html,
        "date_published": rfc3339(entry.published),
        "date_modified": rfc3339(entry.updated),
        "authors": [author_object(entry)],
        "tags": [category.name for category in entry.categories],
    }
    if entry.external_url:
        item["external_url"] = entry.external_url
    if entry.image:
        item["image"] = entry.image.url
    attachments = []
    for media in (entry.audio, entry.video):
        if media:
            attachment = {"url": media.url, "mime_type": media.mime_type}
            if media.length:
                attachment["size_in_bytes"] = media.length
            if media.duration_seconds:
                attachment["duration_in_seconds"] = media.duration_seconds
            attachments.append(attachment)
    if attachments:
        item["attachments"] = attachments
    # JSON Feed extensions start with an underscore; tags alone lose the facet.
    item["_cxhub"] = {
        "kind": entry.kind,
        "categories": [
            {"slug": c.slug, "name": c.name, "facet": c.facet, "scheme": c.scheme}
            for c in entry.categories
        ],
    }
    if entry.event:
        # The event's own dates; date_published stays the post's publication date.
        event = entry.event
        item["_cxhub"]["event"] = {
            "start": event.start,
            "end": event.end or None,
            "all_day": event.all_day,
            "timezone": event.timezone,
            "place": event.place or None,
            "online": event.online,
            "status": event.status,
            "registration_url": event.registration_url or None,
        }
    if entry.extension:
        item["_cxhub"].update(entry.extension)
    return item


RENDERERS = {"rss": render_rss, "atom": render_atom, "json": render_json}


# --- OPML 2.0 ---------------------------------------------------------------------------------


def render_opml(title: str, owner: str, home_url: str, groups: list) -> bytes:
    """groups: (label, [(text, feed_url, html_url), ...]); an empty label means top level."""
    outlines: list[Outline] = []
    for label, feeds in groups:
        subscriptions = [
            Outline(text=name, xml_url=url, html_url=html) for name, url, html in feeds
        ]
        outlines += [Outline(text=label, children=tuple(subscriptions))] if label else subscriptions
    return write_opml(title=title, outlines=outlines, owner_name=owner)
