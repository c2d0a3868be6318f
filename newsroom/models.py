"""Ingestion state: the feeds the hub reads, what each one carried, and the editor's rules.

A `FeedSource` is a third-party feed. Each entry it carries is remembered as a `FeedEntry`
(dedupe per source). Entries that tell the same story, from one source or several, share one
`NewsItem`: the review-queue item, which owns the draft `posts.Post` and remembers a rejection
so the story never comes back. Posts stay in the posts app; everything about where they came
from lives here.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from posts.models import Category, Post


def post_fingerprint(post: Post, category_ids) -> str:
    """What ingestion wrote into a post; any later difference is an editor's edit."""
    data = [
        post.title,
        post.excerpt,
        post.body,
        post.author_name,
        post.link,
        post.published_at.isoformat() if post.published_at else "",
        sorted(category_ids),
    ]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


class FeedSourceQuerySet(models.QuerySet):
    def due(self, *, at=None) -> FeedSourceQuerySet:
        """Active sources whose next check has come and that no worker is fetching."""
        now = at or timezone.now()
        return self.filter(
            Q(next_check_at__isnull=True) | Q(next_check_at__lte=now),
            Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
            active=True,
        )

    def unhealthy(self) -> FeedSourceQuerySet:
        return self.filter(consecutive_failures__gt=0)

    def make_due(self, *, at=None) -> int:
        """Due at once: the next `fetch_feeds` run fetches them."""
        return self.update(next_check_at=at or timezone.now())

    def request_fetch(self, *, by: str, at=None) -> int:
        """An editor asks for these sources now: due at once, and the fetch worker takes them
        before the others (pipeline.claim_due)."""
        at = at or timezone.now()
        return self.update(next_check_at=at, fetch_requested_at=at, fetch_requested_by=by[:150])

    def being_fetched(self, *, at=None) -> FeedSourceQuerySet:
        """Sources a worker has claimed and not yet finished (its lease still runs)."""
        return self.filter(claimed_until__gt=at or timezone.now())

    def release(self) -> int:
        """Give up the claims on these sources, leaving everything else as it was."""
        return self.update(claimed_until=None, claimed_by="")


class FeedSource(models.Model):
    name = models.CharField(max_length=200, unique=True)
    feed_url = models.URLField("feed URL", max_length=1000, unique=True)
    site_url = models.URLField("site URL", max_length=1000, blank=True)
    active = models.BooleanField(default=True, help_text="Inactive sources are never fetched.")
    interval = models.DurationField(
        "polling interval", default=timedelta(hours=1), help_text="For example 01:00:00 for hourly."
    )
    default_categories = models.ManyToManyField(
        Category, blank=True, related_name="+", help_text="Given to every entry of this source."
    )
    publish_directly = models.BooleanField(
        default=False,
        help_text="Publish entries at once (with a teaser of the source's summary) instead of "
        "waiting in the review queue.",
    )

    # State, written by fetch_feeds.
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField("last HTTP status", null=True, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    last_note = models.TextField(
        blank=True, help_text="Something worth knowing about the last successful fetch."
    )
    # Set while a worker fetches the source, so that two workers never fetch it at once. The
    # holder is "host:pid": when that process is gone, a worker on the same host takes the
    # source over at once (pipeline.claim_due); a worker on another host cannot tell a dead
    # process from a live one, so there the claim expires with its lease.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(
        max_length=300, blank=True, help_text="The worker fetching the source (host:process id)."
    )
    # "Fetch now" in the admin: who asked, and when; cleared when the fetch is done.
    fetch_requested_at = models.DateTimeField(null=True, blank=True)
    fetch_requested_by = models.CharField(max_length=150, blank=True)

    objects = FeedSourceQuerySet.as_manager()

    class Meta:
        db_table = "feeds_feedsource"  # created by the feeds app; kept when moved here
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Posts credit their source by name and site: a renamed source renames their credit.
        Post.objects.filter(news_item__source=self).exclude(
            credit_name=self.name, credit_url=self.credit_url
        ).update(credit_name=self.name, credit_url=self.credit_url, updated_at=timezone.now())

    @property
    def credit_url(self) -> str:
        return self.site_url or self.feed_url

    @property
    def is_healthy(self) -> bool:
        return self.consecutive_failures == 0

    def backoff(self, *, failures: int, retry_after: timedelta | None = None) -> timedelta:
        """Wait before the next attempt: the interval doubled per failure, capped; never less
        than the server asked for with Retry-After."""
        cap = timedelta(hours=settings.INGEST_MAX_BACKOFF_HOURS)
        wait = min(self.interval * (2 ** min(failures, 16)), max(cap, self.interval))
        if retry_after is not None:
            wait = max(wait, min(retry_after, timedelta(days=7)))
        return wait


class WorkerHeartbeatQuerySet(models.QuerySet):
    def alive(self, *, at=None) -> WorkerHeartbeatQuerySet:
        """Workers that have reported when they said they would."""
        return self.filter(expected_by__gte=at or timezone.now())

    def beat(self, *, worker: str, interval: timedelta, next_within: timedelta, at=None) -> None:
        """`worker` is running and reports again within `next_within`."""
        at = at or timezone.now()
        fields = {"seen_at": at, "expected_by": at + next_within, "interval": interval}
        if not self.filter(worker=worker).update(**fields):
            self.filter(seen_at__lt=at - timedelta(days=7)).delete()  # long gone
            self.create(worker=worker, started_at=at, **fields)

    def sign_off(self, *, worker: str, at=None) -> int:
        """`worker` stops: nothing more is expected from it."""
        return self.filter(worker=worker).update(expected_by=at or timezone.now())


class WorkerHeartbeat(models.Model):
    """A `fetch_feeds --loop` worker as it last reported, so that "Fetch now" in the admin can
    tell whether a worker will take the request up. A worker that crashed stops reporting."""

    worker = models.CharField(max_length=300, unique=True, help_text="host:process id")
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    expected_by = models.DateTimeField(help_text="It reports again by then while it runs.")
    interval = models.DurationField(help_text="Its longest pause between rounds (--interval).")

    objects = WorkerHeartbeatQuerySet.as_manager()

    def __str__(self) -> str:
        return self.worker


class NewsItemQuerySet(models.QuerySet):
    def pending(self) -> NewsItemQuerySet:
        return self.filter(rejected_at__isnull=True, post__status=Post.Status.DRAFT)

    def published(self) -> NewsItemQuerySet:
        return self.filter(rejected_at__isnull=True, post__status=Post.Status.PUBLISHED)

    def rejected(self) -> NewsItemQuerySet:
        return self.filter(rejected_at__isnull=False)

    @transaction.atomic
    def publish_all(self, *, at=None) -> int:
        """Publish each story's post (dated now, or `at`: see `NewsItem.publish`); rejected
        and removed stories are left alone. Returns how many were published."""
        return sum(1 for item in self.select_related("post") if item.publish(at=at))

    @transaction.atomic
    def reject_all(self, *, reason: str, at=None) -> int:
        """Reject each story (see `NewsItem.reject`) with one reason and time; returns how many."""
        at = at or timezone.now()
        items = list(self.select_related("post"))
        for item in items:
            item.reject(reason=reason, at=at)
        return len(items)


class NewsItem(models.Model):
    """One story in the review queue, carried by one or more sources.

    Its state is read from the post (draft = waiting, published) or the rejection, never kept
    twice. `written_hash` fingerprints what ingestion last wrote into the post: once the post
    differs, an editor has touched it and ingestion leaves it alone.
    """

    post = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="news_item"
    )
    source = models.ForeignKey(
        FeedSource, on_delete=models.PROTECT, related_name="+", help_text="Credited on the post."
    )
    title = models.CharField(max_length=300)
    original_url = models.URLField(max_length=1000, blank=True)
    canonical_url = models.CharField(max_length=1000, blank=True)
    title_key = models.CharField(max_length=300, blank=True, db_index=True)
    original_date = models.DateTimeField()
    # True when the source gave the story no date of its own and original_date is when the
    # hub found it.
    original_date_found = models.BooleanField(default=False)
    written_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=500, blank=True)
    # What proposed each category the store stage gave the post: category pk → e.g.
    # "keyword “patient app”", "feed category “CX”", "source default" (rules.Verdict.why).
    proposed_by = models.JSONField(default=dict, blank=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        db_table = "feeds_newsitem"  # created by the feeds app; kept when moved here
        ordering = ["-original_date", "-pk"]
        # Editors know it as the review queue: the list of what waits for their decision.
        verbose_name = "queue item"
        verbose_name_plural = "review queue"
        constraints = [
            # One story per canonical address, even when two workers meet it at once: the
            # final guard behind dedupe.get_or_create_story, which relies on it.
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="unique_news_item_canonical_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.credit_post()

    def credit_post(self) -> None:
        """Write the credit of the story's source into its post, where pages and feeds read it."""
        if self.post_id is None:
            return
        credit = {
            "credit_name": self.source.name,
            "credit_url": self.source.credit_url,
            "credit_original_url": self.original_url,
            "credit_date": self.original_date,
            "credit_date_found": self.original_date_found,
        }
        changed = Post.objects.filter(pk=self.post_id).exclude(**credit)
        if changed.update(**credit, updated_at=timezone.now()) and NewsItem.post.is_cached(self):
            for field, value in credit.items():
                setattr(self.post, field, value)

    def publish(self, *, at=None) -> bool:
        """Publish the story's post; False if it was rejected or removed.

        The post is dated when it appears on the hub (now, or `at` to schedule it), not when the
        source first published it: a story approved from a source's backlog is news to readers
        today and must reach today's feed, not page 3 where no feed reader looks. The source's
        own date stays in the credit ("first published …").
        """
        if self.rejected_at or self.post is None:
            return False
        post = self.post
        if post.status == Post.Status.PUBLISHED:
            return True
        categories = list(post.tagged_items.values_list("tag_id", flat=True))
        untouched = post_fingerprint(post, categories) == self.written_hash
        post.publish(at=at or timezone.now())
        if untouched:  # the new date is ours, not an editor's edit
            self.written_hash = post_fingerprint(post, categories)
            super().save(update_fields=["written_hash"])
        return True

    def reject(self, *, reason: str = "", at=None) -> None:
        """Remember the rejection, so the story never comes back, and delete its post."""
        post = self.post
        self.rejected_at = at or timezone.now()
        self.reject_reason = reason.strip()[:500]
        self.post = None
        self.save()
        if post is not None:
            post.delete()

    @property
    def status(self) -> str:
        if self.rejected_at:
            return "rejected"
        if self.post_id is None:
            return "removed"
        return "published" if self.post.status == Post.Status.PUBLISHED else "waiting"


class FeedEntryQuerySet(models.QuerySet):
    def carried_posts(self, source_id: int) -> models.QuerySet:
        """The ids of posts whose story this source carried (a subquery)."""
        return self.filter(source_id=source_id, item__post__isnull=False).values("item__post_id")


class FeedEntry(models.Model):
    """An entry as one source carried it; `key` is its identity within the source
    (dedupe.entry_key)."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(
        NewsItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    key = models.CharField(max_length=64, help_text="Hash of the guid, else link, else title+date.")
    guid = models.CharField(max_length=1000, blank=True)
    link = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True, help_text="Sanitised summary, for review only.")
    categories = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    blocked_by = models.CharField(max_length=300, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()

    objects = FeedEntryQuerySet.as_manager()

    class Meta:
        db_table = "feeds_feedentry"  # created by the feeds app; kept when moved here
        ordering = ["-last_seen_at", "-pk"]
        verbose_name_plural = "feed entries"
        constraints = [
            # Never met in a race: storing locks the source first (see dedupe).
            models.UniqueConstraint(fields=["source", "key"], name="unique_entry_per_source"),
        ]

    def __str__(self) -> str:
        return self.title


class CategoryRule(models.Model):
    """A word or phrase in an entry's title or summary puts the entry in a category."""

    phrase = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(
        FeedSource,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="category_rules",
        help_text="Leave empty for a rule that applies to every source.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "feeds_categoryrule"  # created by the feeds app; kept when moved here
        ordering = ["phrase"]
        verbose_name = "keyword rule"

    def __str__(self) -> str:
        return f"“{self.phrase}” → {self.category}"

    def matches(self, text: str) -> bool:
        return phrase_in(self.phrase, text)


class FilterRule(models.Model):
    """Block entries that match, or keep only entries that match."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block entries that match"
        KEEP = "keep", "Keep only entries that match"

    class Field(models.TextChoices):
        ANY = "any", "Title, link, author or categories"
        TITLE = "title", "Title"
        LINK = "link", "Link"
        AUTHOR = "author", "Author"
        CATEGORIES = "categories", "Categories"

    action = models.CharField(max_length=10, choices=Action.choices, default=Action.BLOCK)
    field = models.CharField(max_length=20, choices=Field.choices, default=Field.ANY)
    pattern = models.CharField(
        max_length=200,
        help_text="A word or phrase, matched case-insensitively; for links, any part of the "
        "address.",
    )
    source = models.ForeignKey(
        FeedSource,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="filter_rules",
        help_text="Leave empty for a rule that applies to every source.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "feeds_filterrule"  # created by the feeds app; kept when moved here
        ordering = ["action", "pattern"]
        verbose_name = "block or keep rule"

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.get_field_display().lower()} ~ “{self.pattern}”"

    def matches(self, *, title: str, link: str, author: str, categories: list[str]) -> bool:
        fields = {
            self.Field.TITLE: [title],
            self.Field.LINK: [link],
            self.Field.AUTHOR: [author],
            self.Field.CATEGORIES: categories,
        }
        values = (
            [v for f in fields.values() for v in f]
            if self.field == self.Field.ANY
            else fields[self.field]
        )
        if self.field == self.Field.LINK:
            return any(self.pattern.casefold() in value.casefold() for value in values)
        return any(phrase_in(self.pattern, value) for value in values)


def phrase_in(phrase: str, text: str) -> bool:
    """Whole words, case-insensitive, any white space between them: "patient app" matches
    "Patient  App" but not "outpatient apps"."""
    words = phrase.split()
    if not words:
        return False
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


class ImportedPost(models.Model):
    """A post brought in by `import_feed` from the hub's earlier site, for idempotent imports."""

    key = models.CharField(max_length=64, unique=True)
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="+")
    original_url = models.URLField(max_length=1000, blank=True)
    written_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "feeds_importedpost"  # created by the feeds app; kept when moved here

    def __str__(self) -> str:
        return self.original_url or self.key
