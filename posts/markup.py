"""Editor bodies: Markdown or HTML in, HTML out, and a plain report of what sanitising removed.

The HTML produced here is not yet safe: `Post.save()` passes it through `clean_html`, the one
allowlist for everything stored. `sanitiser_report` compares before and after so the editor
learns what did not survive instead of finding it silently gone.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor

from .sanitize import ALLOWED_TAGS, URL_ATTRIBUTES, URL_SCHEMES, clean_html

# The post title is the page's only top-level heading, and the allowlist stops at h4.
_HEADING_LEVELS = {"h1": "h2", "h5": "h4", "h6": "h4"}
# Content of these is dropped entirely by the sanitiser (nh3's clean_content_tags default).
_DROPPED_WITH_CONTENT = {"script", "style"}
# Attributes the sanitiser adds itself; never "removed".
_ADDED_BY_SANITISER = {("a", "rel")}


class _HeadingLevels(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag in _HEADING_LEVELS:
                element.tag = _HEADING_LEVELS[element.tag]


class _HubMarkdown(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_HeadingLevels(md), "hub_heading_levels", 5)


def render_body(source: str, body_format: str) -> str:
    """The HTML for what the editor wrote; not yet sanitised."""
    if body_format == "markdown":
        return markdown.markdown(
            source, extensions=["extra", "sane_lists", _HubMarkdown()], output_format="html"
        )
    return source


class _Inventory(HTMLParser):
    """Counts elements, attributes, unsafe addresses and comments of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[tuple[str, str]] = Counter()
        self.unsafe_urls: Counter[str] = Counter()
        self.comments = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[(tag, name)] += 1
            if name in URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    self.unsafe_urls[scheme] += 1

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.comments += 1


def _inventory(html: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser


def _times(n: int) -> str:
    return "" if n == 1 else f" ({n} times)"


def sanitiser_report(raw_html: str) -> list[str]:
    """What `clean_html` removes from `raw_html`, one plain sentence per kind of thing."""
    before, after = _inventory(raw_html), _inventory(clean_html(raw_html))
    removed: list[str] = []
    for tag, n in sorted((before.tags - after.tags).items()):
        if tag in _DROPPED_WITH_CONTENT:
            removed.append(f"<{tag}> element with its content{_times(n)}")
        elif tag not in ALLOWED_TAGS:
            removed.append(f"<{tag}> tag, its text kept{_times(n)}")
    for scheme, n in sorted(before.unsafe_urls.items()):
        removed.append(f"link or image address starting with “{scheme}:”{_times(n)}")
    for (tag, name), n in sorted((before.attributes - after.attributes).items()):
        if tag not in ALLOWED_TAGS or (tag, name) in _ADDED_BY_SANITISER:
            continue
        if name in URL_ATTRIBUTES and before.unsafe_urls:
            continue  # already reported as an unsafe address
        removed.append(f"“{name}” attribute on <{tag}>{_times(n)}")
    if before.comments:
        removed.append(f"HTML comment{_times(before.comments)}")
    return removed
