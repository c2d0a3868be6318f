"""The archive by year and month: /archive/, /archive/2025/, /archive/2025/03/.

Months are calendar months in the site's zone (settings.TIME_ZONE), the zone the pages show
dates in: a post published at 23:30 UTC on 31 March is an April post in Zurich. How many posts
each month has comes from one query over the visible posts matching the selection, grouped by
the month of published_at (on SQLite without a selection, a count of each month's range of the
index instead), and one indexed lookup of the first post's date, cached under the content
version like every other count (`posts.filters.cached`): a reader's request reads it from the
cache. The same numbers decide which years and months exist (a 404 for the others) and give
each page its total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, IntegerField, Max
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from cxhub import content_version

from .filters import Scope, cached
from .models import Post, PostQuerySet
from .paths import named_path, path_with_numbers
from .selection import PostFilter

MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# Years the archive can name: four digits, past the first post and not beyond the calendar.
MIN_YEAR, MAX_YEAR = 1000, 9999


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @classmethod
    def from_path(cls, year: str, month: str | None = None) -> Period:
        """The period a path names; a malformed or out-of-range year or month is a 404."""
        if not year.isascii() or not year.isdigit() or len(year) != 4:
            raise Http404(f"“{year[:12]}” is not a year of the archive: years have four digits.")
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise Http404(f"The archive has no year {year}.")
        if month is None:
            return cls(int(year))
        if not month.isascii() or not month.isdigit() or len(month) != 2:
            raise Http404(f"“{month[:12]}” is not a month: months are 01 to 12.")
        if not 1 <= int(month) <= 12:
            raise Http404(f"There is no month {month}: months are 01 to 12.")
        return cls(int(year), int(month))

    @property
    def name(self) -> str:
        if self.month is None:
            return str(self.year)
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def bounds(self) -> tuple[datetime, datetime]:
        """From the first moment of the period, in the site's zone, to the first of the next."""
        zone = ZoneInfo(settings.TIME_ZONE)
        if self.month is None:
            return datetime(self.year, 1, 1, tzinfo=zone), _first_of(self.year + 1, 1, zone)
        following = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return datetime(self.year, self.month, 1, tzinfo=zone), _first_of(*following, zone)

    def url(self, selection: PostFilter | None = None) -> str:
        if self.month is None:
            path = path_with_numbers("posts:archive_year", year=f"{self.year:04d}")
        else:
            path = path_with_numbers(
                "posts:archive_month", year=f"{self.year:04d}", month=f"{self.month:02d}"
            )
        query = selection.querystring() if selection is not None else ""
        return path + (f"?{query}" if query else "")

    def scope(self) -> Scope:
        """The period's posts for the facet panel of its page, whose options lead back to it:
        counted along the (status, published_at) index over the period's range only."""
        start, end = self.bounds()
        return Scope(
            name=f"archive-{self.year:04d}-{self.month or 0:02d}-",
            url=self.url,
            narrow=lambda posts: posts.published_between(start, end),
        )


def archive_url(selection: PostFilter) -> str:
    query = selection.querystring()
    return named_path("posts:archive") + (f"?{query}" if query else "")


# The archive's index counts every post, like the home page (the same cache entries), and its
# options stay on the index.
INDEX_SCOPE = Scope(name="", url=archive_url)


def _first_of(year: int, month: int, zone: ZoneInfo) -> datetime:
    # Past year 9999 there is no next year: the end of time will do.
    if year > MAX_YEAR:
        return datetime.max.replace(tzinfo=zone)
    return datetime(year, month, 1, tzinfo=zone)


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int
    # The last change to any of its posts, for the sitemap.
    updated_at: datetime | None = None


def month_counts(
    selection: PostFilter, version: content_version.Version | None = None
) -> list[MonthCount]:
    """The months with visible posts matching `selection`, newest first, with their counts:
    one query grouped by month, computed once per content version and selection."""
    if version is None:
        return _month_counts(selection)
    return cached(version, "archive-months", selection, lambda: _month_counts(selection))


def _month_counts(selection: PostFilter, *, updated: bool = False) -> list[MonthCount]:
    first = Post.objects.published().order_by("published_at").values_list("published_at")[:1]
    first = list(first)
    if not first:
        return []
    now = timezone.now()
    starts = month_starts(first[0][0], now)
    # Three parameters a month, within what the database takes (Django's 999 for SQLite);
    # SQLite 3.32+ takes 32,766, still short of an archive reaching back to the year 1000.
    limit = connection.features.max_query_params  # None: no limit (PostgreSQL)
    fits = limit is None or 3 * len(starts) <= limit
    if connection.vendor == "sqlite" and selection.is_empty and not updated and fits:
        found = _counted_by_ranges(starts, now)
    else:
        found = _counted_by_buckets(selection, starts, updated=updated)
    counts = [MonthCount(starts[b].year, starts[b].month, n, last) for b, n, last in found if n]
    return sorted(counts, key=lambda m: (m.year, m.month), reverse=True)


def _counted_by_buckets(
    selection: PostFilter, starts: list[datetime], *, updated: bool
) -> list[tuple[int, int, datetime | None]]:
    """(month's index in `starts`, posts, last change) of the visible posts matching the
    selection, grouped by their month (`_bucket`) in one pass over them."""
    rows = (
        Post.objects.published()
        .matching(selection)
        .order_by()
        .annotate(bucket=_bucket(starts))
        .values("bucket")
    )
    if updated:
        # For the sitemap only: reading updated_at takes the table, not just the index (1 s).
        rows = rows.annotate(n=Count("pk"), updated=Max("updated_at"))
        return list(rows.values_list("bucket", "n", "updated"))
    return [
        (bucket, n, None) for bucket, n in rows.annotate(n=Count("pk")).values_list("bucket", "n")
    ]


def _counted_by_ranges(starts: list[datetime], now: datetime) -> list[tuple[int, int, None]]:
    """(month's index in `starts`, visible posts, None) of every month, each counted over its
    range of the (status, published_at) index, in one query: on SQLite ten times faster than
    testing each post's month (no value computed per post, no grouping)."""
    adapt = connection.ops.adapt_datetimefield_value
    ranges = [
        (">= %s AND published_at < %s", [adapt(start), adapt(end)])
        for start, end in pairwise(starts)
    ]
    ranges.append((">= %s AND published_at <= %s", [adapt(starts[-1]), adapt(now)]))
    table = connection.ops.quote_name(Post._meta.db_table)
    counts = ", ".join(
        f"(SELECT count(*) FROM {table} WHERE status = %s AND published_at {between})"
        for between, _ in ranges
    )
    params = [value for _, bounds in ranges for value in (Post.Status.PUBLISHED, *bounds)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", params)
        return [(month, n, None) for month, n in enumerate(cursor.fetchone())]


def month_starts(first: datetime, last: datetime) -> list[datetime]:
    """The first moments of the months from `first`'s to `last`'s, in the site's zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    first, last = first.astimezone(zone), last.astimezone(zone)
    year, month = first.year, first.month
    starts = []
    while (year, month) <= (last.year, last.month):
        starts.append(datetime(year, month, 1, tzinfo=zone))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def _bucket(starts: list[datetime]) -> RawSQL:
    """The index of the last month start at or before published_at. PostgreSQL has it built
    in (width_bucket over an array of the starts). Elsewhere a binary search over the starts as
    nested CASEs, about seven comparisons a post, inside the database: TruncMonth with a zone
    would be simpler, but SQLite runs it as a Python function per row (2.5 s at 100,000 posts,
    against 0.3 s). Written as SQL text: as ORM expressions (Case, When, Value) the ~240 nodes
    of ten years cost Django ~30 ms to resolve and compile on every count."""
    column = '"posts_post"."published_at"'
    if connection.vendor == "postgresql":
        # width_bucket counts from 1 for the first start.
        return RawSQL(
            f"width_bucket({column}, %s::timestamptz[]) - 1", [starts], output_field=IntegerField()
        )
    adapt = connection.ops.adapt_datetimefield_value
    params: list = []

    def search(low: int, high: int) -> str:
        if high - low == 1:
            return str(low)
        middle = (low + high) // 2
        params.append(adapt(starts[middle]))
        return f"CASE WHEN {column} < %s THEN {search(low, middle)} ELSE {search(middle, high)} END"

    sql = search(0, len(starts))
    return RawSQL(sql, params, output_field=IntegerField())


def sitemap_months(version: content_version.Version) -> list[MonthCount]:
    """Every month with visible posts and the last change to them, for the sitemap."""
    return cached(
        version, "archive-sitemap", PostFilter(), lambda: _month_counts(PostFilter(), updated=True)
    )


def year_counts(months: list[MonthCount]) -> list[tuple[int, int]]:
    """(year, posts) newest first, added up from the months."""
    years: dict[int, int] = {}
    for m in months:
        years[m.year] = years.get(m.year, 0) + m.count
    return sorted(years.items(), reverse=True)


def count_in(months: list[MonthCount], period: Period) -> int:
    return sum(
        m.count
        for m in months
        if m.year == period.year and (period.month is None or m.month == period.month)
    )


def posts_in(selection: PostFilter, period: Period) -> PostQuerySet:
    return period.scope().posts(selection).with_category_keys().newest_first()
