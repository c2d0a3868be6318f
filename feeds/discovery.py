"""<link rel="alternate"> entries that let browsers and readers find a page's feeds."""

from dataclasses import dataclass

from posts.filters import Listing
from posts.selection import PostFilter

from .syndication import FORMAT_LABELS, FORMATS, MEDIA_TYPES, feed_title, feed_url


@dataclass(frozen=True)
class FeedLink:
    title: str
    mime_type: str
    href: str


def feed_links_for(listing: Listing) -> list[FeedLink]:
    """The feeds of a listing page: same selection, same address shape (category or filters)."""
    title = feed_title(listing.selection, listing.by_slug)
    return [
        FeedLink(
            title=f"{title} ({FORMAT_LABELS[fmt]})",
            mime_type=MEDIA_TYPES[fmt],
            href=feed_url(fmt, listing.selection, listing.base),
        )
        for fmt in FORMATS
    ]


def site_feed_links() -> list[FeedLink]:
    return feed_links_for(Listing(categories=[], by_slug={}, base=None, selection=PostFilter()))
