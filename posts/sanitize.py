"""One HTML allowlist for everything the hub stores: editor bodies and ingested feed content."""

import html
import re
from urllib.parse import urljoin, urlsplit

import nh3
from django.utils.html import strip_tags

# Removed from everything we store: one character XML forbids makes a whole feed unreadable.
from cxhub.xmlwriter import strip_control_chars

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "cite"}


def clean_html(value: str, *, base_url: str | None = None) -> str:
    """Sanitise HTML with the hub's allowlist; with base_url, make relative URLs absolute."""

    def keep_attribute(tag: str, attribute: str, url: str) -> str | None:
        if attribute not in URL_ATTRIBUTES:
            return url
        url = url.strip()
        try:
            if base_url:
                url = urljoin(base_url, url)
            scheme = urlsplit(url).scheme.lower()
        except ValueError:  # a broken [IPv6] host: no address, and nh3 must not see the error
            return None
        if scheme and scheme not in URL_SCHEMES:
            return None
        return url

    return nh3.clean(
        strip_control_chars(value or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=keep_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_BLOCK_START = re.compile(r"<(?=/?(?:p|br|li|h[1-6]|div|blockquote|tr|td|th|figcaption)\b)", re.I)


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, white space folded."""
    # A space where a block starts or ends, so that "<p>a</p><p>b</p>" reads "a b", not "ab".
    spaced = _BLOCK_START.sub(" <", value or "")
    return " ".join(html.unescape(strip_tags(spaced)).split())


def summarise(value: str, *, chars: int = 280) -> str:
    """A plain-text teaser of an HTML fragment, cut at a word boundary."""
    text = html_to_text(value)
    if len(text) <= chars:
        return text
    cut = text[: chars - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"
