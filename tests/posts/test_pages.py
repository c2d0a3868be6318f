import pytest

from tests.factories import make_post


@pytest.fixture
def many_posts(db):
    return [
        make_post(title=f"Numbered post {n:02d}", categories=["cx-strategy"]) for n in range(45)
    ]


def test_home_lists_twenty_newest_posts_per_page(client, many_posts):
    response = client.get("/")
    shown = [p.title for p in response.context["posts"]]
    assert shown == [f"Numbered post {n:02d}" for n in range(20)]
    assert response.context["page"].paginator.num_pages == 3
    html = response.content.decode()
    assert 'rel="next"' in html
    assert "You have reached the end of the list." not in html


def test_last_page_says_it_is_the_end(client, many_posts):
    response = client.get("/?page=3")
    assert [p.title for p in response.context["posts"]][-1] == "Numbered post 44"
    assert "You have reached the end of the list." in response.content.decode()


@pytest.mark.parametrize(
    "page, message",
    [
        ("4", "There is no page 4: this list has 3 pages."),
        ("0", "There is no page 0"),
        ("-1", "There is no page -1"),
        ("abc", "is not a page number"),
        ("1.5", "is not a page number"),
        ("99999999999999999999999", "There is no page 99999999999999999999999"),
        ("", "is not a page number"),
    ],
)
def test_bad_page_numbers_get_a_clear_404(client, many_posts, page, message):
    response = client.get(f"/?page={page}")
    assert response.status_code == 404
    assert message in response.content.decode()


def test_category_pages_paginate_with_their_filters(client, many_posts):
    response = client.get("/category/cx-strategy/?page=2")
    assert response.status_code == 200
    assert 'href="/category/cx-strategy/?page=3"' in response.content.decode()
    assert 'href="/category/cx-strategy/?page=1"' in response.content.decode()


def test_empty_hub_shows_a_friendly_message(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "There are no posts yet." in response.content.decode()


def test_unknown_category_is_404(client, db):
    response = client.get("/category/no-such-category/")
    assert response.status_code == 404
    assert "There is no category “no-such-category”." in response.content.decode()


def test_unknown_post_is_404(client, db):
    assert client.get("/post/nothing-here/").status_code == 404


def test_card_shows_title_date_excerpt_chips_kind_and_link(client, db):
    make_post(
        title="Toyota GB listens",
        excerpt="How insight communities feed the 360-degree view.",
        categories=["real-life-examples", "automotive-industry"],
        kind="video",
        link="https://example.org/toyota",
    )
    html = client.get("/").content.decode()
    for expected in [
        "Toyota GB listens",
        "How insight communities feed the 360-degree view.",
        'href="/category/automotive-industry/"',
        "being real life examples",
        "Video",
        'href="https://example.org/toyota"',
        "<time datetime=",
    ]:
        assert expected in html


def test_detail_page_shows_categories_and_external_link(client, db):
    post = make_post(
        title="Hafners CX Podcast episode",
        categories=["cx-strategy", "healthcare-sector"],
        kind="podcast",
        link="https://example.org/podcast/42",
        body="<p>We talked about CX in pharma.</p>",
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<p>We talked about CX in pharma.</p>" in html
    assert 'href="https://example.org/podcast/42"' in html
    assert "Open the podcast episode" in html
    assert 'href="/category/healthcare-sector/"' in html


def test_navigation_lists_every_facet_with_counts(client, many_posts):
    html = client.get("/").content.decode()
    for label in ["Topic", "Format", "Industry", "Focus", "Series", "More"]:
        assert f">{label}</h3>" in html
    assert 'aria-label="45 posts"' in html
    assert "(no posts with these filters)" in html
