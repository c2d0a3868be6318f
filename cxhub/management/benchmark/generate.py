"""Generated posts for the benchmark, spread the way the demo content is.

The demo posts (posts/demo/posts.json) say how often each category, each number of categories
per post and each kind occurs; generated posts are drawn with those weights from a seeded
random generator, so two runs with the same seed make the same hub. Dates spread over ten years,
about 2 % are drafts and a few are scheduled. Bodies are about 300 words, made of sentences
from a small pool, some far more common than others, so that searches find common words in
most posts and rarer ones in fewer; a title's topic word ("enablement") is in one post of eight
and its number ("lesson 4711") in one.

Speed (100,000 posts in under two minutes on a two-core machine): the rows go in by COPY on
PostgreSQL and one `executemany` per batch on SQLite rather than `bulk_create`, whose per-field
preparation of model instances cost more than the database's work (and on PostgreSQL each row
is an INSERT of its own); the bodies are made of sentences that need no cleaning (a
test holds that `Post.normalise` changes nothing in a generated post), so the sanitiser does not
run 100,000 times; and the triggers that keep the category combinations are off while the posts
go in, the combinations being counted once at the end (`posts.combinations.recount`), inside the
same transaction, so nobody ever sees counts that disagree with the posts.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, connections, transaction
from django.utils import timezone

from cxhub import content_version
from posts import combinations
from posts.demo_data import DEMO_DIR, POSTS_FILE
from posts.models import BodyFormat, Category, Kind, Post, TaggedPost

SLUG_PREFIX = "benchmark-post-"
BATCH = 1000
YEARS = 10
DRAFT_SHARE = 0.02
SCHEDULED_SHARE = 0.005
SENTENCES_PER_BODY = 24  # about 12 words each: some 300 words

TOPICS = [
    "Patient journeys",
    "Omnichannel engagement",
    "Field force enablement",
    "Medical information",
    "Voice of the customer",
    "Service design",
    "Digital therapeutics",
    "HCP portals",
]

SENTENCES = [
    "Patients rarely describe their journey the way our process maps draw it.",
    "A field team that listens before it presents earns a second meeting.",
    "Medical information desks hear the questions that marketing never thought to ask.",
    "The best portal for physicians is the one they do not have to learn.",
    "Measuring customer experience starts with deciding which moments really matter.",
    "Omnichannel engagement fails when every channel tells a slightly different story.",
    "A nurse educator often knows more about adherence than any dashboard does.",
    "Voice of the customer programmes need owners who can change something.",
    "Service design borrows freely from hospitality, retail and public transport.",
    "Digital therapeutics succeed when the prescribing physician trusts the data.",
    "Small pilots with one brand team show faster what a global roll-out would hide.",
    "Consent, privacy and tone of voice belong in the first sketch, not the last review.",
    "Pharmacists are customers too, and they notice every broken promise on the shelf.",
    "An empathy interview takes an hour and saves months of building the wrong thing.",
    "Call centre scripts written with patients sound very different from those without.",
    "Regulated content can still be warm, short and written for the person reading it.",
    "The customer journey does not end when the prescription is written.",
    "Teams that share one view of the customer argue less about whose channel won.",
    "Leaders who sit in on support calls rarely need to be convinced of the case again.",
    "Good onboarding for a new therapy answers the questions people are afraid to ask.",
    "Net promoter scores move slowly; verbatim comments tell you why far sooner.",
    "A single confusing letter from a payer can undo a year of careful engagement.",
    "Co-creation workshops work best when patients outnumber the people from headquarters.",
    "What an automotive brand learned about test drives applies to product samples too.",
    "Banks redesigned their forms years ago, and pharma can copy what worked for them.",
    "Events are where communities form, and communities outlast any campaign.",
    "Accessibility helps everyone, not only the readers it was first designed for.",
    "Every handover between teams is a place where the customer may be dropped.",
    "The quickest win is often removing a step rather than adding a feature.",
    "Stories from real life examples persuade boards more than any benchmark slide.",
]

# Some sentences are much more common than others (weights 1, 1/2, 1/3, …), so their words are
# too: from about one post in five for the rarest to nearly every post.
SENTENCE_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(SENTENCES) + 1)))

QUOTES = [
    ("People will forget what you said, but not how you made them feel.", "Maya Angelou"),
    ("Make it simple, but significant.", "Don Draper"),
    ("The customer's perception is your reality.", "Kate Zabriskie"),
]

ORGANISATIONS = ["Northwind Pharma", "Contoso Health", "Fabrikam Biologics", "Tailspin Care"]
PLACES = ["Basel", "Berlin", "Lyon", "Barcelona", "Copenhagen", "Boston"]


@dataclass(frozen=True)
class Weights:
    """How often each category, number of categories and kind occurs among the demo posts."""

    categories: dict[str, int]
    per_post: dict[int, int]
    kinds: dict[str, int]

    @classmethod
    def from_demo(cls) -> Weights:
        posts = json.loads((DEMO_DIR / POSTS_FILE).read_text())
        categories: Counter[str] = Counter()
        per_post: Counter[int] = Counter()
        kinds: Counter[str] = Counter()
        for post in posts:
            categories.update(post["categories"])
            per_post[min(max(len(post["categories"]), 1), 4)] += 1
            kinds[post.get("kind", Kind.ARTICLE)] += 1
        return cls(dict(categories), dict(per_post), dict(kinds))


class Progress:
    """Percent, rate and time left: one line redrawn on a terminal, else a line per tenth."""

    def __init__(self, total: int, *, write: Callable[[str], None], redraw: bool):
        self.total = max(total, 1)
        self.write = write
        self.redraw = redraw
        self.began = time.perf_counter()
        self.shown_tenth = -1

    def update(self, done: int) -> None:
        elapsed = time.perf_counter() - self.began
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate else 0.0
        width = 30
        filled = width * done // self.total
        line = (
            f"  [{'#' * filled}{'.' * (width - filled)}] {100 * done // self.total:3d} % "
            f"{done:,}/{self.total:,} posts, {rate:,.0f}/s, {elapsed:.0f} s, "
            f"about {left:.0f} s left"
        )
        if self.redraw:
            self.write("\r" + line + ("\n" if done >= self.total else ""))
        elif 10 * done // self.total != self.shown_tenth:
            self.shown_tenth = 10 * done // self.total
            self.write(line + "\n")


def generate(
    count: int,
    *,
    start: int = 0,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert `count` posts numbered from `start`, with their categories; returns their ids.

    The random generator is seeded with `seed` and `start`, so adding posts to a kept set later
    draws new ones rather than repeating the first."""
    categories = {c.slug: c.pk for c in Category.objects.all()}
    if not categories:
        raise LookupError("No categories: run `manage.py migrate` first.")
    weights = Weights.from_demo()
    rng = random.Random(f"{seed}-{start}")
    now = now or timezone.now()
    slugs = list(categories)
    # A category the demo does not use (added by an editor) is rare, not absent.
    category_weights = [weights.categories.get(slug, 0) + 1 for slug in slugs]
    sizes, size_weights = zip(*sorted(weights.per_post.items()), strict=True)
    kinds, kind_weights = zip(*sorted(weights.kinds.items()), strict=True)
    span = timedelta(days=365.25 * YEARS).total_seconds()
    ids: list[int] = []
    with transaction.atomic(), counted_once_at_the_end(), roomy_cache():
        for first in range(start, start + count, BATCH):
            numbers = range(first, min(first + BATCH, start + count))
            posts = [
                make_post(n, rng, now=now, span=span, kind=rng.choices(kinds, kind_weights)[0])
                for n in numbers
            ]
            created = insert_posts(posts)
            tagged = []
            for post_id in created:
                wanted = min(rng.choices(sizes, size_weights)[0], len(slugs))
                chosen: set[str] = set()
                while len(chosen) < wanted:
                    chosen.add(rng.choices(slugs, category_weights)[0])
                tagged += [(post_id, categories[slug]) for slug in chosen]
            insert_tagged(tagged)
            ids += created
            if progress:
                progress(len(ids))
    # Bulk inserts send no signals: readers' cached pages and counts must see the new posts.
    content_version.bump()
    return ids


@contextlib.contextmanager
def counted_once_at_the_end() -> Iterator[None]:
    """The combination triggers off while the posts go in, then every combination counted
    afresh: what the triggers would have made, at a fraction of their cost (on PostgreSQL they
    run a function per category row). Inside the caller's transaction: SQLite takes the write
    lock for all of it, and on PostgreSQL `ALTER TABLE` locks both tables until the commit, so
    no other writer can slip a post in while nothing counts it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            check_now(cursor)
            for name, table, *_ in combinations.POSTGRES_TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
        else:
            combinations.uninstall(connection)  # on SQLite: drops the triggers only
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            check_now(cursor)
            for name, table, *_ in combinations.POSTGRES_TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
            combinations.recount(connection)
        else:
            combinations.install(connection, rebuild=True)  # triggers back, then recount


def check_now(cursor) -> None:
    """Run the foreign key checks Django defers to the commit (PostgreSQL): a table with such
    checks pending cannot be altered."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def roomy_cache() -> Iterator[None]:
    """On SQLite, a page cache of 256 MiB while generating: with the default 2 MiB, a large
    transaction spills pages to the write-ahead log and reads them back for every index it
    updates."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


INSERTED_FIELDS = [f for f in Post._meta.concrete_fields if not f.primary_key]
# Fields whose value comes from pre_save (auto_now dates, the cover's file): asked each time.
SET_ON_SAVE = {
    f.attname
    for f in INSERTED_FIELDS
    if getattr(f, "auto_now", False)
    or getattr(f, "auto_now_add", False)
    or f.get_internal_type() in ("FileField", "ImageField")
}


def db_values(post: Post, database) -> tuple:
    """The post's column values as `bulk_create` prepares them (`pre_save`, then
    `get_db_prep_save`), with a short cut: a text, number or None goes as it is, which is all
    Django's text, number and boolean fields do with one; dates, durations and the cover go
    through their field."""
    values = []
    for field in INSERTED_FIELDS:
        if field.attname in SET_ON_SAVE:
            value = field.pre_save(post, True)
        else:
            value = getattr(post, field.attname)
        if value is not None and not isinstance(value, str | int):
            value = field.get_db_prep_save(value, database)
        values.append(value)
    return tuple(values)


def insert_posts(posts: list[Post]) -> list[int]:
    """The posts in one `executemany`; returns their ids in the same order."""
    database = connections[connection.alias]  # not the proxy: asked 44 times a row
    rows = [db_values(post, database) for post in posts]
    insert_rows(Post._meta.db_table, [f.column for f in INSERTED_FIELDS], rows)
    slugs = [post.slug for post in posts]
    found = dict(Post.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return [found[slug] for slug in slugs]


def insert_tagged(rows: list[tuple[int, int]]) -> None:
    """(post id, category id) rows in one statement per batch: a TaggedPost instance per row
    would cost more than the insert itself (about a third of the time at 100,000 posts)."""
    meta = TaggedPost._meta
    columns = [meta.get_field("content_object").column, meta.get_field("tag").column]
    insert_rows(meta.db_table, columns, rows)


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Rows into a table: on PostgreSQL with COPY (one statement, where `executemany` runs an
    INSERT per row, each parsed, planned and checked by the server); on SQLite with
    `executemany`, which prepares its statement once."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", rows
            )


def make_post(n: int, rng: random.Random, *, now: datetime, span: float, kind: str) -> Post:
    topic = TOPICS[n % len(TOPICS)]
    sentences = rng.choices(SENTENCES, cum_weights=SENTENCE_WEIGHTS, k=SENTENCES_PER_BODY)
    body = "".join(
        "<p>" + " ".join(sentences[i : i + 6]) + "</p>" for i in range(0, len(sentences), 6)
    )
    roll = rng.random()
    status = Post.Status.DRAFT if roll < DRAFT_SHARE else Post.Status.PUBLISHED
    if roll > 1 - SCHEDULED_SHARE:
        published_at = now + timedelta(hours=rng.uniform(1, 24 * 60))  # scheduled
    else:
        published_at = now - timedelta(seconds=rng.uniform(0, span))
    post = Post(
        title=f"{topic}: lesson {n} in customer experience",
        slug=f"{SLUG_PREFIX}{n}",
        excerpt=f"{sentences[0]} What {topic.lower()} taught us, part {n}.",
        body=body,
        body_format=BodyFormat.HTML,
        status=status,
        published_at=published_at,
        kind=kind,
        link=f"https://example.org/bench/{n}",
        author_name="Benchmark",
    )
    if kind == Kind.EVENT:
        # Announced a few weeks ahead: the events of the last weeks are still upcoming.
        start = published_at.replace(minute=0, second=0, microsecond=0) + timedelta(
            days=rng.randint(3, 90)
        )
        post.event_start = start
        post.event_end = start + timedelta(hours=rng.choice([1, 2, 8]))
        post.event_timezone = "Europe/Zurich"
        post.event_place = rng.choice(PLACES)
        post.event_online = rng.random() < 0.4
    elif kind in (Kind.PODCAST, Kind.VIDEO, Kind.WEBINAR):
        post.media_duration = timedelta(minutes=rng.randint(5, 75))
        post.media_host = f"{topic} talks"
    elif kind == Kind.QUOTE:
        post.quote_text, post.quote_author = rng.choice(QUOTES)
    elif kind == Kind.CASE_STUDY:
        post.case_organisation = rng.choice(ORGANISATIONS)
        post.case_outcomes = f"{rng.randint(10, 60)} % fewer calls\n{rng.randint(2, 9)} weeks"
    # What every save does (when the event is over, …), except cleaning the body: made of
    # plain sentences, it is clean already (tests/test_benchmark.py holds that).
    post.body = ""
    post.normalise()
    post.body = body
    return post
