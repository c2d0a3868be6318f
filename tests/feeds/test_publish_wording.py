"""Channel descriptions read as English for every facet, escaped once, and third-party items
credit their source rather than the hub."""

import pytest

from newsroom.models import FeedSource, NewsItem
from tests.factories import make_post
from tests.feeds.feedtools import ATOM, feed_path, get_feed, strict_xml

pytestmark = pytest.mark.django_db

# Each category as words after "This feed holds only posts …".
SENTENCES = {
    "cx-design": "posts about CX design.",
    "real-life-examples": "posts being real life examples.",
    "comms-business": "posts by comm's business.",
    "patient-experience": "posts with a focus on patient experience.",
    "stop-it-mini-series": "posts in the Stop-it mini series.",
    "cx-community-events": "posts in “CX Community & Events”.",
    "broader-inspiration": "posts in “broader inspiration”.",
}


def rss_description(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return strict_xml(response.content).find("channel/description").text


@pytest.mark.parametrize(("slug", "sentence"), SENTENCES.items())
def test_category_feed_descriptions_read_as_english_and_are_escaped_once(client, slug, sentence):
    expected = f"This feed holds only {sentence}"
    assert expected in rss_description(client, feed_path("rss", slug))
    atom = get_feed(client, "atom", slug)
    assert expected in atom.feed.subtitle
    assert expected in get_feed(client, "json", slug)["description"]
    # What a reader shows: no entity left over, however the reader decodes.
    assert expected in get_feed(client, "rss", slug).feed.subtitle


def test_exclusions_read_as_english_too(client):
    query = "not=stop-it-mini-series,patient-experience,cx-design"
    assert rss_description(client, feed_path("rss", None, query)).endswith(
        "This feed holds only posts not about CX design, without a focus on patient experience, "
        "not in the Stop-it mini series."
    )


@pytest.fixture
def credited_post(db):
    post = make_post(title="From elsewhere", author_name="")
    source = FeedSource.objects.create(
        name="Northwind Insights",
        feed_url="https://northwind.example/feed",
        site_url="https://northwind.example/",
    )
    NewsItem.objects.create(
        post=post, source=source, title=post.title, original_date=post.published_at
    )
    return post


def test_third_party_items_credit_their_source_not_the_hub(client, credited_post):
    make_post(title="Our own", author_name="")

    rss = strict_xml(client.get("/feed/").content)
    creators = {
        item.find("title").text: item.find("{http://purl.org/dc/elements/1.1/}creator").text
        for item in rss.iter("item")
    }
    assert creators == {"From elsewhere": "Northwind Insights", "Our own": "CX Inspiration Hub"}

    atom = strict_xml(client.get("/feed/atom/").content)
    authors = {
        entry.find(f"{ATOM}title").text: (
            entry.find(f"{ATOM}author/{ATOM}name").text,
            getattr(entry.find(f"{ATOM}author/{ATOM}uri"), "text", None),
        )
        for entry in atom.iter(f"{ATOM}entry")
    }
    assert authors["From elsewhere"] == ("Northwind Insights", "https://northwind.example/")
    assert authors["Our own"] == ("CX Inspiration Hub", None)

    items = {item["title"]: item["authors"] for item in get_feed(client, "json")["items"]}
    assert items["From elsewhere"] == [
        {"name": "Northwind Insights", "url": "https://northwind.example/"}
    ]
    assert items["Our own"] == [{"name": "CX Inspiration Hub"}]
