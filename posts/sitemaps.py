"""sitemap.xml (django.contrib.sitemaps): visible posts with their last change, the category
pages that have any, and the archive's years and months with the last change to their posts.
Each section pages itself past 50,000 addresses (Sitemap.limit) and the index lists every page,
so the files stay within the protocol's limits as the archive grows.

The index reads no posts: the number of visible posts comes from the category combinations
(`posts.counts.Tally`, a few thousand rows whatever the archive's size), and the categories and
archive sections are far below one page's limit (a few dozen categories, a dozen entries a
year). The categories with visible posts come from the same rows.

Addresses are built on SITE_URL, never on the request's Host header.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from cxhub import content_version

from .archive import MonthCount, Period, sitemap_months
from .counts import Tally, parse_key
from .filters import cached
from .models import Category, Post
from .selection import PostFilter


class HubSitemap(Sitemap):
    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def pages(self) -> int:
        """How many pages the section has, for the index."""
        return self.paginator.num_pages


class HomeSitemap(HubSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["posts:home", "posts:events"]

    def location(self, item: str) -> str:
        return reverse(item)

    def pages(self) -> int:
        return 1


class CategorySitemap(HubSitemap):
    changefreq = "weekly"

    def items(self):
        return Category.objects.filter(pk__in=visible_categories()).order_by("slug")

    def pages(self) -> int:
        # A page holds 50,000 addresses; there are a few dozen categories in all.
        if Category.objects.count() <= self.limit:
            return 1
        return self.paginator.num_pages


class PostSitemap(HubSitemap):
    def items(self):
        # Only what the page needs: no categories, bodies or covers for a list of addresses.
        return Post.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, post: Post):
        return post.updated_at

    @property
    def paginator(self) -> Paginator:
        # Told how many posts are visible (from the combinations) rather than counting them.
        paginator = Paginator(self._items(), self.limit)
        paginator.__dict__["count"] = visible_posts()  # Paginator.count: a cached_property
        return paginator


class ArchiveSitemap(HubSitemap):
    changefreq = "monthly"

    def items(self) -> list[MonthCount]:
        """Each year (as a MonthCount with month 0) and each month with visible posts, from the
        archive's cached counts; a year's last change is its months' latest."""
        months = sitemap_months(content_version.current())
        years: dict[int, MonthCount] = {}
        for m in months:
            known = years.get(m.year)
            if known is None or (m.updated_at and m.updated_at > known.updated_at):
                years[m.year] = MonthCount(m.year, 0, 0, m.updated_at)
        # Newest first, each year before its months.
        entries = [*years.values(), *months]
        return sorted(entries, key=lambda m: (m.year, m.month == 0, m.month), reverse=True)

    def location(self, item: MonthCount) -> str:
        return Period(item.year, item.month or None).url()

    def lastmod(self, item: MonthCount):
        return item.updated_at

    def pages(self) -> int:
        return 1  # 13 entries a year: 50,000 would take some 3,800 years of posts


def visible_posts() -> int:
    """How many posts readers see, from the combinations, kept under the content version."""
    return cached(content_version.current(), "sitemap-posts", PostFilter(), visible_total)


def visible_total() -> int:
    return Tally().published


def visible_categories() -> list[int]:
    """The ids of the categories with visible posts: those in a combination that has any (a
    few thousand rows, where a join would read every visible post's categories), kept under
    the content version."""
    return cached(content_version.current(), "sitemap-categories", PostFilter(), categories_in_use)


def categories_in_use() -> list[int]:
    visible: set[int] = set()
    for key, kinds in Tally().by_key.items():
        if sum(kinds.values()) > 0:
            visible.update(parse_key(key)[1])
    return sorted(visible)


SITEMAPS = {
    "home": HomeSitemap,
    "categories": CategorySitemap,
    "archive": ArchiveSitemap,
    "posts": PostSitemap,
}


@require_safe
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Django's index view, but with addresses on SITE_URL (its own uses the request's Host)."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        items.append(SitemapIndexItem(url, None))
        items += [
            SitemapIndexItem(f"{url}?p={page}", None) for page in range(2, sitemap.pages() + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


def absolute_url(path: str) -> str:
    return urljoin(settings.SITE_URL + "/", path)
