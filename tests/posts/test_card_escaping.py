"""Cards, event lists, the facet panel and category chips are built in Python (posts.cards,
posts.panel) for speed; whatever editors and feeds wrote still reaches the page as text."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from posts.models import Post
from tests.factories import make_category, make_event, make_post

HOSTILE = '<script>alert("x")</script> & \'q\' <b>bold</b> "end"'


class Page(HTMLParser):
    """The elements and the text of a page as a browser reads them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.attributes += [value or "" for _, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def hostile(db):
    category = make_category(name=HOSTILE, facet="other", slug="hostile")
    now = timezone.now()
    common = {"excerpt": HOSTILE, "categories": ["cx-design", "hostile"]}
    make_post(title=f"Article {HOSTILE} journey", link="https://example.com/?a=1&b=<2>", **common)
    make_post(
        title=f"Quote {HOSTILE}",
        kind="quote",
        quote_text=HOSTILE,
        quote_author=HOSTILE,
        categories=["hostile"],
    )
    make_post(title=f"Case {HOSTILE}", kind="case-study", case_organisation=HOSTILE, **common)
    make_post(title=f"Podcast {HOSTILE}", kind="podcast", media_host=HOSTILE, **common)
    make_event(
        title=f"Event {HOSTILE}",
        start=now + timedelta(days=3),
        event_place=HOSTILE,
        event_status="cancelled",
        **common,
    )
    make_event(title=f"Past {HOSTILE}", start=now - timedelta(days=3), **common)
    return category


def read(client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    # Escaped once: never left raw, never escaped twice.
    assert "<b>bold" not in html and "&amp;amp;" not in html and "&amp;lt;" not in html
    return Page(html)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?q=journey",
        "/category/hostile/",
        "/?not=hostile",
        "/?kind=quote",
        "/?kind=case-study",
        "/?kind=podcast",
        "/events/",
        "/events/past/",
        "/events/?other=hostile",
    ],
)
def test_hostile_text_reaches_listings_as_text(client, hostile, url):
    page = read(client, url)
    assert not [tag for tag, _ in page.tags if tag == "b"]
    # The page's own scripts only: files and JSON-LD.
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert all("src" in attrs or attrs.get("type") == "application/ld+json" for attrs in scripts)
    # What the editor wrote shows as written: in the text (a title, the category's option in
    # the panel) and in attributes (the panel's "Leave out …" titles).
    text = "".join(page.text)
    assert HOSTILE in text
    if "/events/" not in url:
        assert f"Leave out {HOSTILE}" in page.attributes or f"Stop leaving out {HOSTILE}" in (
            page.attributes
        )


def test_search_marks_words_inside_escaped_titles(client, hostile):
    html = client.get("/?q=journey").content.decode()
    assert "&lt;/b&gt; &quot;end&quot; <mark>journey</mark>" in html


def test_card_chips_and_the_post_page_chips_are_the_same_links(client, hostile):
    listing = client.get("/").content.decode()
    chip = (
        '<li><a class="chip chip--other" href="/category/hostile/">'
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27; "
        "&lt;b&gt;bold&lt;/b&gt; &quot;end&quot;</a></li>"
    )
    assert chip in listing
    post = Post.objects.get(title=f"Article {HOSTILE} journey")
    post_page = client.get(post.get_absolute_url())
    assert chip in post_page.content.decode()
