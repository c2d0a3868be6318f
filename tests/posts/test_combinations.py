"""Listing counts from the category combinations (posts.combinations, posts.counts) equal a
direct count over the posts, after writes through every path: property-based.

Hypothesis makes up a run of writes (save, delete, publish and unpublish in bulk, bulk category
changes, taggit's add/remove/clear, category merges and deletions, bulk_create, queryset and raw
SQL updates of status, kind and date, a category row moved to another post) and then a few
selections (facets, exclusions, kinds); for each, the total, every category's count and every
kind's count must equal what the query layer counts over the posts themselves.
"""

import re
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from posts import combinations, counts
from posts.counts import Tally
from posts.models import Category, CategorySet, Combination, Kind, MaskCount, Post, TaggedPost
from posts.selection import Facet, PostFilter
from tests.factories import make_category, make_event, make_post

pytestmark = pytest.mark.django_db

KINDS = [Kind.ARTICLE, Kind.PODCAST, Kind.EVENT, Kind.QUOTE]
STATUSES = [Post.Status.PUBLISHED, Post.Status.PUBLISHED, Post.Status.DRAFT]


def direct(selection: PostFilter) -> tuple[int, dict[int, int], dict[str, int]]:
    """The counts of `selection` read from the posts, the way listings counted before."""
    published = Post.objects.published()
    total = published.matching(selection).count()
    by_category = {}
    for category in Category.objects.all():
        within = selection
        if category.facet in selection.included:
            within = selection.without_facet(category.facet)
        n = published.matching(within).in_category(category).count()
        if n:
            by_category[category.pk] = n
    by_kind = {}
    for kind in Kind.values:
        n = published.matching(selection.with_kinds(())).filter(kind=kind).count()
        if n:
            by_kind[kind] = n
    return total, by_category, by_kind


def direct_events(selection: PostFilter) -> tuple[int, dict[int, int]]:
    """The counts of `selection` on the events pages, read from the posts."""
    events = Post.objects.published().events()
    total = events.matching(selection).count()
    by_category = {}
    for category in Category.objects.all():
        within = selection
        if category.facet in selection.included:
            within = selection.without_facet(category.facet)
        n = events.matching(within).in_category(category).count()
        if n:
            by_category[category.pk] = n
    return total, by_category


def stored_matches_a_recount() -> None:
    """The combination rows and the counts by mask are those a count from scratch gives, and
    no row is empty."""
    kept = sorted(Combination.objects.values_list("key", "kind", "n"))
    keys = dict(CategorySet.objects.values_list("post_id", "key"))
    masks = dict(CategorySet.objects.values_list("post_id", "mask"))
    by_mask = sorted(MaskCount.objects.values_list())
    assert all(n > 0 for _, _, n in kept)
    assert all(row[1] > 0 for row in by_mask)
    combinations.recount(connection)
    assert sorted(Combination.objects.values_list("key", "kind", "n")) == kept
    assert {pk: key for pk, key in CategorySet.objects.values_list("post_id", "key")} == {
        pk: key for pk, key in keys.items() if key != ","
    }
    combinations.recount_masks(connection)
    assert sorted(MaskCount.objects.values_list()) == by_mask
    stored_values_are_computed()
    assert dict(CategorySet.objects.values_list("post_id", "mask")) == {
        pk: mask for pk, mask in masks.items() if pk in keys and keys[pk] != ","
    }


STORED = [combinations.spread_column(g) for g in range(combinations.GROUPS)] + [
    combinations.kinds_column(i) for i in range(combinations.KIND_SUMS)
]


def stored_values_are_computed() -> None:
    """Each row's stored packed values (the model's generated columns) are what the SQL the
    counts compute for the posts taken off gives: the two must agree field for field."""
    computed = [combinations.spread_sql(g) for g in range(combinations.GROUPS)] + [
        combinations.packed_kinds_sql(i) for i in range(combinations.KIND_SUMS)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT mask, {', '.join(STORED)}, {', '.join(computed)} FROM posts_maskcount"
        )
        rows = cursor.fetchall()
    for mask, *values in rows:
        assert values[: len(STORED)] == values[len(STORED) :], hex(mask)


def counted_both_ways(selection: PostFilter, categories: list[Category]):
    """The counts from the masks, checked against the combination rows evaluated in Python
    (the way taken past the masks' limits)."""
    tally = Tally(categories)
    counted = tally.count(selection)
    bits = [c.bit for c in categories]
    assert tally.path == ("masks" if None not in bits else "rows")
    assert Tally(categories)._count(selection) == counted
    events = Tally(categories).count_events(selection)
    if None not in bits:
        assert (events.total, events.by_category) == direct_events(selection)
    else:
        assert events is None  # counted through the posts (posts.filters)
    return counted.total, counted.by_category, counted.by_kind


def selections(draw, categories: list[Category]) -> PostFilter:
    by_slug = {c.slug: c for c in categories}
    slugs = sorted(by_slug)
    included = draw(st.lists(st.sampled_from(slugs), max_size=4)) if slugs else []
    excluded = draw(st.lists(st.sampled_from(slugs), max_size=2)) if slugs else []
    kinds = draw(st.lists(st.sampled_from(KINDS), max_size=2))
    left_out = draw(st.lists(st.sampled_from(KINDS), max_size=2))
    params = {}
    for slug in included:
        params.setdefault(by_slug[slug].facet, []).append(slug)
    query = "&".join(f"{facet}={','.join(values)}" for facet, values in params.items())
    query += "".join(f"&not={slug}" for slug in excluded)
    query += "".join(f"&kind={kind}" for kind in kinds)
    query += "".join(f"&not-kind={kind}" for kind in left_out)
    from django.http import QueryDict

    return PostFilter.from_querydict(QueryDict(query), by_slug)


def write(draw, n: int) -> None:
    posts = list(Post.objects.order_by("pk"))
    categories = list(Category.objects.order_by("pk"))
    some_posts = Post.objects.filter(pk__in=[p.pk for p in posts[n % 3 :: 2]])
    category = categories[n % len(categories)] if categories else None
    step = draw(
        st.sampled_from(
            [
                "create", "save", "delete", "publish", "unpublish", "add_category",
                "remove_category", "taggit", "merge", "delete_category", "bulk_create",
                "update", "raw_sql", "move_tag",
            ]
        )
    )  # fmt: skip
    if step == "create" or not posts or category is None:
        slugs = draw(st.lists(st.sampled_from([c.slug for c in categories]), max_size=4))
        make_post(
            categories=slugs,
            kind=draw(st.sampled_from(KINDS)),
            status=draw(st.sampled_from(STATUSES)),
            days_ago=draw(st.sampled_from([3, 1, -2])),  # -2: scheduled
        )
    elif step == "save":
        post = posts[n % len(posts)]
        post.kind = draw(st.sampled_from(KINDS))
        post.status = draw(st.sampled_from(STATUSES))
        post.published_at = timezone.now() + timedelta(days=draw(st.sampled_from([-4, 5])))
        post.save()
    elif step == "delete":
        posts[n % len(posts)].delete()
    elif step == "publish":
        some_posts.publish()
    elif step == "unpublish":
        some_posts.unpublish()
    elif step == "add_category":
        some_posts.add_category(category)
    elif step == "remove_category":
        some_posts.remove_category(category)
    elif step == "taggit":
        post = posts[n % len(posts)]
        action = draw(st.sampled_from(["add", "remove", "clear", "set"]))
        if action == "clear":
            post.categories.clear()
        elif action == "set":
            post.categories.set(categories[n % 3 :: 5])
        else:
            getattr(post.categories, action)(category)
    elif step == "merge":
        others = [c for c in categories if c.pk != category.pk]
        if others:
            category.merge_into(others[n % len(others)])
    elif step == "delete_category":
        category.delete()
    elif step == "bulk_create":
        created = Post.objects.bulk_create(
            Post(
                title=f"Bulk {n} {i}",
                slug=f"bulk-{n}-{i}-{time.monotonic_ns()}",
                status=draw(st.sampled_from(STATUSES)),
                published_at=timezone.now() - timedelta(hours=1),
                kind=draw(st.sampled_from(KINDS)),
            )
            for i in range(2)
        )
        TaggedPost.objects.bulk_create(
            TaggedPost(content_object=post, tag=c) for post in created for c in categories[:2]
        )
    elif step == "update":
        some_posts.update(status=draw(st.sampled_from(STATUSES)), kind=draw(st.sampled_from(KINDS)))
    elif step == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE posts_post SET published_at = NULL WHERE id = %s", [posts[0].pk])
            cursor.execute(
                "UPDATE posts_post SET kind = %s, status = %s WHERE id = %s",
                [draw(st.sampled_from(KINDS)), Post.Status.PUBLISHED, posts[-1].pk],
            )
    elif step == "move_tag":
        link = TaggedPost.objects.order_by("pk").first()
        if link is not None:
            # To a post that does not have the category yet (the pair is unique).
            has_it = TaggedPost.objects.filter(tag_id=link.tag_id).values("content_object_id")
            target = Post.objects.exclude(pk__in=has_it).first()
            if target is not None:
                TaggedPost.objects.filter(pk=link.pk).update(content_object=target)


@settings(max_examples=25)
@given(data=st.data())
def test_counts_from_combinations_equal_a_count_of_the_posts(data, hub_categories):
    with transaction.atomic():
        make_category(name="Extra topic", facet=Facet.TOPIC)
        for n in range(data.draw(st.integers(min_value=0, max_value=6))):
            make_post(
                categories=[c.slug for c in Category.objects.order_by("pk")[n % 4 :: 6]],
                kind=KINDS[n % len(KINDS)],
                status=STATUSES[n % 3],
                days_ago=[2, -1, 5][n % 3],
            )
        # Events with dates, past and to come, one scheduled (those made below have none).
        for n in range(data.draw(st.integers(min_value=0, max_value=3))):
            make_event(
                start=timezone.now() + timedelta(days=[-30, 10, 3][n]),
                categories=[c.slug for c in Category.objects.order_by("pk")[n::5]],
                days_ago=[40, 2, -1][n],
            )
        for n in range(data.draw(st.integers(min_value=1, max_value=8))):
            write(data.draw, n)
        categories = list(Category.objects.all())
        for _ in range(3):
            selection = selections(data.draw, categories)
            assert counted_both_ways(selection, categories) == direct(selection)
        stored_matches_a_recount()
        transaction.set_rollback(True)


def test_a_scheduled_post_joins_the_counts_when_its_time_comes(hub_categories):
    selection = PostFilter(included={Facet.TOPIC: ("cx-design",)})
    make_post(categories=["cx-design"], days_ago=1)
    make_post(categories=["cx-design"], published_at=timezone.now() + timedelta(seconds=1))
    assert Tally(Category.objects.all()).count(selection).total == 1
    time.sleep(1.1)
    # Nobody acts: the same rows, read again, now count it.
    categories = list(Category.objects.all())
    total, by_category, by_kind = counted_both_ways(selection, categories)
    assert total == 2
    assert by_kind == {"article": 2}
    assert (total, by_category, by_kind) == direct(selection)


def test_a_selection_is_one_query_with_every_count_the_page_asks_for(hub_categories):
    make_post(categories=["cx-design", "healthcare-sector"], kind=Kind.PODCAST)
    make_post(categories=["cx-strategy"], kind=Kind.ARTICLE)
    tally = Tally(Category.objects.all())
    selection = PostFilter(excluded=("cx-design",), kinds=("podcast",))
    with CaptureQueriesContext(connection) as queries:
        counted = tally.count(selection)
        # The kinds' counts ignore the kinds: the same query answered them.
        by_kind = tally.by_kind(selection)
        published = tally.published
    assert len(queries) == 1
    assert "posts_maskcount" in queries[0]["sql"]
    assert (counted.total, by_kind, published) == (0, {"article": 1}, 2)


def test_the_kinds_with_a_counter_are_the_kinds():
    assert sorted(combinations.KINDS) == sorted(Kind.values)
    names = [f.name for f in MaskCount._meta.get_fields()]
    assert names[2:10] == combinations.KIND_COLUMNS
    # A stored value per group of three bits, up to the last bit, and per three kinds.
    assert names[10:] == STORED
    assert 3 * combinations.GROUPS >= combinations.MAX_BITS > 3 * (combinations.GROUPS - 1)


def test_every_count_without_a_kind_filter_sums_the_stored_values(hub_categories):
    """The sums read the values stored in the rows where every kind counts; with a filter by
    kinds, the categories' fields are computed from the kinds' counters (nothing stored for
    them), the kinds' own counts still read."""
    make_post(categories=["cx-design", "healthcare-sector"], kind=Kind.PODCAST)
    make_post(categories=["cx-design"], published_at=timezone.now() + timedelta(days=1))
    categories = list(Category.objects.all())
    for selection, spreads_stored in [
        (PostFilter(), True),
        (PostFilter(included={Facet.TOPIC: ("cx-design",)}), True),
        (PostFilter(excluded=("cx-strategy",)), True),
        (PostFilter(kinds=("podcast",)), False),
    ]:
        with CaptureQueriesContext(connection) as queries:
            counted = Tally(categories).count(selection)
        (sql,) = [q["sql"] for q in queries if "posts_maskcount" in q["sql"]]
        # The sums over posts_maskcount, one SELECT each (the posts taken off compute theirs).
        parts = [part for part in sql.split(" UNION ALL ") if "FROM posts_maskcount" in part]
        assert any("sum(kinds_0)" in part for part in parts)
        assert any("sum(spread_" in part for part in parts) is spreads_stored
        computed = re.compile(r"sum\([^,]*\(\(\(\(mask &")
        assert any(computed.search(part) for part in parts) is not spreads_stored
        assert (counted.total, counted.by_category, counted.by_kind) == direct(selection)


def test_a_count_too_large_to_pack_is_stored_as_nothing(hub_categories):
    """Past PACKED_LIMIT a row's product could overflow 64 bits (PostgreSQL would refuse the
    write): its spread is stored as 0, and the counts are not read from the masks anyway."""
    limit = combinations.PACKED_LIMIT
    columns = ", ".join(combinations.KIND_COLUMNS)
    with connection.cursor() as cursor:
        for mask, n in [(0b101, limit - 1), (0b110, limit), (1 << 61, 2**31 - 1)]:
            cursor.execute(
                f"INSERT INTO posts_maskcount (mask, n, {columns}) VALUES (%s, %s{', 0' * 8})",
                [mask, n],
            )
    stored = dict(MaskCount.objects.values_list("mask", "spread_0"))
    assert stored[0b101] == (limit - 1) * (1 | 1 << 42)
    assert stored[0b110] == 0
    assert MaskCount.objects.get(mask=1 << 61).spread_20 == 0


def test_categories_past_the_bits_are_counted_from_the_rows_until_a_bit_is_free(
    hub_categories,
):
    """Bits 0-61 go to the first 62 categories; the next ones have none, and counts come from
    the combination rows. A deleted (or merged) category's bit goes to the oldest without one,
    and the counts are back on the masks, right."""
    for n in range(combinations.MAX_BITS + 2 - Category.objects.count()):
        make_category(name=f"Topic {n}", facet=Facet.TOPIC)
    late = list(Category.objects.filter(bit__isnull=True).order_by("pk"))
    assert len(late) == 2
    assert sorted(Category.objects.values_list("bit", flat=True).exclude(bit=None)) == list(
        range(combinations.MAX_BITS)
    )
    make_post(categories=[late[0].slug, "cx-design"], kind=Kind.PODCAST)
    make_post(categories=[late[1].slug, "healthcare-sector"])
    make_post(categories=["cx-design"], published_at=timezone.now() + timedelta(days=1))
    some = [
        PostFilter(),
        PostFilter(included={Facet.TOPIC: (late[0].slug,)}),
        PostFilter(included={Facet.TOPIC: ("cx-design",)}, excluded=(late[1].slug,)),
    ]
    categories = list(Category.objects.all())
    for selection in some:
        assert counted_both_ways(selection, categories) == direct(selection)
    # An instance read before its category had a bit is saved later: the bit stays.
    stale = Category.objects.get(pk=late[0].pk)
    # Merged away: its bit goes to the first late one, whose posts get it in their masks.
    freed = Category.objects.get(slug="cx-strategy")
    freed_bit = freed.bit
    freed.merge_into(Category.objects.get(slug="cx-design"))
    assert Category.objects.get(pk=late[0].pk).bit == freed_bit
    stale.save()  # read when it had none: keeps the one it has now
    assert Category.objects.get(pk=late[0].pk).bit == freed_bit
    Category.objects.get(slug="patient-experience").delete()
    assert Category.objects.filter(bit__isnull=True).count() == 0
    categories = list(Category.objects.all())
    for selection in some:
        assert counted_both_ways(selection, categories) == direct(selection)
    stored_matches_a_recount()
    # No bit left for a new one.
    make_category(name="One more", facet=Facet.TOPIC)
    assert Category.objects.get(slug="one-more").bit is None


def test_post_ids_past_the_packed_limit_are_counted_from_the_rows(hub_categories):
    make_post(categories=["cx-design"], kind=Kind.PODCAST)
    far = make_post(categories=["cx-design", "healthcare-sector"])
    # A post whose id is past the limit: a count could no longer be sure to fit its field.
    Post.objects.filter(pk=far.pk).delete()
    make_post(categories=["healthcare-sector"])
    moved = Post.objects.create(
        id=counts.PACKED_LIMIT, title="Far", slug="far", status=Post.Status.PUBLISHED
    )
    moved.categories.add(Category.objects.get(slug="cx-design"))
    selection = PostFilter(included={Facet.TOPIC: ("cx-design",)})
    categories = list(Category.objects.all())
    tally = Tally(categories)
    counted = tally.count(selection)
    assert tally.path == "rows"
    assert (counted.total, counted.by_category, counted.by_kind) == direct(selection)
    assert counted.total == 2


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_triggers_come_back_after_a_table_rebuild_drops_them(hub_categories):
    make_post(categories=["cx-design"])
    with connection.cursor() as cursor:
        # What a later migration's table rebuild does to them.
        for name in combinations.SQLITE_TRIGGER_NAMES + combinations.SQLITE_MASK_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    make_post(categories=["cx-design", "cx-strategy"])
    combinations.install(connection)  # run after every migrate (posts.apps)
    combinations.install_masks(connection)
    make_post(categories=["cx-strategy"])
    selection = PostFilter(included={Facet.TOPIC: ("cx-design",)})
    total, by_category, by_kind = counted_both_ways(selection, list(Category.objects.all()))
    assert total == 2
    assert (total, by_category, by_kind) == direct(selection)
    stored_matches_a_recount()


WALKED = [
    "topic=cx-design",
    "topic=cx-design,cx-strategy&industry=healthcare-sector",
    "topic=cx-design&not=healthcare-sector&kind=podcast",
    "industry=financial-sector",
]


@pytest.mark.parametrize("query", WALKED)
def test_a_page_walked_from_the_index_or_deferred_lists_the_same_posts(query, hub_categories):
    from django.http import QueryDict

    from posts.views import PageRows

    names = [["cx-design", "healthcare-sector"], ["cx-strategy"], ["cx-design"], []]
    for n in range(30):
        make_post(categories=names[n % 4], kind=KINDS[n % 2], days_ago=n % 7)
    by_slug = {c.slug: c for c in Category.objects.all()}
    selection = PostFilter.from_querydict(QueryDict(query), by_slug)
    listed = Post.objects.published().matching(selection).newest_first()
    walked = Post.objects.published().matching(selection, walk=True).newest_first()
    assert list(walked) == list(listed)
    for page in (slice(0, 4), slice(4, 8), slice(8, 12)):
        assert list(PageRows(walked.with_categories())[page]) == list(listed[page])


def test_the_published_total_is_the_sum_of_the_rows(hub_categories):
    make_post(categories=["cx-design"])
    make_post(categories=[], kind=Kind.PODCAST)
    make_post(status=Post.Status.DRAFT)
    make_post(published_at=timezone.now() + timedelta(days=1))  # scheduled: not yet
    tally = Tally(Category.objects.all())
    assert tally.published == tally.count(PostFilter()).total == 2


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.django_db(transaction=True)
def test_a_migrate_that_rebuilds_a_table_the_triggers_name_keeps_the_counts(hub_categories):
    """On SQLite, Django alters a table by copy, drop and rename, which SQLite refuses while a
    trigger names the table: a migrate lifts the triggers first and puts them back after."""
    from posts.apps import lift_combinations, restore_combinations

    make_post(categories=["cx-design"])
    lift_combinations(None, using="default", plan=[("a migration", False)])
    with connection.schema_editor() as editor:
        editor._remake_table(Category)  # what AddField or AlterField do on SQLite
    make_post(categories=["cx-design", "healthcare-sector"])  # while there are no triggers
    restore_combinations(None, using="default", plan=[("a migration", False)])
    selection = PostFilter(included={Facet.TOPIC: ("cx-design",)})
    total, by_category, by_kind = counted_both_ways(selection, list(Category.objects.all()))
    assert (total, by_category, by_kind) == direct(selection)
    assert total == 2
    stored_matches_a_recount()


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_no_counts_of_the_posts_it_deleted(hub_categories):
    """`manage.py flush` (and every transactional test's end) empties the tables one DELETE
    at a time on SQLite, in no fixed order: posts deleted after the counts' tables run their
    triggers again. Here the counts' tables go first, the worst order; after the flush's
    post_migrate the counts are empty, and the next posts are counted from zero."""
    from django.core.management.color import no_style
    from django.core.management.sql import emit_post_migrate_signal

    make_post(categories=["cx-design"])
    make_post(categories=[])
    make_post(categories=["cx-design", "healthcare-sector"], kind=Kind.PODCAST)
    counted = ["posts_maskcount", "posts_combination", "posts_categoryset"]
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    order = counted + [table for table in tables if table not in counted]
    # What `flush` runs, in that order.
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), order))
    emit_post_migrate_signal(0, False, connection.alias)

    assert not MaskCount.objects.exists()
    assert not Combination.objects.exists()
    assert not CategorySet.objects.exists()
    make_category(name="about CX design", slug="cx-design", facet=Facet.TOPIC)
    make_post(categories=["cx-design"])
    tally = Tally(Category.objects.all())
    assert tally.count(PostFilter()).total == 1
    assert tally.path == "masks"
    stored_matches_a_recount()


@pytest.mark.django_db(transaction=True)
def test_manage_py_flush_leaves_the_counts_right(hub_categories):
    from django.core.management import call_command

    make_post(categories=["cx-design"], kind=Kind.PODCAST)
    make_post(categories=[])
    call_command("flush", interactive=False, verbosity=0)
    assert not MaskCount.objects.exists()
    make_category(name="about CX design", slug="cx-design", facet=Facet.TOPIC)
    make_post(categories=["cx-design"])
    assert Tally(Category.objects.all()).count(PostFilter()).total == 1
    stored_matches_a_recount()
