"""The post page's "keep reading" parts: related posts, older/newer post, the way back to the
list, reading time and share links."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest
from django.utils import timezone

from posts import keepreading
from posts.keepreading import back_address, reading_minutes, related_posts, share_links
from posts.models import Post
from posts.selection import Facet
from tests.factories import make_category, make_event, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def cats():
    return {
        "topic": make_category(name="Journeys", facet=Facet.TOPIC, slug="t-journeys"),
        "focus": make_category(name="Focus on patients", facet=Facet.FOCUS, slug="f-patients"),
        "industry": make_category(name="Pharma", facet=Facet.INDUSTRY, slug="i-pharma"),
        "format": make_category(name="How-to", facet=Facet.FORMAT, slug="fm-howto"),
    }


def page_of(client, post, **params):
    url = post.get_absolute_url() + (f"?{urlencode(params)}" if params else "")
    return client.get(url)


def titles(links):
    return [link.title for link in links]


def test_related_posts_rank_by_weighted_shared_categories(cats):
    slugs = [c.slug for c in cats.values()]
    post = make_post(title="Subject", categories=slugs, days_ago=1)
    make_post(title="Format only", categories=["fm-howto"], days_ago=2)
    make_post(title="Topic only", categories=["t-journeys"], days_ago=5)
    make_post(title="Industry and format", categories=["i-pharma", "fm-howto"], days_ago=3)
    make_post(title="Topic and industry", categories=["t-journeys", "i-pharma"], days_ago=9)
    make_post(title="Unrelated", categories=[], days_ago=2)
    post = Post.objects.with_categories().get(pk=post.pk)
    # 5, 3 (topic, older) vs 3 (industry+format, newer): equal scores go newest first.
    assert titles(related_posts(post)) == [
        "Topic and industry",
        "Industry and format",
        "Topic only",
        "Format only",
    ]


def test_related_posts_recency_breaks_ties_and_at_most_four(cats):
    post = make_post(title="Subject", categories=["t-journeys"], days_ago=0.5)
    for n in range(6):
        make_post(title=f"Same topic {n}", categories=["t-journeys"], days_ago=1 + n)
    post = Post.objects.with_categories().get(pk=post.pk)
    assert titles(related_posts(post)) == [f"Same topic {n}" for n in range(4)]


def test_related_posts_only_visible_never_itself(cats):
    post = make_post(title="Subject", categories=["t-journeys"], days_ago=1)
    make_post(title="Draft", categories=["t-journeys"], status=Post.Status.DRAFT)
    make_post(title="Scheduled", categories=["t-journeys"], days_ago=-2)
    make_post(title="Visible", categories=["t-journeys"], days_ago=3)
    post = Post.objects.with_categories().get(pk=post.pk)
    assert titles(related_posts(post)) == ["Visible"]


def test_candidates_are_bounded_per_category(cats, monkeypatch):
    # Only a category's newest posts (by id, the subject included) are candidates: older ones
    # are never read, however many the category has.
    monkeypatch.setattr(keepreading, "CANDIDATES_PER_CATEGORY", 3)
    make_post(title="Old", categories=["t-journeys"], days_ago=30)
    for n in range(3):
        make_post(title=f"New {n}", categories=["t-journeys"], days_ago=2 + n)
    post = make_post(title="Subject", categories=["t-journeys"], days_ago=1)
    post = Post.objects.with_categories().get(pk=post.pk)
    assert titles(related_posts(post)) == ["New 1", "New 2"]
    monkeypatch.setattr(keepreading, "CANDIDATES_PER_CATEGORY", 200)
    assert titles(related_posts(post)) == ["New 0", "New 1", "New 2", "Old"]


def test_post_page_query_count_and_cache(client, cats, django_assert_max_num_queries):
    post = make_post(title="Subject", categories=["t-journeys", "i-pharma"], days_ago=1)
    for n in range(5):
        make_post(categories=["t-journeys"], days_ago=2 + n)
    # version, post, its categories, related (one query), older and newer (one query)
    with django_assert_max_num_queries(5):
        assert page_of(client, post).status_code == 200
    # Cached under the content version: the version, the post and its categories only.
    with django_assert_max_num_queries(3):
        response = page_of(client, post, **{"from": "/?topic=t-journeys"})
    assert response.status_code == 200
    assert len(response.context["keep_reading"].related) == 4


def test_older_and_newer_at_the_edges(client):
    oldest = make_post(title="Oldest", days_ago=10)
    middle = make_post(title="Middle", days_ago=5)
    newest = make_post(title="Newest", days_ago=1)
    make_post(title="Draft", status=Post.Status.DRAFT, days_ago=3)
    make_post(title="Scheduled", days_ago=-1)
    ctx = page_of(client, middle).context["keep_reading"]
    assert (ctx.previous.title, ctx.next.title) == ("Oldest", "Newest")
    ctx = page_of(client, oldest).context["keep_reading"]
    assert ctx.previous is None and ctx.next.title == "Middle"
    ctx = page_of(client, newest).context["keep_reading"]
    assert ctx.previous.title == "Middle" and ctx.next is None
    html = page_of(client, middle).content.decode()
    assert "Older post" in html and "Newer post" in html


def test_older_and_newer_with_the_same_date():
    at = timezone.now() - timedelta(days=1)
    a = make_post(title="A", published_at=at)
    b = make_post(title="B", published_at=at)
    c = make_post(title="C", published_at=at)
    assert keepreading.neighbour(b, older=True).title == "A"
    assert keepreading.neighbour(b, older=False).title == "C"
    assert keepreading.neighbour(a, older=True) is None
    assert keepreading.neighbour(c, older=False) is None


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "//evil.example/?topic=x",
        "https://evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\\evil.example",
        "\\\\evil.example",
        " /",
        "/post/some-post/",
        "/admin/",
        "/nowhere/",
        "/category/x/#frag",
        "/?" + "a" * 2000,
        "",
    ],
)
def test_hostile_back_addresses_are_refused(client, value):
    assert back_address(value) is None
    post = make_post(title="Subject")
    response = page_of(client, post, **{"from": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Back to the list" not in html
    assert 'href="/">← All posts' in html
    assert "javascript:" not in html and "//evil.example" not in html


def test_back_address_is_rebuilt_from_its_parts():
    assert back_address("/?topic=cx-design&industry=pharma") == "/?topic=cx-design&industry=pharma"
    assert back_address("/category/cx-design/?page=2") == "/category/cx-design/?page=2"
    assert back_address('/?q="><script>') == "/?q=%22%3E%3Cscript%3E"
    assert back_address("/events/past/") == "/events/past/"


def test_a_card_leads_back_to_the_same_filtered_list(client, cats):
    make_post(title="Subject", categories=["t-journeys", "i-pharma"])
    listing = "/?topic=t-journeys&industry=i-pharma"
    html = client.get(listing).content.decode()
    link = "/post/subject/?" + urlencode({"from": listing})
    assert f'href="{link}"' in html.replace("&amp;", "&")
    page = client.get(link)
    back = page.content.decode().replace("&amp;", "&")
    assert f'<a href="{listing}">← Back to the list</a>' in back
    # The canonical address is the post's own, without the way back.
    assert '<link rel="canonical" href="https://hub.example.org/post/subject/">' in back
    assert page.headers["ETag"] != client.get("/post/subject/").headers["ETag"]
    assert client.get(back_link := listing).status_code == 200 and back_link == listing


def test_related_links_carry_the_way_back(client, cats):
    post = make_post(title="Subject", categories=["t-journeys"], days_ago=1)
    make_post(title="Neighbour", slug="neighbour", categories=["t-journeys"], days_ago=2)
    html = page_of(client, post, **{"from": "/category/t-journeys/"}).content.decode()
    assert 'href="/post/neighbour/?from=%2Fcategory%2Ft-journeys%2F"' in html


def test_plain_home_page_cards_have_plain_links(client):
    make_post(title="Subject", slug="subject")
    html = client.get("/").content.decode()
    assert 'href="/post/subject/"' in html and "from=" not in html


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (10, 1), (230, 1), (460, 2), (920, 4), (1000, 4)]
)
def test_reading_minutes(words, minutes):
    assert reading_minutes("<p>" + "word " * words + "</p>") == minutes


def test_reading_time_on_the_page(client):
    post = make_post(title="Long", body="<p>" + "word " * 920 + "</p>")
    assert "4 min read" in page_of(client, post).content.decode()


def test_share_links_are_encoded():
    links = share_links("https://hub.example.org/post/a-b/?x=1&y=2", "Patients & “care”: a #1?")
    assert links.linkedin == (
        "https://www.linkedin.com/sharing/share-offsite/?url="
        "https%3A%2F%2Fhub.example.org%2Fpost%2Fa-b%2F%3Fx%3D1%26y%3D2"
    )
    assert links.email == (
        "mailto:?subject=" + quote("Patients & “care”: a #1?", safe="")
        + "&body=https%3A%2F%2Fhub.example.org%2Fpost%2Fa-b%2F%3Fx%3D1%26y%3D2"
    )  # fmt: skip
    assert "%20" in links.email and "+" not in links.email


def test_share_block_on_the_page_without_javascript(client):
    post = make_post(title="Share me", slug="share-me")
    html = page_of(client, post, **{"from": "/?topic=x"}).content.decode()
    # The canonical address, never the one with the way back, is what is shared.
    assert 'value="https://hub.example.org/post/share-me/" readonly' in html
    assert "share-offsite/?url=https%3A%2F%2Fhub.example.org%2Fpost%2Fshare-me%2F" in html
    assert "mailto:?subject=Share%20me&amp;body=https%3A%2F%2Fhub.example.org" in html
    assert 'data-copy="share-url" hidden' in html
    assert "js/share.js" in html


def test_a_card_in_the_archive_leads_back_to_the_same_month(client, cats):
    make_post(
        title="Archived",
        categories=["t-journeys"],
        published_at=datetime(2025, 3, 14, 9, tzinfo=UTC),
    )
    listing = "/archive/2025/03/?topic=t-journeys"
    html = client.get(listing).content.decode().replace("&amp;", "&")
    link = "/post/archived/?" + urlencode({"from": listing})
    assert f'href="{link}"' in html
    back = client.get(link).content.decode().replace("&amp;", "&")
    assert f'<a href="{listing}">← Back to the list</a>' in back


@pytest.mark.parametrize(
    ("listing", "days"),
    [
        ("/events/?topic=t-journeys", 3),
        ("/events/past/?topic=t-journeys", -3),
        # A past event on the first events page, under "Recent past events".
        ("/events/?topic=t-journeys", -3),
    ],
)
def test_an_event_in_an_events_list_leads_back_to_that_list(client, cats, listing, days):
    start = timezone.now() + timedelta(days=days)
    make_event(title="Patient day", slug="patient-day", start=start, categories=["t-journeys"])
    html = client.get(listing).content.decode().replace("&amp;", "&")
    link = "/post/patient-day/?" + urlencode({"from": listing})
    # Both the title and "Details".
    assert html.count(f'href="{link}"') == 2
    assert 'href="/post/patient-day/"' not in html
    back = client.get(link).content.decode().replace("&amp;", "&")
    assert f'<a href="{listing}">← Back to the list</a>' in back


def test_an_events_page_after_the_first_is_the_way_back(client, cats, settings):
    settings.POSTS_PER_PAGE = 1
    soon = timezone.now() + timedelta(days=1)
    make_event(title="First", start=soon)
    make_event(title="Second", slug="second", start=soon + timedelta(days=1))
    html = client.get("/events/?page=2").content.decode()
    assert 'href="/post/second/?from=%2Fevents%2F%3Fpage%3D2"' in html


def test_the_home_pages_next_events_are_plain_links_back_to_the_home_page(client):
    make_event(title="Patient day", slug="patient-day", start=timezone.now() + timedelta(days=3))
    html = client.get("/").content.decode()
    assert 'class="next-events"' in html
    # The plain home page is where a post page's ordinary "All posts" link leads anyway.
    assert 'href="/post/patient-day/"' in html and "from=" not in html
