from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cxhub import content_version
from posts.filters import Listing
from posts.models import Category, Kind, Post
from posts.redirects import listing_or_redirect
from posts.selection import group_by_facet

from .calendars import CONTENT_TYPE as CALENDAR_TYPE
from .calendars import CalendarValidators, event_calendar, site_calendar
from .conditional import Validators, Window
from .formats import RENDERERS, render_opml
from .syndication import (
    CONTENT_TYPES,
    FORMAT_LABELS,
    FORMATS,
    MEDIA_TYPES,
    PAGE_KEY,
    Entry,
    FeedSpec,
    absolute_url,
    feed_url,
)

# Entries are never stale (a new version means new keys); the timeout only frees memory.
FEED_CACHE_SECONDS = 24 * 60 * 60


@require_safe
def feed(request: HttpRequest, fmt: str, slug: str | None = None) -> HttpResponse:
    # Same parsing and same queryset as the listing page: an unknown category 404, or a
    # permanent redirect where a category was renamed, so readers update the subscription.
    listing = listing_or_redirect(request, slug)
    if isinstance(listing, HttpResponse):
        return listing
    if listing.selection.dropped:
        # A page drops a value it cannot use and says so; a feed must not: dropping a filter
        # value can widen the selection, and a subscriber would never see the notice.
        return unusable_filter(listing)
    page = page_number(request)
    spec = FeedSpec(fmt=fmt, listing=listing, page=page)

    offset = (page - 1) * settings.FEED_ITEMS
    read: list[tuple[Post, list[Category]]] = []

    def window() -> Window:
        # A reader without a copy gets the feed whatever its validators say: the posts are
        # read once, one further than the page to learn whether a next page exists, and the
        # validators taken from them (a conditional request reads the cheaper window query).
        read.extend(feed_posts(listing, offset, settings.FEED_ITEMS + 1))
        return Window.from_posts(read, listing)

    conditional = Validators.asked(request)
    validators, has_next, has_rows = Validators.cached(
        spec, page, window=None if conditional else window
    )
    if page > 1 and not has_rows:
        raise Http404(f"There is no page {page} of this feed: it ends before. Start at page 1.")
    if conditional and validators.not_modified(request):
        return validators.not_modified_response()

    # The feed as written, kept under the content version with what names it (its address and
    # ETag): every poll of an unchanged feed is served without reading or writing its items.
    key = listing.version.key("feed-body", validators.etag, fmt, spec.self_url, page)
    body = cache.get(key)
    if body is None:
        posts = read[: settings.FEED_ITEMS] or feed_posts(listing, offset, settings.FEED_ITEMS)
        channel = spec.channel(
            tuple(Entry.from_post(post, categories) for post, categories in posts),
            updated=validators.last_modified,
            has_next=has_next,
        )
        body = RENDERERS[fmt](channel)
        cache.set(key, body, FEED_CACHE_SECONDS)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    return validators.apply(response)


def feed_posts(listing: Listing, offset: int, limit: int) -> list[tuple[Post, list[Category]]]:
    """The posts of a feed page, each with its categories in navigation order, taken from the
    listing's (which holds them all) by the key read with each post."""
    posts = listing.newest()[offset : offset + limit]
    return [(post, post.categories_among(listing.categories)) for post in posts]


@require_safe
def events_calendar(request: HttpRequest) -> HttpResponse:
    """The events of the selection in the query string (the events page's), as iCalendar."""
    listing = listing_or_redirect(request, events=True)
    if isinstance(listing, HttpResponse):
        return listing
    if listing.selection.dropped:
        return unusable_filter(listing)
    version = listing.version
    taxonomy = [(c.pk, c.slug, c.name, c.facet) for c in listing.categories]
    validators = CalendarValidators.of(version, listing.selection.querystring(), taxonomy)
    if validators.not_modified(request):
        return validators.not_modified_response()
    # Read after the version, like the events pages (posts.views.event_list).
    body = site_calendar(listing, timezone.now())
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response.headers["Content-Disposition"] = 'inline; filename="events.ics"'
    return validators.apply(response)


@require_safe
def event_calendar_file(request: HttpRequest, slug: str) -> HttpResponse:
    """One event as iCalendar, for "Add to calendar": visible event posts only."""
    validators = CalendarValidators.of(content_version.current(), "event", slug)
    if validators.not_modified(request):
        return validators.not_modified_response()
    post = Post.objects.published().events().filter(kind=Kind.EVENT, slug=slug).first()
    if post is None:
        return HttpResponseNotFound(
            "There is no event at this address. It may have moved or been taken down.\n",
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(event_calendar(post), content_type=CALENDAR_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{post.slug}.ics"'
    return validators.apply(response)


def unusable_filter(listing: Listing) -> HttpResponse:
    reasons = "\n".join(f"- {notice}" for notice in listing.selection.notices)
    return HttpResponseNotFound(
        "This feed's address has filter values the hub cannot use:\n"
        f"{reasons}\n\nRather than send you more than you subscribed to, it answers nothing. "
        f"Pick a feed again at {absolute_url(reverse('feeds:subscribe'))}\n",
        content_type="text/plain; charset=utf-8",
    )


# Far beyond any real feed, and small enough that page × FEED_ITEMS fits a 64-bit OFFSET.
MAX_PAGE = 1_000_000


def page_number(request: HttpRequest) -> int:
    value = request.GET.get(PAGE_KEY, "1")
    if not value.isascii() or not value.isdigit():
        raise Http404(f"“{value[:40]}” is not a page number. Pages are counted 1, 2, 3 …")
    # Compare digits before converting: int() refuses strings of over 4,300 digits.
    if len(value.lstrip("0")) > len(str(MAX_PAGE)) or int(value) > MAX_PAGE:
        raise Http404(f"There is no page {value[:40]} of this feed. Start at page 1.")
    if int(value) < 1:
        raise Http404("Pages are counted from 1.")
    return int(value)


@require_safe
def opml(request: HttpRequest) -> HttpResponse:
    listing = Listing.from_request(QueryDict())
    site = [
        (
            settings.FEED_TITLE,
            feed_url("rss", listing.selection),
            absolute_url(reverse("posts:home")),
        )
    ]
    groups = [("", site)]
    for facet, categories in group_by_facet(listing.categories):
        feeds = [
            (category.name, feed_url("rss", listing.selection, category),
             absolute_url(category.get_absolute_url()))
            for category in categories
        ]  # fmt: skip
        groups.append((f"{settings.FEED_TITLE}: {facet.label}", feeds))
    body = render_opml(
        title=f"{settings.FEED_TITLE} — all feeds",
        owner=settings.SITE_NAME,
        home_url=absolute_url(reverse("posts:home")),
        groups=groups,
    )
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="pharma-digital-cx-news.opml"'
    response.headers["Cache-Control"] = f"public, max-age={settings.FEED_MAX_AGE}"
    return response


@require_safe
def subscribe(request: HttpRequest) -> HttpResponse:
    listing = Listing.from_request(QueryDict())
    groups = [
        (facet.label, [(category, feed_choices(listing, category)) for category in categories])
        for facet, categories in group_by_facet(listing.categories)
    ]
    return render(
        request,
        "feeds/subscribe.html",
        {
            "feed_title": settings.FEED_TITLE,
            "site_feeds": feed_choices(listing),
            "groups": groups,
            "opml_url": absolute_url(reverse("feeds:opml")),
            "calendar_url": absolute_url(reverse("feeds:events_ics")),
            "items_per_feed": settings.FEED_ITEMS,
        },
    )


def feed_choices(listing: Listing, category: Category | None = None) -> list[dict]:
    return [
        {
            "label": FORMAT_LABELS[fmt],
            "url": feed_url(fmt, listing.selection, category),
            "mime_type": MEDIA_TYPES[fmt],
        }
        for fmt in FORMATS
    ]
