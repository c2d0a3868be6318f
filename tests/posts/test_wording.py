"""Headings, chips and notices of the listing read as English for every facet."""

import pytest

from tests.factories import make_post


@pytest.fixture
def posts(db):
    make_post(title="Digital journey", body="<p>journey mapping online</p>",
              categories=["cx-design", "digital-experience"])  # fmt: skip
    make_post(title="Stop it", categories=["stop-it-mini-series", "inspirational-quote"])
    make_post(title="Hospital journey", body="<p>journey mapping in care</p>",
              categories=["cx-design", "healthcare-sector", "patient-experience"])  # fmt: skip


def heading(response) -> str:
    return response.context["heading"]


def chips(response) -> list[str]:
    return [chip["label"] for chip in response.context["chips"]]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Latest inspiration"),
        ("/category/cx-design/", "Posts about CX design"),
        ("/category/inspirational-quote/", "Posts being an inspirational quote"),
        ("/category/healthcare-sector/", "Posts by healthcare sector"),
        ("/category/digital-experience/", "Posts with a focus on digital experience"),
        ("/category/patient-experience/", "Posts with a focus on patient experience"),
        ("/category/stop-it-mini-series/", "Posts in the Stop-it mini series"),
        ("/category/broader-inspiration/", "Posts in “broader inspiration”"),
        ("/?not=stop-it-mini-series", "Posts not in the Stop-it mini series"),
        ("/?not=digital-experience", "Posts without a focus on digital experience"),
        ("/?not=cx-design", "Posts not about CX design"),
        (
            "/?topic=cx-design,cx-strategy&industry=healthcare-sector",
            "Posts about CX design or about CX strategy, by healthcare sector",
        ),
    ],
)
def test_heading_per_facet(client, posts, url, expected):
    response = client.get(url)
    assert heading(response) == expected
    assert f"<h1>{expected}</h1>" in response.content.decode()


def test_search_heading_says_what_was_searched_and_how_many_were_found(client, posts):
    assert heading(client.get("/?q=journey+mapping")) == "2 posts matching “journey mapping”"
    response = client.get("/?q=journey+mapping&topic=cx-design&focus=patient-experience")
    assert heading(response) == (
        "1 post matching “journey mapping”, about CX design, with a focus on patient experience"
    )
    assert heading(client.get("/?q=nothing+like+this")) == "0 posts matching “nothing like this”"


def test_chips_read_per_facet(client, posts):
    response = client.get(
        "/?topic=cx-design&format=inspirational-quote&industry=healthcare-sector"
        "&focus=digital-experience&series=stop-it-mini-series&other=broader-inspiration"
        "&not=patient-experience&q=journey"
    )
    assert chips(response) == [
        "about CX design",
        "being an inspirational quote",
        "by healthcare sector",
        "with a focus on digital experience",
        "in the Stop-it mini series",
        "in “broader inspiration”",
        "without a focus on patient experience",
        "matching “journey”",
    ]
    html = response.content.decode()
    assert "Topic:" not in html
    assert "Filtered posts" not in html


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("topic=healthcare-sector", "“by healthcare sector” is not a topic category"),
        ("format=cx-design", "“about CX design” is not a format category"),
        ("industry=cx-design", "“about CX design” is not an industry category"),
        ("focus=cx-design", "“about CX design” is not a focus category"),
        ("series=cx-design", "“about CX design” is not a series"),
        ("other=cx-design", "“about CX design” is not one of the other categories"),
    ],
)
def test_misplaced_category_notice_reads_as_english(client, posts, query, notice):
    notices = client.get(f"/?{query}").context["selection"].notices
    assert notices == (f"{notice}, so it was left out of the filter.",)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/events/", "Upcoming events"),
        ("/events/past/", "Past events"),
        ("/events/?topic=cx-design", "Upcoming events about CX design"),
        ("/events/past/?not=stop-it-mini-series", "Past events not in the Stop-it mini series"),
        ("/events/?q=journey", "Upcoming events matching “journey”"),
        # The events pages list events: the kind goes without saying, and another kind is
        # left out with a notice rather than named in a heading no event could match.
        ("/events/?kind=event&topic=cx-design", "Upcoming events about CX design"),
        ("/events/?kind=podcast", "Upcoming events"),
        ("/events/past/?kind=podcast,event&topic=cx-design", "Past events about CX design"),
    ],
)
def test_events_heading_and_title(client, posts, url, expected):
    response = client.get(url)
    assert heading(response) == expected
    html = response.content.decode()
    assert f"<h1>{expected}</h1>" in html
    assert f"<title>{expected} — CX Inspiration Hub</title>" in html
    assert not [chip for chip in chips(response) if chip in ("events", "podcast episodes")]


def test_another_kind_on_the_events_pages_is_a_notice(client, posts):
    response = client.get("/events/?kind=podcast,webinar")
    assert response.context["selection"].notices == (
        "Events pages and calendars hold only events, so podcast episodes were left out of the "
        "filter.",
        "Events pages and calendars hold only events, so webinars were left out of the filter.",
    )
    assert "so podcast episodes were left out" in response.content.decode()
    assert client.get("/events/?kind=event").context["selection"].notices == ()
    canonical = '<link rel="canonical" href="https://hub.example.org/events/">'
    assert canonical in client.get("/events/?kind=event").content.decode()
