from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Case, Exists, F, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from cxhub import content_version

from . import combinations, search
from .kinds import EventWhen, duration_iso, duration_text, media_file_type
from .markup import render_body
from .paths import path_with_slug
from .sanitize import clean_html, strip_control_chars, summarise
from .selection import FACET_ORDER, Facet, PostFilter

# CategoryQuerySet.every: per database, the rows last read and the categories built from them.
_categories_read: dict[str, tuple[list[tuple], list[Category]]] = {}


def navigation_order(category: Category) -> tuple[int, str]:
    return FACET_ORDER[category.facet], category.name.casefold()


class CategoryQuerySet(models.QuerySet):
    def in_navigation_order(self) -> list[Category]:
        return sorted(self, key=navigation_order)

    def every(self) -> list[Category]:
        """Every category in navigation order, read from the database at each call (a rename
        shows at once, whichever way it was made), as plain rows: the Category objects are
        built again only when a row differs from what this process read last (building some
        25 models took eight times the query, on every reader's request). The categories are
        shared between calls: read them, never change them; the list is the caller's."""
        fields = [field.attname for field in self.model._meta.concrete_fields]
        connection = connections[self.db]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(name) for name in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {quote(self.model._meta.db_table)}")
            rows = cursor.fetchall()
        rows.sort()
        read = _categories_read.get(self.db)
        if read is None or read[0] != rows:
            made = [self.model.from_db(self.db, fields, row) for row in rows]
            read = _categories_read[self.db] = (rows, sorted(made, key=navigation_order))
        return list(read[1])

    @transaction.atomic
    def merge_into(self, target: Category) -> dict[str, int]:
        """Merge each of these categories but `target` into it (see `Category.merge_into`);
        returns the number of posts moved, by the name of the category merged in."""
        return {
            category.name: category.merge_into(target) for category in self.exclude(pk=target.pk)
        }


class Category(TagBase):
    """A taggit tag that knows which facet of the navigation it belongs to."""

    facet = models.CharField(max_length=20, choices=Facet.choices, default=Facet.OTHER)
    description = models.TextField(blank=True)
    # The category's bit in the masks of the listing counts (posts.combinations): given by the
    # database when the category is created, kept for its life; none past the first 62.
    bit = models.PositiveSmallIntegerField(null=True, blank=True, unique=True, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = "category"
        verbose_name_plural = "categories"
        ordering = ["facet", "name"]

    def slugify(self, tag: str, i: int | None = None) -> str:
        # Lower-case ASCII only: category slugs appear in URLs (`<slug:…>` matches ASCII) and
        # filters look them up case-insensitively. "Qualität" becomes "qualitat".
        slug = slugify(tag) or "category"
        return slug if i is None else f"{slug}-{i}"

    def clean(self) -> None:
        super().clean()
        if self.slug:
            # Before the form's uniqueness check, so a clash is a form error, not a crash.
            self.slug = slugify(self.slug) or self.slugify(self.name)

    def save(self, *args, **kwargs) -> None:
        if self.slug:
            self.slug = slugify(self.slug) or self.slugify(self.name)
        # A new slug keeps the old one answering: its pages and feeds redirect here for good.
        old_slug = None
        if self.pk is not None:
            old_slug = Category.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            # A live category always wins over a redirect that once used its slug.
            CategoryRedirect.objects.filter(old_slug=self.slug).delete()
            if old_slug and old_slug != self.slug:
                CategoryRedirect.objects.create(old_slug=old_slug, category=self)

    def get_absolute_url(self) -> str:
        return path_with_slug("posts:category", self.slug)

    @transaction.atomic
    def merge_into(self, other: Category) -> int:
        """Move this category's posts to `other`, then delete this one; returns posts moved.

        Posts keep all their other categories; this slug and the slugs that redirected here
        now redirect to `other`.
        """
        if other.pk == self.pk:
            raise ValueError("A category cannot be merged into itself.")
        already = TaggedPost.objects.filter(tag=other).values("content_object_id")
        moved = (
            TaggedPost.objects.filter(tag=self)
            .exclude(content_object_id__in=already)
            .update(tag=other)
        )
        CategoryRedirect.objects.filter(category=self).update(category=other)
        slug = self.slug
        self.delete()
        CategoryRedirect.objects.create(old_slug=slug, category=other)
        return moved


class CategoryRedirect(models.Model):
    """A slug a category used to have; its old addresses answer with a permanent redirect."""

    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old category address"
        verbose_name_plural = "old category addresses"

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.category.slug}"


class TaggedPost(TaggedItemBase):
    content_object = models.ForeignKey(
        "Post", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="tagged_posts")

    class Meta:
        verbose_name = "post category"
        verbose_name_plural = "post categories"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_post_category"),
        ]
        # A category's newest posts read from the end of the index, for related posts
        # (posts.keepreading): the tag's own index holds no post id on PostgreSQL.
        indexes = [models.Index(fields=["tag", "content_object"], name="post_category_posts")]


class PostCategories(_TaggableManager):
    """taggit's manager of a post's categories, cheaper to prefetch.

    Prefetching asks every post of a page for its own queryset, only to put the fetched
    categories in its result cache; taggit builds each one with a filter and an ordering,
    which cost more than the page's queries. Here the filter waits (Django's deferred filter,
    as its own related managers do) until the queryset is chained or read from the database,
    and the ordering is cloned from one queryset built once: the same SQL, built only when run.
    """

    _ordered: dict[tuple[type, tuple[str, ...]], models.QuerySet] = {}

    def get_queryset(self, extra_filters=None):
        if extra_filters or self.instance is None:
            return super().get_queryset(extra_filters)
        try:
            return self.instance._prefetched_objects_cache[self.prefetch_cache_name]
        except (AttributeError, KeyError):
            pass
        key = (self.through, tuple(self.ordering))
        if key not in self._ordered:
            self._ordered[key] = self.through.tag_model().objects.order_by(*self.ordering)
        queryset = self._ordered[key]._chain()
        queryset._defer_next_filter = True
        return queryset.filter(**{f"{self.through.tag_relname()}__content_object": self.instance})


# A post read without `PostQuerySet.with_category_keys()`.
NOT_READ = object()


def key_ids(key: str | None) -> tuple[int, ...]:
    """The category ids of a key (`CategorySet`): ",3,7,15," is (3, 7, 15); "," or None, none."""
    return tuple(int(part) for part in (key or "").split(",") if part)


def categories_of_key(key: str | None, categories: Sequence[Category]) -> list[Category]:
    """The categories of a key out of `categories`, in their order."""
    ids = set(key_ids(key))
    return [category for category in categories if category.pk in ids]


class PostQuerySet(models.QuerySet):
    def published(self, *, at=None) -> PostQuerySet:
        """Readers see a post once it is published and its date has come (scheduling by date)."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def visible_to(self, user) -> PostQuerySet:
        return self.visible(staff=user.is_authenticated and user.is_staff)

    def visible(self, *, staff: bool, at=None) -> PostQuerySet:
        """What readers see (`published`), or staff: every post."""
        return self.all() if staff else self.published(at=at)

    def matching(
        self,
        selection: PostFilter,
        *,
        ranked: bool = False,
        walk: bool = False,
        search_via: str = "",
    ) -> PostQuerySet:
        """OR within a facet, AND across facets, NOT for exclusions, AND across search terms.
        `ranked`: a search's posts come best match first (see `search`). `walk`: test each
        post for its categories (EXISTS) rather than list the categories' posts (IN), so that
        SQLite reads a page newest first from the (status, published_at) index and stops; for
        a selection with a good share of the posts (`posts.filters.Listing`). With IN, SQLite
        reads every post of the categories and sorts them, which is cheaper only for few.
        `search_via`: how a search is read (see `search`)."""
        qs = self
        for slugs in selection.included.values():
            if walk:
                links = TaggedPost.objects.filter(
                    content_object=OuterRef("pk"), tag__slug__in=slugs
                )
                qs = qs.filter(Exists(links))
            else:
                qs = qs.filter(pk__in=_posts_in_categories(slugs))
        if selection.excluded:
            qs = qs.exclude(pk__in=_posts_in_categories(selection.excluded))
        if selection.kinds:
            qs = qs.filter(kind__in=selection.kinds)
        if selection.excluded_kinds:
            qs = qs.exclude(kind__in=selection.excluded_kinds)
        if selection.query:
            qs = qs.search(selection.terms, ranked=ranked, via=search_via)
        return qs

    def search(self, terms: Sequence[str], *, ranked: bool = False, via: str = "") -> PostQuerySet:
        """Posts that contain every term in their title, excerpt or body, stemmed (English on
        PostgreSQL, Porter on SQLite): "measure" finds "measuring". Read from the database's
        full-text index (`posts.search`), never by a scan. `ranked`: annotate `search_rank` and
        order by it, best first (a title match above an excerpt match above a body match),
        then newest; only for a page's own query, not for one used inside another.
        `via`: "index" reads the matches from the index as it goes, so that a LIMIT stops it
        early (top-level queries only); "posts" tests each post and "list" looks each post up
        in the listed matches (walks newest first over a search with many matches: see
        `posts.filters.Listing.search_via`); by default the matches' ids are a subquery."""
        terms = search.usable_terms(terms)
        if not terms:
            return self.none()
        vendor = connections[self.db].vendor
        if ranked:
            return self.extra(**search.ranked_extra(vendor, terms)).order_by(
                "-search_rank", "-published_at", "-pk"
            )
        if via == "index":
            return self.extra(**search.joined_extra(vendor, terms))
        if via == "posts" and (condition := search.each_post_matches(vendor, terms)):
            return self.filter(condition)
        if via == "list" and (condition := search.each_post_listed(vendor, terms)):
            return self.filter(condition)
        return self.filter(pk__in=search.matching_ids(vendor, terms))

    def with_categories(self) -> PostQuerySet:
        return self.prefetch_related("categories")

    def with_category_keys(self) -> PostQuerySet:
        """Each post's categories as their key (`CategorySet`, ",3,7,") in the same query, for
        `Post.categories_among` the categories at hand (a listing holds them all): cheaper
        than prefetching them, a second query and a Category built for each of every post's."""
        keys = CategorySet.objects.filter(post_id=OuterRef("pk")).values("key")
        return self.annotate(category_key=Subquery(keys))

    def scheduled(self, *, at=None) -> PostQuerySet:
        """Published with a date still to come: readers will see them on that date."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=at or timezone.now())

    def drafts(self) -> PostQuerySet:
        return self.filter(status=Post.Status.DRAFT)

    def published_between(self, start, end) -> PostQuerySet:
        """Posts dated from `start` up to, not including, `end` (an archive's year or month)."""
        return self.filter(published_at__gte=start, published_at__lt=end)

    def newest_first(self) -> PostQuerySet:
        return self.order_by("-published_at", "-pk")

    # Events: "upcoming" until their event_until (derived on save) has passed, so an event
    # that is over leaves the upcoming list by itself, with nobody acting. The filters read the
    # (kind, event_until) index; upcoming events are few (the future), so sorting them by start
    # costs little. Sorting by the bare column would let SQLite walk (kind, event_start) from
    # the first event ever, through every past one: the expression keeps it on the range.
    def events(self) -> PostQuerySet:
        return self.filter(kind=Kind.EVENT, event_until__isnull=False)

    def upcoming(self, now=None) -> PostQuerySet:
        """Events not over yet (under way or to come), the soonest start first, with the
        prefetches of this queryset; its filters (visibility, selection) apply to each.

        The outer query can only start from the events not over, picked by primary key from
        the (kind, event_until) range, which holds the future alone; each is then checked
        against this queryset's filters by its primary key (EXISTS). Given those filters
        directly, SQLite (without statistics, or with ANALYZE's but no STAT4) prefers the
        (kind, status, published_at) index of the visibility rule, two equalities beating one,
        and reads every event ever published."""
        now = now or timezone.now()
        start = Coalesce("event_start", "event_until")  # = event_start: events have one
        not_over = self.model.objects.filter(kind=Kind.EVENT, event_until__gt=now)
        wanted = self.events().filter(pk=OuterRef("pk"), event_until__gt=now)
        return (
            self.model.objects.filter(pk__in=not_over.values("pk"))
            .filter(Exists(wanted.order_by().values("pk")))
            .prefetch_related(*self._prefetch_related_lookups)
            .order_by(start, "pk")
        )

    def past(self, now=None) -> PostQuerySet:
        """Events that are over, the most recent first."""
        now = now or timezone.now()
        return self.events().filter(event_until__lte=now).order_by("-event_until", "-pk")

    def in_category(self, category: Category) -> PostQuerySet:
        # The category's posts through its tag index: a series is read without a scan.
        return self.filter(
            pk__in=TaggedPost.objects.filter(tag=category).values("content_object_id")
        )

    def in_reading_order(self) -> PostQuerySet:
        """A series as it is read: part 1 first. Posts without a part (none, once numbered)
        come last, oldest first; equal parts keep their publication order."""
        return self.order_by(F("series_part").asc(nulls_last=True), "published_at", "pk")

    @transaction.atomic
    def publish(self, *, at=None) -> list[Post]:
        """Publish each post (see `Post.publish`: a future date stays, so the post is
        scheduled); returns the posts."""
        posts = list(self)
        for post in posts:
            post.publish(at=at)
        return posts

    @transaction.atomic
    def unpublish(self) -> list[Post]:
        """Back to draft; returns the posts that were not drafts already."""
        posts = list(self.exclude(status=Post.Status.DRAFT))
        for post in posts:
            post.unpublish()
        return posts

    @transaction.atomic
    def add_category(self, category: Category) -> list[Post]:
        """Give each post the category; returns the posts that did not have it yet."""
        posts = list(self)
        has_it = set(
            TaggedPost.objects.filter(tag=category, content_object__in=posts).values_list(
                "content_object_id", flat=True
            )
        )
        changed = [post for post in posts if post.pk not in has_it]
        TaggedPost.objects.bulk_create(
            [TaggedPost(content_object=post, tag=category) for post in changed]
        )
        if category.facet == Facet.SERIES:
            number_series_parts(changed)
        _touch(changed)
        return changed

    @transaction.atomic
    def remove_category(self, category: Category) -> list[Post]:
        """Take the category from each post; returns the posts that had it."""
        posts = list(self)
        links = TaggedPost.objects.filter(tag=category, content_object__in=posts)
        had_it = set(links.values_list("content_object_id", flat=True))
        changed = [post for post in posts if post.pk in had_it]
        links.delete()
        _touch(changed)
        return changed

    @transaction.atomic
    def create_many(self, posts: Sequence[Post], *, wanted_slugs: Sequence[str]) -> list[Post]:
        """Insert new posts in a few queries, each normalised as `save` would, with a free
        slug: its entry in `wanted_slugs` (slugified) when no post has that one, else one
        from its title. For bulk imports; sends no save signals, so it moves the content version
        itself (readers' cached pages and counts must see the new posts)."""
        for post in posts:
            post.normalise()
        slugs = _free_slugs(
            [
                (post.slug or slugify(wish)[:200].strip("-"), slug_base(post.title))
                for post, wish in zip(posts, wanted_slugs, strict=True)
            ]
        )
        for post, slug in zip(posts, slugs, strict=True):
            post.slug = slug
        created = self.bulk_create(posts)
        content_version.bump()
        return created


class CoverField(models.ImageField):
    """An ImageField whose stored size never breaks a page: a cover file that is missing or
    unreadable leaves the size empty (the card then shows no image) instead of raising."""

    def update_dimension_fields(self, instance, force=False, *args, **kwargs) -> None:
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except (OSError, ValueError):
            setattr(instance, self.width_field, None)
            setattr(instance, self.height_field, None)


def slug_base(title: str) -> str:
    """The slug a post gets from its title, before a number is added to make it unique."""
    return slugify(title)[:180].strip("-") or "post"


# Slugs looked up per query: SQLite before 3.32 allows at most 999 parameters in one.
SLUGS_PER_QUERY = 500


def _free_slugs(choices: list[tuple[str, str]]) -> list[str]:
    """For each (preferred slug or "", title base), a slug no post has and no other choice
    got: the preferred one if free, else the base, else the base with the first free number.
    One query per 500 candidates, plus one per base already taken (rare)."""
    candidates = list({slug for pair in choices for slug in pair if slug})
    taken: set[str] = set()
    for start in range(0, len(candidates), SLUGS_PER_QUERY):
        chunk = candidates[start : start + SLUGS_PER_QUERY]
        taken.update(Post.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    numbered: set[str] = set()  # bases whose numbered slugs are in `taken` already
    result = []
    for preferred, base in choices:
        if preferred and preferred not in taken:
            slug = preferred
        elif base not in taken:
            slug = base
        else:
            if base not in numbered:
                taken.update(
                    Post.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True)
                )
                numbered.add(base)
            n = 2
            while f"{base}-{n}" in taken:
                n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result.append(slug)
    return result


def _touch(posts: list[Post]) -> None:
    # A new updated_at lets feeds and caches notice changed categories (bulk writes send no
    # save signals and leave auto_now alone).
    Post.objects.filter(pk__in=[post.pk for post in posts]).update(updated_at=timezone.now())
    if posts:
        content_version.bump(removed=True)


def _posts_in_categories(slugs) -> models.QuerySet:
    # A subquery rather than a join: a post in two selected categories must appear once.
    return TaggedPost.objects.filter(tag__slug__in=slugs).values("content_object_id")


def series_of(post: Post) -> Category | None:
    """The post's series (first by name if it is in two), from its categories: no query
    when they were prefetched (`with_categories`) or read by key and asked for already."""
    series = [c for c in post.sorted_categories() if c.facet == Facet.SERIES]
    return min(series, key=lambda c: c.name.casefold()) if series else None


def number_series_parts(posts: Sequence[Post]) -> None:
    """Give each of these posts that is in a series without a part the next free number of
    its series (the highest part + 1), in publication order. Numbered posts keep their part,
    so adding a part never moves the others."""
    waiting = {post.pk: post for post in posts if post.pk is not None and post.series_part is None}
    if not waiting:
        return
    rows = (
        TaggedPost.objects.filter(content_object_id__in=waiting, tag__facet=Facet.SERIES)
        .order_by("content_object__published_at", "content_object_id", "tag__name")
        .values_list("content_object_id", "tag_id")
    )
    series_by_post: dict[int, int] = {}
    for post_id, tag_id in rows:
        series_by_post.setdefault(post_id, tag_id)
    highest: dict[int, int] = {}
    for post_id, tag_id in series_by_post.items():
        if tag_id not in highest:
            members = TaggedPost.objects.filter(tag_id=tag_id).values("content_object_id")
            top = Post.objects.filter(pk__in=members).aggregate(top=Max("series_part"))["top"]
            highest[tag_id] = top or 0
        highest[tag_id] += 1
        waiting[post_id].series_part = highest[tag_id]
        # update(), not save(): only the number changes, and no save signal repeats the work.
        Post.objects.filter(pk=post_id, series_part__isnull=True).update(
            series_part=highest[tag_id]
        )


class Kind(models.TextChoices):
    ARTICLE = "article", "Article"
    PODCAST = "podcast", "Podcast episode"
    WEBINAR = "webinar", "Webinar"
    VIDEO = "video", "Video"
    EVENT = "event", "Event"
    QUOTE = "quote", "Quote"
    CASE_STUDY = "case-study", "Case study"
    REPORT = "report", "Report or e-book"


class EventStatus(models.TextChoices):
    # The words are schema.org's EventStatusType, which pages and feeds carry.
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    MOVED_ONLINE = "moved-online", "Moved online"
    POSTPONED = "postponed", "Postponed"


# Looked up on every card: a dict is much cheaper than asking the choices enum each time.
KIND_LABELS = dict(Kind.choices)
EVENT_STATUS_LABELS = dict(EventStatus.choices)


class Price(models.TextChoices):
    UNKNOWN = "", "Not said"
    FREE = "free", "Free"
    PAID = "paid", "Paid"


# What an event's calendar entry is made of: a change to any of these is a new version of the
# event for calendars (RFC 5545 SEQUENCE).
EVENT_FIELDS = (
    "title", "event_start", "event_end", "event_all_day", "event_timezone", "event_place",
    "event_online", "event_status", "event_registration_url",
)  # fmt: skip


def valid_time_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "“%(name)s” is not a time zone name; use one such as Europe/Berlin or UTC.",
            params={"name": name},
        ) from None


class BodyFormat(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    excerpt = models.TextField(
        blank=True,
        help_text="Plain text for cards and feeds. Left empty, it is taken from the body.",
    )
    body = models.TextField(blank=True, help_text="HTML; sanitised with an allowlist when saved.")
    # What the editor wrote, kept so that Markdown stays Markdown on the next edit; `body` is
    # always the sanitised HTML rendered from it. Empty for posts that arrived as HTML (feeds).
    body_source = models.TextField("body", blank=True)
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    link = models.URLField("external link", max_length=1000, blank=True)
    # What the post is. The kind's own fields are on the post too, empty for other kinds: one
    # row per post keeps cards, listings and feeds to one query without joins at any size,
    # and a few empty columns cost next to nothing (README, "Architecture").
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    # Events. Times are stored in UTC; the event's own zone is kept to show them as its
    # readers and organiser know them. An all-day event runs from the start's local date to
    # the end's local date, both included.
    event_start = models.DateTimeField("starts", null=True, blank=True)
    event_end = models.DateTimeField("ends", null=True, blank=True)
    event_all_day = models.BooleanField("all day", default=False)
    event_timezone = models.CharField(
        "time zone", max_length=64, blank=True, validators=[valid_time_zone],
        help_text="The event's own zone, e.g. Europe/Berlin: dates are entered and shown in it.",
    )  # fmt: skip
    event_place = models.CharField("place", max_length=300, blank=True)
    event_online = models.BooleanField("online", default=False)
    event_registration_url = models.URLField("registration link", max_length=1000, blank=True)
    event_organiser = models.CharField("organiser", max_length=200, blank=True)
    event_price = models.CharField(
        "free or paid", max_length=10, choices=Price.choices, blank=True, default=Price.UNKNOWN
    )
    event_status = models.CharField(
        "status", max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    # Derived on save: when the event is over (its end, or its start without one; for an
    # all-day event the next local midnight). "Upcoming" is event_until in the future.
    event_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised on every change of an EVENT_FIELDS value, for calendars (RFC 5545 SEQUENCE).
    event_sequence = models.PositiveIntegerField(default=0, editable=False)
    # Podcast episodes, videos, webinar recordings.
    media_url = models.URLField(
        "media link", max_length=1000, blank=True,
        help_text="The recording itself (video or audio page or file), if not the external link.",
    )  # fmt: skip
    media_duration = models.DurationField("duration", null=True, blank=True, help_text="hh:mm:ss")
    media_host = models.CharField("host or channel", max_length=200, blank=True)
    # Quotes.
    quote_text = models.TextField("quotation", blank=True)
    quote_author = models.CharField("said by", max_length=200, blank=True)
    # Case studies and real-life examples.
    case_organisation = models.CharField("organisation", max_length=200, blank=True)
    case_outcomes = models.TextField(
        "outcomes", blank=True,
        help_text="One short figure per line, e.g. “90 % first-contact resolution”.",
    )  # fmt: skip
    # Place in its series (a category of the Series facet): part 1, 2, … Set on save to the
    # next free number when a post joins a series without one; others never move.
    series_part = models.PositiveIntegerField("part in series", null=True, blank=True)
    audio_url = models.URLField(
        max_length=1000, blank=True, help_text="Podcast audio file, published as a feed enclosure."
    )
    audio_type = models.CharField(max_length=100, blank=True, default="audio/mpeg")
    audio_length = models.PositiveBigIntegerField(null=True, blank=True, help_text="In bytes.")
    cover = CoverField(
        upload_to="covers/%Y/%m/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
    )
    # The cover's pixel size, kept by the field whenever a cover is set, so that cards give
    # <img> its width and height without opening one image file per card.
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    author_name = models.CharField(max_length=200, blank=True)
    # A story taken in from another site credits it ("Via <name>, first published <date>") on
    # its page and in feed items. Written by whatever brought the story in (the newsroom), so
    # that pages and feeds show it without knowing where stories come from.
    credit_name = models.CharField("credited source", max_length=200, blank=True)
    credit_url = models.URLField("credited source's site", max_length=1000, blank=True)
    credit_original_url = models.URLField("original article", max_length=1000, blank=True)
    credit_date = models.DateTimeField("first published at the source", null=True, blank=True)
    # The source gave no date: credit_date is when the hub found the story ("found on …"), not
    # a publication date made up for it.
    credit_date_found = models.BooleanField("date is when it was found", default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    categories = TaggableManager(
        through=TaggedPost, blank=True, verbose_name="categories", manager=PostCategories
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            # The id too, for the order's tie-break: a deep page's ids (views.PageRows) come
            # from the index alone on PostgreSQL (SQLite keeps the row id in every index). The
            # kind too: an archive period's kind counts, and the kinds of the posts scheduled
            # for later (posts.counts), from the index alone.
            models.Index(fields=["status", "published_at", "id", "kind"], name="post_visibility"),
            models.Index(fields=["kind", "event_until"], name="post_event_until"),
            models.Index(fields=["kind", "event_start"], name="post_event_start"),
            # A kind's posts newest first, and the count of each kind, from the index alone.
            models.Index(fields=["kind", "status", "published_at"], name="post_kind_visibility"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.normalise()
        self._count_event_change()
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_with_slug("posts:detail", self.slug)

    def normalise(self) -> None:
        """What every save does to the fields; `PostQuerySet.create_many` does it too."""
        self.title = strip_control_chars(self.title).strip()
        self.excerpt = strip_control_chars(self.excerpt).strip()
        if self.body_source:
            self.body = render_body(self.body_source, self.body_format)
        self.body = clean_html(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.event_until = self._event_until()
        self.case_outcomes = "\n".join(self.outcomes)

    def _event_until(self):
        if self.kind != Kind.EVENT or self.event_start is None:
            return None
        last = self.event_end or self.event_start
        if not self.event_all_day:
            return last
        zone = self.event_zone
        day = last.astimezone(zone).date() + timedelta(days=1)
        return datetime.combine(day, time(0), tzinfo=zone)

    @property
    def event_zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.event_timezone or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def event_when(self) -> EventWhen | None:
        """The event's dates in its own zone (posts.kinds), None without a start."""
        if self.event_start is None:
            return None
        return EventWhen.of(self.event_start, self.event_end, self.event_all_day, self.event_zone)

    @property
    def event_when_text(self) -> str:
        """E.g. "Tue 13 Apr 2021, 13:00–13:45 CEST"; "" for a post without event dates."""
        return self.event_when.text if self.event_when else ""

    @property
    def event_place_text(self) -> str:
        """Where: the place, "Online", or both ("Berlin and online"); an event that moved
        online is online only, wherever it was to be."""
        if self.event_status == EventStatus.MOVED_ONLINE:
            return "Online"
        place = self.event_place.strip()
        if place and self.event_online:
            return f"{place} and online"
        return place or ("Online" if self.event_online else "")

    @property
    def event_status_text(self) -> str:
        """The status in words when it is not the ordinary one ("Cancelled"), else ""."""
        if self.event_status == EventStatus.SCHEDULED:
            return ""
        return EVENT_STATUS_LABELS.get(self.event_status, "")

    @property
    def is_cancelled(self) -> bool:
        return self.event_status == EventStatus.CANCELLED

    @property
    def duration_text(self) -> str:
        return duration_text(self.media_duration)

    @property
    def duration_iso(self) -> str:
        return duration_iso(self.media_duration)

    @property
    def is_recording(self) -> bool:
        """A podcast episode, video or webinar recording: it has a duration and a host."""
        return self.kind in (Kind.PODCAST, Kind.VIDEO, Kind.WEBINAR)

    @property
    def plays_as_video(self) -> bool:
        """A recording whose media link is a video file, which the page can play itself."""
        return self.is_recording and media_file_type(self.media_url).startswith("video/")

    @property
    def shows_kind_badge(self) -> bool:
        """Every kind but the ordinary article is named on cards and pages."""
        return self.kind != Kind.ARTICLE and self.kind in KIND_LABELS

    def get_kind_display(self) -> str:
        # What Django's generated method gives, without hashing every choice on each call.
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def event_is_scheduled(self) -> bool:
        return self.event_status == EventStatus.SCHEDULED

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.case_outcomes.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.kind == Kind.EVENT and self.event_start is None:
            errors["event_start"] = "An event needs its start."
        if self.event_start and self.event_end and self.event_end < self.event_start:
            errors["event_end"] = "The end is before the start."
        if self.kind == Kind.QUOTE and not self.quote_text.strip():
            errors["quote_text"] = "A quote needs its quotation."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values) -> Post:
        post = super().from_db(db, field_names, values)
        # Whether readers saw it as loaded: hiding it again moves the content version
        # (posts.signals). Unknown when those fields were deferred: assume they did.
        loaded = "status" in field_names and "published_at" in field_names
        post._was_visible = post.is_visible if loaded else True
        return post

    def _count_event_change(self) -> None:
        """Raise the calendar SEQUENCE when a stored event changes what calendars show."""
        if self.pk is None or self.kind != Kind.EVENT:
            return
        fields = (*EVENT_FIELDS, "kind", "event_sequence")
        stored = Post.objects.filter(pk=self.pk).values_list(*fields).first()
        if stored is None:
            return
        *before, sequence = stored
        if tuple(before) != tuple(getattr(self, name) for name in fields[:-1]):
            self.event_sequence = sequence + 1

    def _unique_slug(self) -> str:
        base = slug_base(self.title)
        slug, n = base, 2
        while Post.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def summary(self) -> str:
        return self.excerpt or summarise(self.body)

    @property
    def link_label(self) -> str:
        """The words of the link to the source, on the card and the post page."""
        if self.kind != Kind.ARTICLE:
            return f"Open the {self.get_kind_display().lower()}"
        return "Go to the source"

    @property
    def is_visible(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def slug_is_locked(self) -> bool:
        """Once readers may have the address, the slug stays (also after an unpublish)."""
        return self.pk is not None and (
            self.status == self.Status.PUBLISHED
            or (self.published_at is not None and self.published_at <= timezone.now())
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def sorted_categories(self) -> list[Category]:
        """The post's categories in navigation order. Read `with_category_keys()`: from its key
        among every category (one query for the post, the objects shared); else from its
        categories, sorted in Python so that those prefetched by with_categories() are reused."""
        if getattr(self, "category_key", NOT_READ) is NOT_READ:
            return sorted(self.categories.all(), key=navigation_order)
        if self._keyed_categories is None:
            self._keyed_categories = self.categories_among(Category.objects.every())
        return list(self._keyed_categories)

    _keyed_categories: list[Category] | None = None

    def categories_among(self, categories: Sequence[Category]) -> list[Category]:
        """The post's categories out of `categories`, in their order: from its key when read
        `with_category_keys()`, else from its categories."""
        key = getattr(self, "category_key", NOT_READ)
        if key is not NOT_READ:
            return categories_of_key(key, categories)
        ids = {category.pk for category in self.categories.all()}
        return [category for category in categories if category.pk in ids]

    def publish(self, *, at=None) -> None:
        self.status = self.Status.PUBLISHED
        self.published_at = at or self.published_at or timezone.now()
        self.save()

    def unpublish(self) -> None:
        self.status = self.Status.DRAFT
        self.save()


class CategorySet(models.Model):
    """A post's categories as one key: ",3,7,15," (their ids in ascending order; "," for none).

    Written only by database triggers on posts_taggedpost (posts.combinations), never by Django:
    no row means no category. No foreign key, so the triggers decide when a row goes (with its
    post) and Django's deletion never looks here.
    """

    post_id = models.BigIntegerField(primary_key=True)
    key = models.TextField()
    # The key's mask (see `MaskCount`), set by a trigger whenever the key is written.
    mask = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = "category set of a post"

    def __str__(self) -> str:
        return f"post {self.post_id}: {self.key}"


class Combination(models.Model):
    """How many published posts (status published, with a date, scheduled ones included) have
    exactly this set of categories and this kind. Kept by database triggers on every write
    (posts.combinations); the listing counts read these few rows instead of the posts."""

    key = models.TextField()
    kind = models.CharField(max_length=20)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "kind"], name="unique_combination"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.kind}: {self.n}"


def _spread(group: int) -> models.GeneratedField:
    """combinations.spread_sql(group) as a column the database stores. Zero for an n past
    PACKED_LIMIT, where the product could overflow a 64-bit integer (and the counts are not
    read from the masks anyway)."""
    bits = F("mask").bitrightshift(3 * group).bitand(7)
    spread = (bits * Value(combinations.SPREAD)).bitand(combinations.FIELDS)
    return models.GeneratedField(
        expression=Case(
            When(n__lt=combinations.PACKED_LIMIT, then=F("n") * spread),
            default=Value(0),
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )


def _packed_kinds(index: int) -> models.GeneratedField:
    """combinations.packed_kinds_sql(index) as a column the database stores."""
    columns = combinations.KIND_COLUMNS[3 * index : 3 * index + 3]
    packed = F(columns[0])
    for j, column in enumerate(columns[1:], start=1):
        packed = packed + Cast(column, models.BigIntegerField()).bitleftshift(
            combinations.FIELD * j
        )
    return models.GeneratedField(
        expression=packed, output_field=models.BigIntegerField(), db_persist=True
    )


class MaskCount(models.Model):
    """The combination rows added up by mask (the bits of their categories, see
    `Category.bit`), with a counter per kind: what a listing's counts are computed from in one
    pass of the database. Kept by database triggers on posts_combination (posts.combinations);
    the counters follow `combinations.KINDS`. The packed values the counts add up are stored
    beside them (combinations.spread_sql and packed_kinds_sql)."""

    mask = models.BigIntegerField(primary_key=True)
    n = models.IntegerField()
    k_article = models.IntegerField()
    k_podcast = models.IntegerField()
    k_webinar = models.IntegerField()
    k_video = models.IntegerField()
    k_event = models.IntegerField()
    k_quote = models.IntegerField()
    k_case_study = models.IntegerField()
    k_report = models.IntegerField()
    # One per group of three bits (combinations.GROUPS) and per three kinds (KIND_SUMS); a
    # test compares them with the two numbers.
    spread_0 = _spread(0)
    spread_1 = _spread(1)
    spread_2 = _spread(2)
    spread_3 = _spread(3)
    spread_4 = _spread(4)
    spread_5 = _spread(5)
    spread_6 = _spread(6)
    spread_7 = _spread(7)
    spread_8 = _spread(8)
    spread_9 = _spread(9)
    spread_10 = _spread(10)
    spread_11 = _spread(11)
    spread_12 = _spread(12)
    spread_13 = _spread(13)
    spread_14 = _spread(14)
    spread_15 = _spread(15)
    spread_16 = _spread(16)
    spread_17 = _spread(17)
    spread_18 = _spread(18)
    spread_19 = _spread(19)
    spread_20 = _spread(20)
    kinds_0 = _packed_kinds(0)
    kinds_1 = _packed_kinds(1)
    kinds_2 = _packed_kinds(2)

    class Meta:
        verbose_name = "count by category mask"

    def __str__(self) -> str:
        return f"{self.mask:#x}: {self.n}"


class OldAddressQuerySet(models.QuerySet):
    def post_for(self, path: str, user) -> Post | None:
        """The post an old address leads to, if `user` may see it (one indexed query)."""
        path = normalise_path(path)
        if "\x00" in path or len(path) > OldAddress._meta.get_field("path").max_length:
            return None  # no stored address looks like that; PostgreSQL refuses NUL anyway
        return Post.objects.visible_to(user).filter(old_addresses__path=path).only("slug").first()


class OldAddress(models.Model):
    """An address a post had before, on the hub's earlier site or elsewhere: a request for it
    that finds no page answers with a permanent redirect to the post (posts.redirects)."""

    path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address's path, e.g. /post/an-old-name (a whole URL is cut to its "
        "path; a query string is ignored). Readers asking for it are sent to this post.",
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="old_addresses")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        verbose_name = "old post address"
        verbose_name_plural = "old post addresses"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path

    def save(self, *args, **kwargs) -> None:
        self.path = path_of(self.path)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        # Before the form's uniqueness check, so a clash is a form error, not a crash.
        self.path = path_of(self.path)
        if self.path == "/":
            raise ValidationError({"path": "Give the old address of a post, not the home page."})
        if self.post_id is not None and self.path == normalise_path(self.post.get_absolute_url()):
            raise ValidationError({"path": "This is the post's own address."})


def path_of(url: str) -> str:
    """An address as old addresses are kept: a URL's or a path's path, percent-decoded (as
    Django hands request paths over), normalised (`normalise_path`)."""
    return normalise_path(unquote(urlsplit(strip_control_chars(url).strip()).path))


def normalise_path(path: str) -> str:
    """One leading slash and no trailing one, so /post/a, /post/a/ and post/a are one."""
    return "/" + path.strip("/")


class LoginFailure(models.Model):
    """One failed admin sign-in; kept in the database so that every worker process sees it."""

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "created_at"], name="loginfailure_user"),
            models.Index(fields=["ip_address", "created_at"], name="loginfailure_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.created_at:%Y-%m-%d %H:%M}"
