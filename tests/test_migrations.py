"""A database migrated by the last release migrates forward with nothing lost.

The ingestion models moved from the feeds app to the newsroom app (state only, same tables).
This test takes the database back to the last migrations before the move, fills it the way
that release would have, then migrates forward and reads everything back.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from posts import combinations

# Tables of models added since the last release.
ADDED_SINCE_THE_MOVE = {
    "newsroom_workerheartbeat",
    "posts_oldaddress",
    "posts_categoryset",
    "posts_combination",
    "posts_maskcount",
}
# Tables dropped since: feeds' PostDeletion, written by no code since the content version.
DROPPED_SINCE = {"feeds_postdeletion"}
LAST_RELEASE = {"posts": "0004_editor_group", "feeds": "0002_post_deletion", "newsroom": None}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest_targets():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def last_release_targets():
    """The last release's migrations: every other app as it is now, ours before the move."""
    others = [node for node in latest_targets() if node[0] not in LAST_RELEASE]
    return others + list(LAST_RELEASE.items())


@pytest.mark.django_db(transaction=True)
def test_ingestion_data_survives_the_move_to_the_newsroom_app(hub_categories):
    old = migrate(last_release_targets())
    assert "newsroom" not in old.app_configs
    Post = old.get_model("posts", "Post")
    Category = old.get_model("posts", "Category")
    FeedSource = old.get_model("feeds", "FeedSource")
    NewsItem = old.get_model("feeds", "NewsItem")
    FeedEntry = old.get_model("feeds", "FeedEntry")
    CategoryRule = old.get_model("feeds", "CategoryRule")
    FilterRule = old.get_model("feeds", "FilterRule")
    ImportedPost = old.get_model("feeds", "ImportedPost")
    ContentType = old.get_model("contenttypes", "ContentType")
    Group = old.get_model("auth", "Group")
    LogEntry = old.get_model("admin", "LogEntry")
    User = old.get_model("auth", "User")

    now = timezone.now()
    design = Category.objects.get(slug="cx-design")
    source = FeedSource.objects.create(
        name="Trade press", feed_url="https://press.example/feed", interval=timedelta(hours=2)
    )
    source.default_categories.add(design)
    post = Post.objects.create(
        title="A story", slug="a-story", body="<p>Text</p>", status="draft", published_at=now
    )
    item = NewsItem.objects.create(
        post=post,
        source=source,
        title="A story",
        canonical_url="https://press.example/a",
        original_date=now,
    )
    FeedEntry.objects.create(
        source=source, item=item, key="k1", title="A story", content_hash="h", last_seen_at=now
    )
    CategoryRule.objects.create(phrase="journey", category=design, source=source)
    FilterRule.objects.create(pattern="webinar", action="block")
    imported = Post.objects.create(
        title="Old", slug="old", body="<p>Old</p>", status="published", published_at=now
    )
    ImportedPost.objects.create(key="old-key", post=imported, written_hash="w")
    source_type = ContentType.objects.get_or_create(app_label="feeds", model="feedsource")[0]
    editor_permissions = set(
        Group.objects.get(name="Editor").permissions.values_list("pk", flat=True)
    )
    assert editor_permissions, "the Editor group of the last release has permissions"
    user = User.objects.create(username="admin")
    LogEntry.objects.create(
        user=user,
        content_type=source_type,
        object_id=str(source.pk),
        object_repr="Trade press",
        action_flag=2,
        change_message="Changed interval.",
    )

    new = migrate(latest_targets())

    FeedSource = new.get_model("newsroom", "FeedSource")
    source = FeedSource.objects.get(name="Trade press")
    assert source.interval == timedelta(hours=2)
    assert list(source.default_categories.values_list("slug", flat=True)) == ["cx-design"]
    item = new.get_model("newsroom", "NewsItem").objects.get()
    assert (item.source_id, item.post_id) == (source.pk, post.pk)
    entry = new.get_model("newsroom", "FeedEntry").objects.get()
    assert (entry.item_id, entry.key) == (item.pk, "k1")
    rule = new.get_model("newsroom", "CategoryRule").objects.get()
    assert (rule.phrase, rule.source_id, rule.category_id) == ("journey", source.pk, design.pk)
    assert new.get_model("newsroom", "FilterRule").objects.get().pattern == "webinar"
    assert new.get_model("newsroom", "ImportedPost").objects.get().post_id == imported.pk
    # Posts carry their source's credit themselves now (newsroom 0002 fills it).
    credited = new.get_model("posts", "Post").objects.get(pk=post.pk)
    assert (credited.credit_name, credited.credit_url) == (
        "Trade press",
        "https://press.example/feed",
    )
    assert credited.credit_date == now
    assert new.get_model("posts", "Post").objects.get(pk=imported.pk).credit_name == ""

    # Content types are relabelled, not recreated: permissions and history stay attached.
    ContentType = new.get_model("contenttypes", "ContentType")
    relabelled = ContentType.objects.get(pk=source_type.pk)
    assert (relabelled.app_label, relabelled.model) == ("newsroom", "feedsource")
    assert not ContentType.objects.filter(app_label="feeds", model="feedsource").exists()
    group = new.get_model("auth", "Group").objects.get(name="Editor")
    assert set(group.permissions.values_list("pk", flat=True)) == editor_permissions
    log = new.get_model("admin", "LogEntry").objects.get()
    assert log.content_type_id == relabelled.pk


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_reversed_and_replayed(hub_categories):
    migrate(last_release_targets())
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {"feeds_feedsource", "feeds_newsitem", "feeds_feedentry"} <= tables
    migrate(latest_targets())
    # The move creates no table; the one new table is the model added since.
    with connection.cursor() as cursor:
        now = set(connection.introspection.table_names(cursor))
    assert tables - DROPPED_SINCE <= now  # the move keeps every table
    # On SQLite, search adds its FTS5 table and the shadow tables SQLite keeps for it.
    assert {t for t in now - tables if not t.startswith("posts_post_fts")} == ADDED_SINCE_THE_MOVE
    assert not DROPPED_SINCE & now


BEFORE_KINDS = ("posts", "0006_old_addresses")


@pytest.mark.django_db(transaction=True)
def test_posts_get_their_kind_from_media_kind_and_quote_category_and_back(hub_categories):
    old = migrate([BEFORE_KINDS])
    Post = old.get_model("posts", "Post")
    Category = old.get_model("posts", "Category")
    TaggedPost = old.get_model("posts", "TaggedPost")
    now = timezone.now()

    def post(slug: str, media_kind: str = "", categories: tuple[str, ...] = ()) -> None:
        created = Post.objects.create(
            title=slug, slug=slug, body="<p>Text</p>", status="published", published_at=now,
            media_kind=media_kind,
        )  # fmt: skip
        for category in Category.objects.filter(slug__in=categories):
            TaggedPost.objects.create(content_object=created, tag=category)

    post("a-podcast", "podcast")
    post("a-webinar", "webinar", ("cx-design",))
    post("an-event", "event", ("cx-community-events",))
    post("a-case", "case-study", ("real-life-examples",))
    # Its media kind says what it is, whatever its categories say.
    post("a-video-of-a-quote", "video", ("inspirational-quote",))
    post("a-quote", "", ("inspirational-quote", "broader-inspiration"))
    post("plain", "", ("cx-design",))
    post("no-categories")
    expected = {
        "a-podcast": "podcast",
        "a-webinar": "webinar",
        "an-event": "event",
        "a-case": "case-study",
        "a-video-of-a-quote": "video",
        "a-quote": "quote",
        "plain": "article",
        "no-categories": "article",
    }

    new = migrate(latest_targets())
    Post = new.get_model("posts", "Post")
    assert dict(Post.objects.values_list("slug", "kind")) == expected
    # The new fields start empty; no event is "upcoming" and no post is in a series by chance.
    assert not Post.objects.exclude(event_until=None).exists()
    assert not Post.objects.exclude(series_part=None).exists()
    assert set(Post.objects.values_list("event_status", flat=True)) == {"scheduled"}

    # Back to the release before: every post keeps its media kind (the ones it was given too).
    old = migrate([BEFORE_KINDS])
    Post = old.get_model("posts", "Post")
    assert dict(Post.objects.values_list("slug", "media_kind")) == expected
    assert "kind" not in {f.name for f in Post._meta.get_fields()}

    migrate(latest_targets())


BEFORE_COMBINATIONS = ("posts", "0013_kind_index")


@pytest.mark.django_db(transaction=True)
def test_combinations_are_counted_from_the_posts_already_stored_and_dropped_going_back(
    hub_categories,
):
    old = migrate([BEFORE_COMBINATIONS])
    Post = old.get_model("posts", "Post")
    Category = old.get_model("posts", "Category")
    TaggedPost = old.get_model("posts", "TaggedPost")
    now = timezone.now()

    def post(slug, status="published", kind="article", categories=(), days=-1):
        created = Post.objects.create(
            title=slug, slug=slug, body="<p>Text</p>", status=status, kind=kind,
            published_at=now + timedelta(days=days),
        )  # fmt: skip
        for category in Category.objects.filter(slug__in=categories):
            TaggedPost.objects.create(content_object=created, tag=category)
        return created

    design = Category.objects.get(slug="cx-design").pk
    health = Category.objects.get(slug="healthcare-sector").pk
    post("a", categories=("cx-design", "healthcare-sector"))
    post("b", categories=("healthcare-sector", "cx-design"))
    post("c", kind="podcast", categories=("cx-design",))
    post("draft", status="draft", categories=("cx-design",))
    post("scheduled", categories=("cx-design",), days=3)  # counted; readers subtract it
    post("bare")

    new = migrate(latest_targets())
    Combination = new.get_model("posts", "Combination")
    first, second = sorted((design, health))
    assert sorted(Combination.objects.values_list("key", "kind", "n")) == sorted(
        [
            (f",{first},{second},", "article", 2),
            (f",{design},", "podcast", 1),
            (f",{design},", "article", 1),
            (",", "article", 1),
        ]
    )
    # The triggers work from here on.
    Post = new.get_model("posts", "Post")
    Post.objects.filter(slug="c").update(status="draft")
    assert not Combination.objects.filter(kind="podcast").exists()

    old = migrate([BEFORE_COMBINATIONS])
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert not {"posts_combination", "posts_categoryset"} & tables
    # No trigger is left to write into tables that are gone.
    old.get_model("posts", "Post").objects.filter(slug="c").update(status="published")
    old.get_model("posts", "TaggedPost").objects.filter(content_object__slug="a").delete()
    migrate(latest_targets())
    assert Combination.objects.filter(key=f",{design},", kind="podcast").get().n == 1
    assert Combination.objects.get(key=",", kind="article").n == 2


BEFORE_VISIBILITY_KIND = ("posts", "0016_category_masks")


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.django_db(transaction=True)
def test_the_widened_visibility_index_gets_statistics_where_the_others_have_them():
    old = migrate([BEFORE_VISIBILITY_KIND])
    for n in range(3):  # an empty table gets no statistics
        old.get_model("posts", "Post").objects.create(
            title=f"P{n}", slug=f"p{n}", body="<p>Text</p>", published_at=timezone.now()
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'post_visibility'")
        before = cursor.fetchall()
    migrate(latest_targets())
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'post_visibility'")
        after = cursor.fetchall()
        cursor.execute("PRAGMA index_info(post_visibility)")
        columns = [row[2] for row in cursor.fetchall()]
        cursor.execute("DROP TABLE sqlite_stat1")  # as the other tests expect: none
    assert columns == ["status", "published_at", "id", "kind"]
    # Dropped with the old index, gathered again for the new one: a number per column more.
    assert len(after) == 1
    assert len(after[0][0].split()) == len(before[0][0].split()) + 1


BEFORE_SPREADS = ("posts", "0017_visibility_index_kind")


@pytest.mark.django_db(transaction=True)
def test_the_stored_spreads_are_computed_for_the_masks_already_counted(hub_categories):
    old = migrate([BEFORE_SPREADS])
    Post = old.get_model("posts", "Post")
    Category = old.get_model("posts", "Category")
    TaggedPost = old.get_model("posts", "TaggedPost")
    for slug, kind, categories in [
        ("a", "article", ("cx-design", "healthcare-sector")),
        ("b", "podcast", ("cx-design",)),
        ("c", "event", ()),
    ]:
        created = Post.objects.create(
            title=slug, slug=slug, body="<p>Text</p>", status="published", kind=kind,
            published_at=timezone.now(),
        )  # fmt: skip
        for category in Category.objects.filter(slug__in=categories):
            TaggedPost.objects.create(content_object=created, tag=category)
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    new = migrate(latest_targets())
    MaskCount = new.get_model("posts", "MaskCount")
    stored = [combinations.spread_column(g) for g in range(combinations.GROUPS)] + [
        combinations.kinds_column(i) for i in range(combinations.KIND_SUMS)
    ]
    computed = [combinations.spread_sql(g) for g in range(combinations.GROUPS)] + [
        combinations.packed_kinds_sql(i) for i in range(combinations.KIND_SUMS)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(stored + computed)} FROM posts_maskcount")
        rows = cursor.fetchall()
        statistics = []
        if sqlite:
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'posts_maskcount'")
            statistics = cursor.fetchall()
            cursor.execute("DROP TABLE sqlite_stat1")  # as the other tests expect: none
    assert len(rows) == 3 == MaskCount.objects.count()
    for row in rows:
        assert row[: len(stored)] == row[len(stored) :]
    assert any(row[0] for row in rows)  # the spreads hold counts, not nothing
    # The rebuilt table gets its statistics back where it had them.
    assert bool(statistics) == sqlite
    # The triggers are back: a new post is counted (and its spreads stored) at once.
    new.get_model("posts", "Post").objects.create(
        title="d", slug="d", body="<p>Text</p>", status="published", kind="article",
        published_at=timezone.now(),
    )  # fmt: skip
    assert MaskCount.objects.get(mask=0).n == 2
