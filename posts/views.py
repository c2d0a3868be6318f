from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .filters import active_filters, facet_groups
from .models import Category, Post
from .pagemeta import listing_heading, listing_meta, post_meta
from .redirects import listing_or_redirect
from .selection import group_by_facet


@require_safe
def post_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    # Parsed and queried exactly like the feeds of this page (feeds.views), which must agree.
    listing = listing_or_redirect(request, slug)
    if isinstance(listing, HttpResponse):
        return listing
    selection = listing.selection
    page = paginate(request, listing.posts())
    list_url = selection.get_absolute_url()
    return render(
        request,
        "posts/list.html",
        {
            "category": listing.base,
            "selection": selection,
            "page": page,
            "posts": page.object_list,
            "facets": facet_groups(selection, listing.categories),
            "chips": active_filters(selection, listing.by_slug),
            "page_prefix": list_url + ("&" if "?" in list_url else "?") + "page=",
            "listing": listing,
            "heading": listing_heading(selection, listing.by_slug, page.paginator.count),
            "meta": listing_meta(selection, listing.by_slug, page),
        },
    )


def paginate(request: HttpRequest, posts) -> Page:
    paginator = Paginator(posts, settings.POSTS_PER_PAGE)
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
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    posts = Post.objects.visible_to(request.user).with_categories()
    # Not get_object_or_404: its message ("No Post matches the given query") is shown to readers.
    post = posts.filter(slug=slug).first()
    if post is None:
        raise Http404("There is no post at this address. It may have moved or been taken down.")
    context = {"post": post, "meta": post_meta(post), "cover_size": cover_size(post)}
    return render(request, "posts/detail.html", context)


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
