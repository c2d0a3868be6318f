from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cxhub import content_version
from cxhub.httpcache import (
    is_staff,
    not_modified,
    page_validators,
    reader_page,
    set_validators,
)

from . import search
from .filters import Listing, active_filters
from .models import Category, Post
from .pagemeta import listing_heading, listing_meta, post_meta
from .redirects import listing_or_redirect
from .selection import PostFilter, Sort, group_by_facet


@require_safe
@reader_page
def post_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    # Parsed and queried exactly like the feeds of this page (feeds.views), which must agree.
    listing = listing_or_redirect(request, slug)
    if isinstance(listing, HttpResponse):
        return listing
    # The categories are read anyway: in the validators, a rename shows even without a signal.
    taxonomy = [(c.pk, c.slug, c.name, c.facet) for c in listing.categories]
    etag, last_modified = page_validators(listing.version, request.get_full_path(), taxonomy)
    if (unchanged := not_modified(request, etag, last_modified)) is not None:
        return unchanged
    selection = listing.selection
    page = paginate(request, listing)
    list_url = selection.get_absolute_url()
    response = render(
        request,
        "posts/list.html",
        {
            "category": listing.base,
            "selection": selection,
            "page": page,
            "posts": page.object_list,
            "facets": listing.facet_groups(),
            "chips": active_filters(selection, listing.by_slug),
            "page_prefix": list_url + ("&" if "?" in list_url else "?") + "page=",
            "listing": listing,
            "heading": listing_heading(selection, listing.by_slug, page.paginator.count),
            "sort_links": sort_links(selection, can_rank=listing.can_rank),
            "rank_limit": f"{search.RANK_LIMIT:,}",
            "meta": listing_meta(selection, listing.by_slug, page),
        },
    )
    set_validators(response, etag, last_modified)
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
    paginator = CountedPaginator(listing.results(), settings.POSTS_PER_PAGE, count=listing.total())
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
    validators = None
    if not is_staff(request):
        validators = page_validators(content_version.current(), request.path)
        if (unchanged := not_modified(request, *validators)) is not None:
            return unchanged
    posts = Post.objects.visible_to(request.user).with_categories()
    # Not get_object_or_404: its message ("No Post matches the given query") is shown to readers.
    post = posts.filter(slug=slug).first()
    if post is None:
        raise Http404("There is no post at this address. It may have moved or been taken down.")
    context = {"post": post, "meta": post_meta(post), "cover_size": cover_size(post)}
    response = render(request, "posts/detail.html", context)
    if validators:
        set_validators(response, *validators)
    return response


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
    groups = group_by_facet(Category.objects.all().in_navigation_order())
    return render(
        request,
        "404.html",
        {"message": message, "groups": groups, "request_path": request.path},
        status=404,
    )
