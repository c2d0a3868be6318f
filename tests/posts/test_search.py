"""Full-text search (posts.search): stemming, ranking, order switch, filters, counts, the index
kept in step with every kind of write, highlighting, and hostile input. Runs on SQLite (FTS5)
and on PostgreSQL (tsvector) with `.ci/test`."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts import filters, search
from posts.models import Category, Post
from posts.selection import PostFilter
from tests.dbwork import database_work
from tests.factories import make_post, make_posts_in_bulk

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return sorted(Post.objects.search(query.split()).values_list("title", flat=True))


def listed(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [post.title for post in response.context["posts"]]


def counts(response) -> dict[str, int]:
    return {o.category.slug: o.count for g in response.context["facets"] for o in g.options}


# --- Matching ---------------------------------------------------------------------------------


def test_words_are_stemmed():
    make_post(title="Measuring what patients feel", body="<p>Surveys.</p>")
    make_post(title="Journey maps", body="<p>Drawn on walls.</p>")
    make_post(title="Unrelated", body="<p>Nothing to see.</p>")
    assert found("measure") == ["Measuring what patients feel"]
    assert found("mapping") == ["Journey maps"]
    assert found("MAP") == ["Journey maps"]


def test_every_word_must_match_in_any_of_title_excerpt_and_body():
    make_post(title="Voice of the customer", excerpt="Listening at scale", body="<p>Pharma.</p>")
    make_post(title="Voice of the employee", body="<p>Retail.</p>")
    assert found("voice listening pharma") == ["Voice of the customer"]
    assert found("voice automotive") == []
    assert found("voice") == ["Voice of the customer", "Voice of the employee"]


def test_html_tags_of_the_body_are_not_words_on_postgresql_and_text_is():
    make_post(title="Plain", body="<p>An <strong>omnichannel</strong> launch.</p>")
    assert found("omnichannel") == ["Plain"]


def test_drafts_and_scheduled_posts_are_not_found(client):
    make_post(title="Onboarding draft", status=Post.Status.DRAFT)
    make_post(title="Onboarding soon", days_ago=-3)
    make_post(title="Onboarding live")
    assert listed(client, "/?q=onboarding") == ["Onboarding live"]


# --- Order ------------------------------------------------------------------------------------


def test_title_match_ranks_above_excerpt_match_above_body_match(client):
    # The body match is the newest and the title match the oldest: relevance must win.
    make_post(title="Notes", body="<p>On adherence programmes.</p>", days_ago=1)
    make_post(title="Field notes", excerpt="Adherence in practice", days_ago=2)
    make_post(title="Adherence that lasts", days_ago=3)
    assert listed(client, "/?q=adherence") == ["Adherence that lasts", "Field notes", "Notes"]


def test_newest_first_switch_orders_by_date_and_keeps_the_matches(client):
    make_post(title="Notes", body="<p>On adherence programmes.</p>", days_ago=1)
    make_post(title="Field notes", excerpt="Adherence in practice", days_ago=2)
    make_post(title="Adherence that lasts", days_ago=3)
    make_post(title="Other", days_ago=0)
    response = client.get("/?q=adherence&sort=newest")
    assert [p.title for p in response.context["posts"]] == [
        "Notes",
        "Field notes",
        "Adherence that lasts",
    ]
    html = response.content.decode()
    # The switch links back to relevance and keeps the search; the canonical link keeps sort.
    assert 'href="/?q=adherence">Best match first</a>' in html
    assert '<span aria-current="true">Newest first</span>' in html
    relevance = client.get("/?q=adherence").content.decode()
    assert 'href="/?q=adherence&amp;sort=newest">Newest first</a>' in relevance


def test_an_unknown_order_is_a_notice_not_an_error(client):
    make_post(title="Adherence that lasts")
    response = client.get("/?q=adherence&sort=<b>oldest</b>")
    assert response.status_code == 200
    notices = response.context["selection"].notices
    assert any("is not an order this list knows" in n for n in notices)
    assert "<b>oldest</b>" not in response.content.decode()
    assert [p.title for p in response.context["posts"]] == ["Adherence that lasts"]


def test_no_order_switch_without_a_search(client):
    make_post(title="Adherence that lasts")
    response = client.get("/?sort=newest")
    assert response.status_code == 200
    assert response.context["sort_links"] == []
    assert response.context["selection"].get_absolute_url() == "/"


# --- Filters, pages, counts --------------------------------------------------------------------


def test_search_combines_with_a_facet_and_pagination(client, settings):
    settings.POSTS_PER_PAGE = 2
    for n in range(5):
        make_post(title=f"Adherence story {n}", categories=["cx-design"], days_ago=n + 1)
    make_post(title="Adherence elsewhere", categories=["cx-strategy"])
    make_post(title="Design without the word", categories=["cx-design"])
    first = client.get("/?q=adherence&topic=cx-design&sort=newest")
    assert first.context["page"].paginator.count == 5
    assert [p.title for p in first.context["posts"]] == ["Adherence story 0", "Adherence story 1"]
    third = client.get("/?q=adherence&topic=cx-design&sort=newest&page=3")
    assert [p.title for p in third.context["posts"]] == ["Adherence story 4"]
    # Relevance order pages through the same five posts, each once.
    seen = []
    for page in (1, 2, 3):
        seen += listed(client, f"/?q=adherence&topic=cx-design&page={page}")
    assert sorted(seen) == [f"Adherence story {n}" for n in range(5)]
    assert client.get("/?q=adherence&topic=cx-design&page=4").status_code == 404


def test_counts_beside_categories_follow_the_search(client):
    make_post(title="Adherence in design", categories=["cx-design", "healthcare-sector"])
    make_post(title="Adherence in strategy", categories=["cx-strategy"])
    make_post(title="Design only", categories=["cx-design", "healthcare-sector"])
    response = client.get("/?q=adherence")
    got = counts(response)
    assert got["cx-design"] == 1
    assert got["cx-strategy"] == 1
    assert got["healthcare-sector"] == 1
    # With a topic chosen, the other topic's count still answers "if I also pick it".
    got = counts(client.get("/?q=adherence&topic=cx-design"))
    assert got["cx-strategy"] == 1
    assert got["healthcare-sector"] == 1


def test_heading_says_what_was_searched_and_words_are_marked(client):
    make_post(
        title="Journey mapping <in> practice & more",
        excerpt="Maps of what patients go through.",
        categories=["cx-design"],
    )
    response = client.get("/?q=journey+maps&topic=cx-design")
    html = response.content.decode()
    assert response.context["heading"] == ("1 post matching “journey maps”, about CX design")
    assert "<mark>Journey</mark> <mark>mapping</mark> &lt;in&gt; practice &amp; more" in html
    assert "<mark>Maps</mark> of what patients go through." in html


@pytest.mark.parametrize(
    ("terms", "text", "marked"),
    [
        (
            ["maps"],
            "Map, maps and mapping",
            "<mark>Map</mark>, <mark>maps</mark> and <mark>mapping</mark>",
        ),
        (["mapping"], "A map", "A <mark>map</mark>"),
        (["measure"], "Measuring measures", "<mark>Measuring</mark> <mark>measures</mark>"),
        (["journey"], "Journeys", "<mark>Journeys</mark>"),
        # Short words only as they are; a longer word is not a prefix for any word.
        (["a"], "a patient and an ally", "<mark>a</mark> patient and an ally"),
        (["care"], "care, career, cares", "<mark>care</mark>, career, <mark>cares</mark>"),
    ],
)
def test_marks_follow_stems_but_not_prefixes(terms, text, marked):
    assert search.highlight(text, terms) == marked


def test_marks_never_land_inside_entities_or_tags():
    marked = search.highlight('Tom & Jerry\'s <quote> "amp"', ["amp", "quot", "x27"])
    assert marked == (
        "Tom &amp; Jerry&#x27;s &lt;<mark>quote</mark>&gt; &quot;<mark>amp</mark>&quot;"
    )
    assert search.highlight("<b>", []) == "&lt;b&gt;"


def test_the_search_box_is_on_every_page(client):
    post = make_post(title="Anything")
    for url in ["/", post.get_absolute_url(), "/category/cx-design/", "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert 'role="search"' in html
        assert 'name="q"' in html


# --- The index kept in step with every write ----------------------------------------------------


def test_index_follows_save_update_and_delete():
    post = make_post(title="Adherence that lasts")
    assert found("adherence") == ["Adherence that lasts"]
    post.title = "Persistence that lasts"
    post.save()
    assert found("adherence") == []
    assert found("persistence") == ["Persistence that lasts"]
    Post.objects.filter(pk=post.pk).update(excerpt="Onboarding done well")
    assert found("onboarding") == ["Persistence that lasts"]
    Post.objects.filter(pk=post.pk).update(body="<p>Kiosks.</p>", excerpt="")
    assert found("onboarding") == []
    assert found("kiosk") == ["Persistence that lasts"]
    # A change of other columns leaves the entry alone (and in place).
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
    assert found("kiosk") == ["Persistence that lasts"]
    post.delete()
    assert found("kiosk") == []
    make_post(title="Kiosk two")
    make_post(title="Kiosk three")
    Post.objects.filter(title__startswith="Kiosk").delete()
    assert found("kiosk") == []


def test_index_follows_bulk_creation():
    Post.objects.create_many(
        [Post(title="Bulk adherence one"), Post(title="Bulk adherence two", excerpt="Omnichannel")],
        wanted_slugs=["", ""],
    )
    Post.objects.bulk_create([Post(title="Raw bulk", slug="raw-bulk", body="<p>Adherence</p>")])
    assert found("adherence") == ["Bulk adherence one", "Bulk adherence two", "Raw bulk"]
    assert found("omnichannel") == ["Bulk adherence two"]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_triggers_come_back_after_a_table_rebuild_drops_them():
    make_post(title="Adherence that lasts")
    with connection.cursor() as cursor:
        # What a later migration's table rebuild does to them.
        for name in search.TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    make_post(title="Adherence unseen")
    assert found("adherence") == ["Adherence that lasts"]
    search.install(connection)  # run after every migrate (posts.apps)
    assert found("adherence") == ["Adherence that lasts", "Adherence unseen"]
    make_post(title="Adherence seen")
    assert len(found("adherence")) == 3


# --- Hostile input ------------------------------------------------------------------------------

HOSTILE = [
    '"',
    "'",
    '"adherence',
    "adherence'",
    "adherence OR kiosk",
    "NOT adherence",
    "adherence NOT kiosk",
    "NEAR(adherence kiosk)",
    "adherence*",
    "*",
    "--",
    "adherence -- ",
    "'; DROP TABLE posts_post; --",
    "title:adherence",
    "adherence^",
    "(adherence",
    "adherence AND",
    "{adherence}",
    "a & b | !c <-> d",
    "😀 adherence",
    "😀",
    "Qualität ädherence",
    "日本語",
    "\u0000adherence",
    "adherence " * 1000,
    "x" * 10_000,
    "%",
    "_",
    "\\",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("order", ["", "&sort=newest"])
def test_hostile_searches_never_error_and_answer_sensibly(client, query, order):
    make_post(title="Adherence that lasts", categories=["cx-design"])
    make_post(title="Kiosk check-in", categories=["cx-design"])
    response = client.get("/", {"q": query, "sort": order.removeprefix("&sort=")})
    assert response.status_code == 200
    titles = [post.title for post in response.context["posts"]]
    words = {w.casefold() for w in re.findall(r"\w+", query)}
    if words == {"adherence"}:
        # Operators and punctuation are not syntax: only the word is looked for.
        assert titles == ["Adherence that lasts"]
    assert "Kiosk check-in" not in titles or "kiosk" in words
    assert Post.objects.count() == 2  # nothing was dropped
    assert client.get("/", {"q": query, "topic": "cx-design"}).status_code == 200


@pytest.mark.parametrize("walk", ["tested", "listed"])
@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_searches_past_the_count_limit_never_error(client, monkeypatch, query, walk):
    """Past COUNT_LIMIT a page is read post by post against the index (SQLite: an EXISTS on
    FTS5 per post) or against the listed matches (an IN of FTS5's rowids), other ways for the
    reader's text to reach the database."""
    monkeypatch.setattr(search, "COUNT_LIMIT", 1)
    monkeypatch.setattr(filters, "TESTED_SHARE", 0.0 if walk == "tested" else 2.0)
    make_post(title="Adherence that lasts", categories=["cx-design"], days_ago=1)
    make_post(title="Adherence again", categories=["cx-design"], days_ago=2)
    for extra in ({}, {"topic": "cx-design"}, {"sort": "newest"}):
        response = client.get("/", {"q": query, **extra})
        assert response.status_code == 200
        if {w.casefold() for w in re.findall(r"\w+", query)} == {"adherence"}:
            assert [p.title for p in response.context["posts"]] == ["Adherence that lasts"]
            assert response.context["heading"].startswith("More than 1 post")
    assert Post.objects.count() == 2


def test_a_walk_past_the_count_limit_tests_each_post_or_looks_it_up_by_the_share_of_matches(
    client, monkeypatch, settings
):
    """Past COUNT_LIMIT a search's page is a walk of the posts newest first. When most posts
    match, each post walked is tested against the index; when fewer do, it is looked up in the
    listed matches (listing every post would cost more than the few tests a page needs, testing
    each of many posts more than listing the few matches). Both list the same posts."""
    from django.http import QueryDict

    from posts.filters import Listing

    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    settings.POSTS_PER_PAGE = 2
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for n in range(16):
        body = "<p>Adherence.</p>" if n % 4 == 0 else "<p>Other.</p>"
        make_post(title=f"Customer story {n}", body=body, days_ago=n)

    def walk(query: str) -> str:
        return Listing.from_request(QueryDict(f"q={query}&sort=newest")).search_via

    assert walk("customer") == "posts"  # every post
    assert walk("adherence") == "list"  # one in four

    pages = {}
    for share in (0.0, 2.0):  # always tested, always listed
        monkeypatch.setattr(filters, "TESTED_SHARE", share)
        for query in ("customer", "adherence"):
            for page in (1, 2):
                url = f"/?q={query}&sort=newest&page={page}"
                pages.setdefault(url, []).append(listed(client, url))
    for url, (tested, looked_up) in pages.items():
        assert tested == looked_up, url
    assert pages["/?q=adherence&sort=newest&page=1"][0] == [
        "Customer story 0",
        "Customer story 4",
    ]


# The statistics ANALYZE gathered at 100,000 generated posts (the benchmark's), under which
# SQLite would rather drive an IN from the list of matches.
STATS_AT_100K = [
    ("posts_post", "post_visibility", "100000 50000 1 1"),
    ("posts_post", "post_kind_visibility", "100000 12500 6250 1"),
    ("posts_post", "sqlite_autoindex_posts_post_1", "100000 1"),
]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_listed_walk_reads_the_posts_index_in_order_not_the_list_sorted():
    """With the statistics of a large archive, SQLite would drive an IN of the matches from
    the list and sort them all (0.2 s for a word in every post at 100,000); the unary plus
    keeps it on the visibility index, newest first."""
    make_post(title="Adherence")
    query = Post.objects.published().search(["adherence"], via="list").newest_first()[:20]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", STATS_AT_100K)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads them again
        try:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " / ".join(row[-1] for row in cursor.fetchall())
            cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("+", "", 1), params)
            without_plus = " / ".join(row[-1] for row in cursor.fetchall())
        finally:
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")
    assert "post_visibility" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    # The control: the same query without the plus sorts the list.
    assert "TEMP B-TREE" in without_plus, without_plus
    assert list(query.values_list("title", flat=True)) == ["Adherence"]


def test_a_search_pages_panel_evaluates_its_matches_once_per_scope():
    """The categories and the kinds of a search's panel count the same selection over the
    same matches: one tally per scope, which remembers what it counted."""
    from django.http import QueryDict

    from posts.filters import EVENTS, EVERY_POST, Listing

    make_post(title="Adherence", categories=["cx-design"])
    listing = Listing.from_request(QueryDict("q=adherence&topic=cx-design"))
    tally = listing.counting(EVERY_POST)
    assert listing.counting(EVERY_POST) is tally
    assert listing.counting(EVENTS) is not tally
    listing.facet_groups(EVERY_POST)
    counted = dict(tally._memo)
    assert counted
    listing.kind_options(EVERY_POST)
    assert tally._memo == counted  # the kinds came from the same count


@pytest.mark.parametrize(
    "query",
    [
        "q=adherence&topic=cx-design",
        "q=adherence&topic=cx-design,cx-strategy&industry=healthcare-sector",
        "q=adherence&not=cx-design",
        "q=adherence&topic=cx-strategy&not=healthcare-sector",
        "q=adherence&kind=podcast",
        "q=adherence&topic=cx-design&not-kind=podcast",
        "q=adherence&industry=healthcare-sector&kind=article&kind=event",
        "q=adherence&topic=no-such-category",
        "q=nothing+matches&topic=cx-design",
    ],
)
def test_a_search_total_by_masks_is_the_count_of_the_posts(query):
    """PostgreSQL counts a search's total with filters over the matches' category masks
    (`search_total_by_masks`); the same SQL runs on SQLite here, and both must equal a count
    of the posts themselves, also where the count stops at its limit."""
    from django.http import QueryDict

    from posts.filters import Listing, search_total_by_masks

    kinds = ["article", "podcast", "event"]
    sets = [["cx-design"], ["cx-design", "healthcare-sector"], ["cx-strategy"], [],
            ["cx-strategy", "healthcare-sector", "patient-experience"]]  # fmt: skip
    for n in range(30):
        body = "<p>Adherence.</p>" if n % 3 else "<p>Other.</p>"
        make_post(body=body, categories=sets[n % len(sets)], kind=kinds[n % 3], days_ago=n)
    make_post(body="<p>Adherence.</p>", categories=["cx-design"], status=Post.Status.DRAFT)
    listing = Listing.from_request(QueryDict(query))
    selection = listing.selection
    expected = Post.objects.published().matching(selection).count()
    assert search_total_by_masks(selection, listing.categories, 1000) == expected
    assert search_total_by_masks(selection, listing.categories, 3) == min(expected, 3)
    if "no-such" not in query and "nothing" not in query:
        assert expected > 0


def test_a_search_total_by_masks_gives_way_past_the_bits(hub_categories):
    """A category past the 62 bits has none (posts.combinations): the masks cannot say."""
    from posts.filters import search_total_by_masks

    late = Category(name="late", slug="late", facet="topic", bit=None)
    categories = [*Category.objects.all(), late]
    selection = PostFilter(query="adherence", included={"topic": ("late",)})
    assert search_total_by_masks(selection, categories, 1000) is None
    excluded = PostFilter(query="adherence", excluded=("late",))
    assert search_total_by_masks(excluded, categories, 1000) is None


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_counts_a_capped_search_with_filters_by_masks(client, monkeypatch, settings):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for n in range(8):
        make_post(body="<p>Adherence.</p>", categories=["cx-design"] if n % 2 else [])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/?q=adherence&topic=cx-design")
    assert response.context["heading"].startswith("More than 3 posts")
    assert [q for q in queries if "LEFT JOIN posts_categoryset AS c" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/?q=adherence&topic=cx-design,cx-strategy&not=cx-strategy")
    assert response.context["heading"].startswith("More than 3 posts")


def test_words_of_operators_are_plain_words():
    make_post(title="Adherence or persistence")
    make_post(title="Kiosk check-in")
    # "or" is a word to find here, not an alternative: the kiosk post does not match.
    assert found("adherence OR kiosk") == []


# --- Cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/?q=adherence", "/?q=adherence&topic=cx-design&sort=newest", "/?q=adherence&page=2"]
)
def test_search_pages_cost_the_same_queries_whatever_the_number_of_posts(client, settings, url):
    settings.POSTS_PER_PAGE = 3
    for n in range(4):
        make_post(title=f"Adherence {n}", categories=["cx-design", "healthcare-sector"])

    def cost() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = cost()
    for n in range(4, 12):
        make_post(title=f"Adherence {n}", categories=["cx-design", "cx-strategy"])
    assert cost() == few
    assert few <= 10


def test_past_the_rank_limit_a_search_is_newest_first_and_says_so(client, monkeypatch):
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    make_post(title="Adherence that lasts", days_ago=3)
    make_post(title="Notes", body="<p>On adherence.</p>", days_ago=1)
    make_post(title="Field notes", excerpt="Adherence in practice", days_ago=2)
    response = client.get("/?q=adherence")
    assert [p.title for p in response.context["posts"]] == [
        "Notes",
        "Field notes",
        "Adherence that lasts",
    ]
    html = response.content.decode()
    assert "More than 2 posts match, so they are listed newest first." in html
    assert '<span class="sort-switch__off">Best match first</span>' in html
    assert '<span aria-current="true">Newest first</span>' in html
    # Narrowed below the limit, the best match comes first again.
    narrowed = client.get("/?q=adherence+practice")
    assert [p.title for p in narrowed.context["posts"]] == ["Field notes"]
    assert "More than" not in narrowed.content.decode()


# --- Counting stops at COUNT_LIMIT ------------------------------------------------------------


def test_past_the_count_limit_the_page_says_more_than_and_lists_the_newest(
    client, settings, monkeypatch
):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    settings.POSTS_PER_PAGE = 2
    for n in range(3):
        make_post(title=f"Adherence in design {n}", categories=["cx-design"], days_ago=n + 1)
    for n in range(2):
        make_post(title=f"Adherence in strategy {n}", categories=["cx-strategy"], days_ago=n + 10)
    response = client.get("/?q=adherence")
    html = response.content.decode()
    assert response.context["heading"] == "More than 3 posts matching “adherence”"
    assert re.search(r'class="result-count"[^>]*>More than 3 posts, page 1 of 2<', html)
    # The counts are of 3 of the 5 matches, and the page says so.
    assert (
        "More than 3 posts match, so the newest 3 are listed, newest first, and the numbers "
        "beside the categories count 3 of the matches, as a guide." in html
    )
    assert "so they are listed newest first" not in html
    got = counts(response)
    assert got["cx-design"] + got["cx-strategy"] == 3
    assert [p.title for p in response.context["posts"]] == [
        "Adherence in design 0",
        "Adherence in design 1",
    ]
    assert listed(client, "/?q=adherence&page=2") == ["Adherence in design 2"]
    assert client.get("/?q=adherence&page=3").status_code == 404
    # Narrowed to the limit, the total is exact again; the counts are still of 3 matches.
    narrowed = client.get("/?q=adherence&topic=cx-strategy")
    assert narrowed.context["heading"] == "2 posts matching “adherence”, about CX strategy"
    assert "so the newest" not in narrowed.content.decode()
    assert "the numbers beside the categories count 3 of them" in narrowed.content.decode()
    # A search with no more matches than the limit is counted exactly, without the notes.
    exact = client.get("/?q=adherence+strategy")
    assert exact.context["heading"] == "2 posts matching “adherence strategy”"
    assert counts(exact)["cx-strategy"] == 2 and counts(exact)["cx-design"] == 0
    assert "as a guide" not in exact.content.decode()


def add_matching_posts(count: int, *, start: int) -> None:
    design = Category.objects.get(slug="cx-design")
    make_posts_in_bulk(count, design, start=start, title="Adherence", body="<p>On adherence.</p>")


def search_work(client, url: str) -> tuple[int, int]:
    if connection.vendor == "postgresql":
        # The test's rows are uncommitted, out of autovacuum's sight: gather statistics here.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE posts_post, posts_taggedpost, posts_categoryset")
    with CaptureQueriesContext(connection) as queries, database_work() as work:
        assert client.get(url).status_code == 200
    return work.units, len(queries)


@pytest.mark.parametrize(
    "url", ["/?q=adherence", "/?q=adherence&topic=cx-design", "/?q=adherence&sort=newest"]
)
def test_counting_a_search_reads_no_more_than_the_count_limit(client, settings, monkeypatch, url):
    """The total and the counts beside the categories read at most COUNT_LIMIT + 1 matches:
    five times the matches cost the database about the same work and the same queries."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    monkeypatch.setattr(search, "COUNT_LIMIT", 30)
    make_post(title="Something else", categories=["cx-strategy"])
    add_matching_posts(60, start=0)
    small, small_queries = search_work(client, url)
    add_matching_posts(300, start=1000)
    big, big_queries = search_work(client, url)
    assert big_queries == small_queries
    assert big < small * 1.5 + 2000, (small, big)
