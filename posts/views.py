from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cxhub import content_version
from cxhub.httpcache import (
    is_staff,
    not_modified,
    page_validators,
    reader_page,
    set_validators,
)
from cxhub.prepared import Prepared

from . import search
from .archive import (
    INDEX_SCOPE,
    MONTH_NAMES,
    MonthCount,
    Period,
    archive_url,
    count_in,
    month_counts,
    posts_in,
    year_counts,
)
from .cards import cards, event_cards
from .filters import Listing, active_filters, cached, events_url
from .keepreading import (
    BACK_KEY,
    back_address,
    back_suffix,
    keep_reading,
    listing_address,
    reading_minutes,
    share_links,
)
from .models import Category, Kind, Post
from .pagemeta import (
    archive_heading,
    archive_meta,
    events_heading,
    events_meta,
    listing_heading,
    listing_meta,
    post_meta,
)
from .panel import panel
from .paths import named_path, path_with_slug
from .redirects import listing_or_redirect
from .selection import PostFilter, Sort, group_by_facet
from .series import position_in_series


@require_safe
@reader_page
def post_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    # Parsed and queried exactly like the feeds of this page (feeds.views), which must agree.
    listing = listing_or_redirect(request, slug)
    if isinstance(listing, HttpResponse):
        return listing
    # The categories are read anyway: in the validators, a rename shows even without a signal.
    taxonomy = [(c.pk, c.slug, c.name, c.facet) for c in listing.categories]
    version = listing.version
    etag, last_modified = page_validators(version, request.get_full_path(), taxonomy)
    if (unchanged := not_modified(request, etag, last_modified)) is not None:
        set_validators(unchanged, etag, last_modified, until=version.next_change)
        return unchanged
    selection = listing.selection
    page = paginate(request, listing)
    list_url = selection.get_absolute_url()
    back = back_suffix(listing_address(list_url, page.number))
    facets, kinds = listing.facet_groups(), listing.kind_options()
    next_events = []
    if slug is None and selection.is_empty and page.number == 1:
        next_events = cached(version, "next-events", selection, next_upcoming)
    response = render(
        request,
        "posts/list.html",
        {
            "category": listing.base,
            "selection": selection,
            "page": page,
            "posts": page.object_list,
            "cards": cards(
                page.object_list,
                categories=listing.categories,
                terms=selection.terms,
                back_suffix=back,
            ),
            "facets": facets,
            "kinds": kinds,
            "panel": panel(facets, kinds),
            "chips": active_filters(selection, listing.by_slug),
            "clear_url": named_path("posts:home"),
            "page_prefix": list_url + ("&" if "?" in list_url else "?") + "page=",
            "listing": listing,
            "heading": listing_heading(selection, listing.by_slug, listing.total()),
            "sort_links": sort_links(selection, can_rank=listing.can_rank),
            "rank_limit": f"{search.RANK_LIMIT:,}",
            "count_limit": f"{search.COUNT_LIMIT:,}",
            "meta": listing_meta(selection, listing.by_slug, page),
            "next_events": next_events,
            "back_suffix": back,
        },
    )
    set_validators(response, etag, last_modified, until=version.next_change)
    return response


# Upcoming events on the home page: a small block leading to the events page.
NEXT_EVENTS = 3


# The home page's next events. Read after the content version (see event_list); the list is
# cached under that version, whose token moves when the first of these events ends. The query
# is built once (cxhub.prepared): building it cost three times as much as running it.
_next_events = Prepared(
    Post, lambda now: Post.objects.published(at=now).upcoming(now)[:NEXT_EVENTS]
)


def next_upcoming() -> list[Post]:
    return _next_events.objects(timezone.now())


# Past events shown under the upcoming ones on the first events page; the rest are on their own
# pages (/events/past/).
RECENT_PAST_EVENTS = 5


@require_safe
@reader_page
def event_list(request: HttpRequest, past: bool = False) -> HttpResponse:
    """Upcoming events, soonest first, then the latest past ones; or (`past`) the past events,
    most recent first. Same facets and query string as every listing."""
    listing = listing_or_redirect(request, events=True)
    if isinstance(listing, HttpResponse):
        return listing
    version = listing.version
    taxonomy = [(c.pk, c.slug, c.name, c.facet) for c in listing.categories]
    etag, last_modified = page_validators(version, request.get_full_path(), taxonomy)
    if (unchanged := not_modified(request, etag, last_modified)) is not None:
        set_validators(unchanged, etag, last_modified, until=version.next_change)
        return unchanged
    # "Now" read after the version: if an event ends in between, the page is built without it
    # and cached under the version that still had it, which no request asks for once its
    # next_expiry has passed. The other way round, a stale page would outlive the moment.
    now = timezone.now()
    selection = listing.selection
    events = Post.objects.published().matching(selection)
    if past:
        name, rows = "past-events", events.past(now)
    else:
        name, rows = "upcoming-events", events.upcoming(now)
    total = cached(version, name, selection, lambda: rows.order_by().count())
    page = page_of(request, CountedPaginator(rows, settings.POSTS_PER_PAGE, count=total))
    recent_past = []
    if not past and page.number == 1:
        recent_past = cached(
            version, "recent-past-events", selection,
            lambda: list(events.past(now)[:RECENT_PAST_EVENTS]),
        )  # fmt: skip
    list_url = events_url(selection, past=past)
    back = back_suffix(listing_address(list_url, page.number))
    facets = listing.facet_groups()
    response = render(
        request,
        "posts/events.html",
        {
            "past": past,
            "selection": selection,
            "page": page,
            "events": page.object_list,
            "cards": event_cards(page.object_list, back_suffix=back),
            "recent_past": recent_past,
            "recent_cards": event_cards(recent_past, back_suffix=back),
            "facets": facets,
            "panel": panel(facets),
            "chips": active_filters(selection, listing.by_slug, listing.url),
            "clear_url": events_url(PostFilter(), past=past),
            "page_prefix": list_url + ("&" if "?" in list_url else "?") + "page=",
            "events_url": events_url(selection),
            "past_url": events_url(selection, past=True),
            "calendar_query": selection.querystring(),
            "heading": events_heading(selection, listing.by_slug, past=past),
            "meta": events_meta(selection, listing.by_slug, page, past=past),
        },
    )
    set_validators(response, etag, last_modified, until=version.next_change)
    return response


def sort_links(selection: PostFilter, *, can_rank: bool) -> list[dict]:
    """The orders a search's results can come in, each with its address (none for best match
    first when there are too many matches to rank) and whether it is the one shown; none
    without a search."""
    if not selection.query:
        return []
    shown = Sort.RELEVANCE if selection.ranked and can_rank else Sort.NEWEST
    return [
        {
            "label": sort.label.capitalize(),
            "url": selection.sorted_by(sort).get_absolute_url()
            if sort == Sort.NEWEST or can_rank
            else "",
            "current": sort == shown,
        }
        for sort in Sort
    ]


class CountedPaginator(Paginator):
    """A paginator told its total (cached under the content version) instead of counting."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def paginate(request: HttpRequest, listing: Listing) -> Page:
    rows = listing.results()
    if not listing.ranked:
        rows = PageRows(rows)
    paginator = CountedPaginator(rows, settings.POSTS_PER_PAGE, count=listing.listed())
    return page_of(request, paginator)


class PageRows:
    """A listing's posts read a page at a time by a deferred join: the page's ids first, walked
    from the index (status, published_at; its row id comes with it), then only those rows.
    Page 2,000 then steps over 40,000 index entries instead of building 40,000 whole posts."""

    def __init__(self, posts: QuerySet) -> None:
        self.posts = posts

    def __getitem__(self, page: slice) -> QuerySet:
        ids = self.posts.prefetch_related(None).values("pk")[page]
        return (
            Post.objects.filter(pk__in=ids)
            .with_category_keys()
            .order_by(*self.posts.query.order_by)
            .prefetch_related(*self.posts._prefetch_related_lookups)
        )


def page_of(request: HttpRequest, paginator: Paginator) -> Page:
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        raise Http404(f"“{number}” is not a page number. Pages are counted 1, 2, 3 …") from None
    except EmptyPage:
        raise Http404(
            f"There is no page {number}: this list has {paginator.num_pages} "
            f"page{'s' if paginator.num_pages != 1 else ''}."
        ) from None


@require_safe
@reader_page
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The way back to the list the reader came from: the only part of the page that depends
    # on the query string, so it joins the validators; the cached parts never hold it.
    back = back_address(request.GET.get(BACK_KEY))
    version = content_version.current()
    validators = None
    if not is_staff(request):
        validators = page_validators(version, request.path, back)
        if (unchanged := not_modified(request, *validators)) is not None:
            return unchanged
    # Not get_object_or_404: its message ("No Post matches the given query") is shown to readers.
    found = _post_at[is_staff(request)].objects(timezone.now(), slug=slug)
    if not found:
        raise Http404("There is no post at this address. It may have moved or been taken down.")
    post = found[0]
    meta = post_meta(post)
    context = {
        "post": post,
        "meta": meta,
        "cover_size": cover_size(post),
        "series": position_in_series(post, Post.objects.visible_to(request.user)),
        "keep_reading": keep_reading(post, version),
        "back": back,
        "back_suffix": back_suffix(back),
        "reading_minutes": reading_minutes(post.body) if post.body else None,
        "share": share_links(meta.canonical, post.title),
        "calendar_url": path_with_slug("feeds:event_ics", post.slug)
        if post.kind == Kind.EVENT and post.event_start
        else "",
    }
    response = render(request, "posts/detail.html", context)
    if validators:
        set_validators(response, *validators)
    return response


# The post at an address, as readers and as staff see it, with its categories' key (see
# Post.sorted_categories): its query built once (cxhub.prepared), not on every request.
_post_at = {
    staff: Prepared(
        Post,
        lambda now, slug, staff=staff: (
            Post.objects.visible(staff=staff, at=now)
            .with_category_keys()
            .filter(slug=slug)
            .order_by("pk")[:1]
        ),
        "slug",
    )
    for staff in (False, True)
}


def cover_size(post: Post) -> tuple[int, int] | None:
    """The cover's pixel size for <img width height>, so the page does not move as it loads.
    Read from the file's header (no query); a missing or unreadable file gives no size."""
    if not post.cover:
        return None
    try:
        return post.cover.width, post.cover.height
    except (OSError, ValueError):
        return None


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the reason, a search box and the categories, in the site's design."""
    # Our Http404 messages are sentences for readers; Django's (the resolver's dict of tried
    # patterns, get_object_or_404's "No Post matches the given query.") are not.
    message = exception.args[0] if exception.args else ""
    if not isinstance(message, str) or message.endswith("matches the given query."):
        message = ""
    groups = group_by_facet(Category.objects.every())
    return render(
        request,
        "404.html",
        {"message": message, "groups": groups, "request_path": request.path},
        status=404,
    )


# --- Archive ----------------------------------------------------------------------------------


@require_safe
@reader_page
def archive(request: HttpRequest, year: str | None = None, month: str | None = None):
    """/archive/ (the years and their months, with counts), /archive/2025/ and
    /archive/2025/03/ (that period's posts, newest first). Any listing's query string filters
    them. A period without visible posts at all is a 404; one whose posts the filters leave
    out is an empty list that offers the way back."""
    period = Period.from_path(year, month) if year is not None else None
    listing = listing_or_redirect(request)
    if isinstance(listing, HttpResponse):
        return listing
    version = listing.version
    taxonomy = [(c.pk, c.slug, c.name, c.facet) for c in listing.categories]
    etag, last_modified = page_validators(version, request.get_full_path(), taxonomy)
    if (unchanged := not_modified(request, etag, last_modified)) is not None:
        set_validators(unchanged, etag, last_modified, until=version.next_change)
        return unchanged
    selection = listing.selection
    every_month = month_counts(PostFilter(), version)
    if period is not None and not count_in(every_month, period):
        raise Http404(f"The archive has no posts from {period.name}.")
    months = every_month if selection.is_empty else month_counts(selection, version)

    scope = period.scope() if period else INDEX_SCOPE
    url = scope.url
    facets, kinds = listing.facet_groups(scope), listing.kind_options(scope)
    context = {
        "selection": selection,
        "period": period,
        "facets": facets,
        "kinds": kinds,
        "panel": panel(facets, kinds),
        "chips": active_filters(selection, listing.by_slug, url),
        "clear_url": url(PostFilter()),
        "heading": archive_heading(selection, listing.by_slug, period),
    }
    if period is None:
        context["years"] = [
            {
                "year": y,
                "count": n,
                "url": Period(y).url(selection),
                "months": months_of(months, y, selection),
            }
            for y, n in year_counts(months)
        ]
        context["meta"] = archive_meta(selection, listing.by_slug, None, url(selection), 1)
        response = render(request, "posts/archive.html", context)
        set_validators(response, etag, last_modified, until=version.next_change)
        return response

    total = count_in(months, period)
    paginator = CountedPaginator(posts_in(selection, period), settings.POSTS_PER_PAGE, count=total)
    page = page_of(request, paginator)
    list_url = period.url(selection)
    year_url = Period(period.year).url(selection)
    back = back_suffix(listing_address(list_url, page.number))
    context |= {
        "page": page,
        "posts": page.object_list,
        "cards": cards(
            page.object_list,
            categories=listing.categories,
            terms=selection.terms,
            back_suffix=back,
        ),
        "page_prefix": list_url + ("&" if "?" in list_url else "?") + "page=",
        "archive_url": archive_url(selection),
        "year_url": year_url,
        "months": months_of(months, period.year, selection, current=period.month),
        "meta": archive_meta(selection, listing.by_slug, period, list_url, page.number),
    }
    response = render(request, "posts/archive.html", context)
    set_validators(response, etag, last_modified, until=version.next_change)
    return response


def months_of(
    months: list[MonthCount], year: int, selection: PostFilter, *, current: int | None = None
) -> list[dict]:
    """A year's months with posts, in calendar order, each with its count and address."""
    return [
        {
            "name": MONTH_NAMES[m.month - 1],
            "count": m.count,
            "url": Period(m.year, m.month).url(selection),
            "current": m.month == current,
        }
        for m in reversed(months)
        if m.year == year
    ]
