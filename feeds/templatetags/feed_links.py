"""The feeds of the page being shown, for `<link rel="alternate">` and "Subscribe" links.

Reader pages know nothing of feeds: a listing view puts its `listing` in the context and this
tag, owned by the publishing side, turns it into the feeds of the same selection.
"""

from django import template

from ..discovery import FeedLink, feed_links_for, site_feed_links

register = template.Library()


@register.simple_tag(takes_context=True)
def page_feed_links(context) -> list[FeedLink]:
    listing = context.get("listing")
    return feed_links_for(listing) if listing is not None else site_feed_links()
