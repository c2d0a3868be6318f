"""Each format parses strictly, round-trips through feedparser and says what the database says."""

import email.utils
import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from feeds.formats import render_atom, render_json, render_rss
from feeds.syndication import Channel, Entry, EntryCategory
from posts.models import Category, Post
from tests.factories import make_post
from tests.feeds.feedtools import (
    ATOM,
    CONTENT_TYPES,
    SITE,
    feed_path,
    get_feed,
    guid,
    link_rel,
    parse_json_feed,
    parse_xml_feed,
    strict_xml,
    urls_in_html,
    visible_posts,
)

FORMATS = ["rss", "atom", "json"]
HOSTILE_TITLE = "Tom & Jerry <script>alert(\"x\")</script> “smart” 'single' 😀 日本語 Ελληνικά"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} \+0000$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def seconds(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def png_upload(name: str = "cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def varied_posts(db):
    podcast = make_post(
        title="Patients as partners: a podcast",
        excerpt="Forty minutes on patient advisory boards.",
        body='<p>Listen <a href="https://podcasts.example.org/ep/12">here</a>.</p>',
        categories=["patient-experience", "healthcare-sector", "real-life-examples"],
        link="https://podcasts.example.org/ep/12",
        kind="podcast",
        audio_url="https://cdn.example.org/audio/ep12.mp3",
        audio_type="audio/mpeg",
        audio_length=48_213_004,
        author_name="Dana Reyes",
        days_ago=1,
    )
    article = make_post(
        title=HOSTILE_TITLE,
        body="<p>R&amp;D &lt;teams&gt; “quote” 😀 — 日本語のテキスト, ελληνικό κείμενο.</p>",
        categories=["cx-design"],
        kind="article",
        days_ago=2,
        cover=png_upload(),
    )
    plain = make_post(title="No categories, no extras", author_name="", days_ago=3)
    make_post(title="A draft", status=Post.Status.DRAFT, days_ago=0.5)
    make_post(title="Not yet", published_at=timezone.now() + timedelta(days=2))
    return [podcast, article, plain]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_feeds_round_trip_item_by_item(client, varied_posts, fmt):
    parsed = get_feed(client, fmt)
    posts = visible_posts()
    assert [entry.id for entry in parsed.entries] == [guid(post) for post in posts]
    for entry, post in zip(parsed.entries, posts, strict=True):
        assert entry.title == post.title
        assert entry.link == SITE + post.get_absolute_url()
        assert entry.author == (post.author_name or "CX Inspiration Hub")
        published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
        assert published == seconds(post.published_at)
        assert updated == max(seconds(post.updated_at), seconds(post.published_at))
        content = entry.content[0].value
        assert content.startswith(post.body)
        summary = entry.summary if fmt == "atom" else html.unescape(entry.summary)
        assert summary == post.summary
        categories = post.sorted_categories()
        if fmt == "rss":
            expected = [(c.name, f"tag:hub.example.org,2025:facet/{c.facet}") for c in categories]
            assert [(t.term, t.scheme) for t in entry.get("tags", [])] == expected
        else:
            expected = [
                (c.slug, f"tag:hub.example.org,2025:facet/{c.facet}", c.name) for c in categories
            ]
            assert [(t.term, t.scheme, t.label) for t in entry.get("tags", [])] == expected


def test_json_feed_round_trips_item_by_item(client, varied_posts):
    feed = get_feed(client, "json")
    posts = visible_posts()
    assert [item["id"] for item in feed["items"]] == [guid(post) for post in posts]
    for item, post in zip(feed["items"], posts, strict=True):
        assert item["title"] == post.title
        assert item["url"] == SITE + post.get_absolute_url()
        assert item["summary"] == post.summary
        assert item["content_html"].startswith(post.body)
        assert datetime.fromisoformat(item["date_published"]) == seconds(post.published_at)
        assert datetime.fromisoformat(item["date_modified"]) == max(
            seconds(post.updated_at), seconds(post.published_at)
        )
        assert item["authors"] == [{"name": post.author_name or "CX Inspiration Hub"}]
        assert item["tags"] == [c.name for c in post.sorted_categories()]
        assert [(c["slug"], c["facet"]) for c in item["_cxhub"]["categories"]] == [
            (c.slug, c.facet) for c in post.sorted_categories()
        ]


def test_drafts_future_and_unpublished_posts_never_appear(client, varied_posts):
    podcast = varied_posts[0]
    podcast.unpublish()
    for fmt in FORMATS:
        parsed = get_feed(client, fmt)
        titles = (
            [item["title"] for item in parsed["items"]]
            if fmt == "json"
            else [e.title for e in parsed.entries]
        )
        assert titles == [HOSTILE_TITLE, "No categories, no extras"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_titles_and_content_are_escaped_exactly_once(client, varied_posts, fmt):
    body = client.get(feed_path(fmt)).content
    if fmt == "json":
        item = parse_json_feed(body)["items"][1]
        title, content = item["title"], item["content_html"]
    else:
        root = strict_xml(body)
        path = "channel/item/title" if fmt == "rss" else f"{ATOM}entry/{ATOM}title"
        # A strict parser must read the title itself, not an escaped form of it (the trap of
        # Django's syndication Feed, whose titles readers show as "Tom &amp; Jerry").
        assert root.findall(path)[1].text == HOSTILE_TITLE
        entry = parse_xml_feed(body, fmt).entries[1]
        title, content = entry.title, entry.content[0].value
    assert title == HOSTILE_TITLE
    assert content.startswith("<p>R&amp;D &lt;teams&gt; “quote” 😀 — 日本語のテキスト")
    assert "<script>" not in body.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_content_types_encoding_and_no_doctype(client, varied_posts, fmt):
    response = client.get(feed_path(fmt))
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert b"<!DOCTYPE" not in response.content.upper()
    response.content.decode("utf-8")  # strict: raises on any invalid byte
    if fmt != "json":
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def test_rss_dates_are_rfc822_and_atom_json_dates_rfc3339(client, varied_posts):
    rss = strict_xml(client.get("/feed/").content)
    pub_dates = [element.text for element in rss.iter("pubDate")]
    assert pub_dates and all(RFC822.match(date) for date in pub_dates)
    assert RFC822.match(rss.find("channel/lastBuildDate").text)
    newest = visible_posts()[0]
    assert email.utils.parsedate_to_datetime(pub_dates[0]) == seconds(newest.published_at)

    atom = strict_xml(client.get("/feed/atom/").content)
    stamps = [e.text for e in atom.iter() if e.tag in {f"{ATOM}updated", f"{ATOM}published"}]
    assert stamps and all(RFC3339.match(stamp) for stamp in stamps)

    feed = parse_json_feed(client.get("/feed.json").content)
    for item in feed["items"]:
        assert RFC3339.match(item["date_published"]) and RFC3339.match(item["date_modified"])


def test_atom_entries_have_what_rfc4287_requires(client, varied_posts):
    root = strict_xml(client.get("/feed/atom/").content)
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}").text
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for name in ("id", "title", "updated", "published", "summary", "content"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        alternate = entry.find(f"{ATOM}link[@rel='alternate']")
        assert alternate.get("href").startswith(SITE + "/post/")


def test_rss_channel_carries_the_required_and_useful_elements(client, varied_posts):
    root = strict_xml(client.get("/feed/").content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.find("title").text == "Pharma Digital CX News"
    assert channel.find("link").text == SITE + "/"
    assert channel.find("description").text
    assert channel.find("language").text == "en"
    assert channel.find("ttl").text == "5"
    image = channel.find("image")
    assert image.find("url").text == SITE + "/static/feeds/icon-144.png"
    assert image.find("title").text == channel.find("title").text
    assert image.find("link").text == channel.find("link").text
    with Image.open(finders.find("feeds/icon-144.png")) as icon:
        assert icon.size == (144, 144)  # RSS 2.0 allows at most 144 pixels wide
    latest = max(max(seconds(p.updated_at), seconds(p.published_at)) for p in visible_posts())
    assert email.utils.parsedate_to_datetime(channel.find("lastBuildDate").text) == latest


def test_enclosure_cover_and_external_link_in_every_format(client, varied_posts):
    article = varied_posts[1]
    cover_url = SITE + article.cover.url
    assert cover_url.startswith(SITE + "/media/covers/")

    rss = get_feed(client, "rss")
    entry = rss.entries[0]
    assert entry.enclosures[0].href == "https://cdn.example.org/audio/ep12.mp3"
    assert entry.enclosures[0].length == "48213004"
    assert entry.enclosures[0].type == "audio/mpeg"
    related = [link.href for link in entry.links if link.rel == "related"]
    assert related == ["https://podcasts.example.org/ep/12"]
    assert rss.entries[1].media_content[0]["url"] == cover_url
    assert rss.entries[1].media_content[0]["type"] == "image/png"

    atom = get_feed(client, "atom")
    enclosure = [link for link in atom.entries[0].links if link.rel == "enclosure"]
    assert enclosure[0].href == "https://cdn.example.org/audio/ep12.mp3"
    assert atom.entries[1].media_content[0]["url"] == cover_url

    feed = get_feed(client, "json")
    podcast_item, article_item = feed["items"][:2]
    assert podcast_item["external_url"] == "https://podcasts.example.org/ep/12"
    assert podcast_item["attachments"] == [
        {
            "url": "https://cdn.example.org/audio/ep12.mp3",
            "mime_type": "audio/mpeg",
            "size_in_bytes": 48_213_004,
        }
    ]
    assert article_item["image"] == cover_url
    assert "attachments" not in article_item and "external_url" not in article_item


@pytest.mark.parametrize("fmt", FORMATS)
def test_relative_urls_inside_content_become_absolute(client, db, fmt):
    make_post(
        title="Links everywhere",
        slug="links-everywhere",
        body=(
            '<p><a href="/post/other/">root-relative</a> <a href="notes/">relative</a> '
            '<img src="/media/covers/chart.png" alt="chart"> '
            '<a href="https://example.org/abs">absolute</a></p>'
            '<blockquote cite="/sources/1"><p>quoted</p></blockquote>'
        ),
    )
    parsed = get_feed(client, fmt)
    content = (
        parsed["items"][0]["content_html"] if fmt == "json" else parsed.entries[0].content[0].value
    )
    urls = urls_in_html(content)
    assert set(urls) >= {
        f"{SITE}/post/other/",
        f"{SITE}/post/links-everywhere/notes/",
        f"{SITE}/media/covers/chart.png",
        "https://example.org/abs",
    }
    assert all(url.startswith(("https://", "http://")) for url in urls), urls


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_in_stored_data_cannot_break_the_feed(client, db, fmt):
    post = make_post(title="Clean for now", categories=["cx-design"])
    # update() bypasses Post.save(), as a raw import or an older row would.
    # PostgreSQL refuses NUL in text at all; SQLite stores it. The writers' own test covers it.
    Post.objects.filter(pk=post.pk).update(
        title="Bad\x0bTitle\ufffe with\x02 controls\x1f",
        excerpt="Sum\x08mary\uffff",
        author_name="Ann\x0c Author",
        body="<p>Bo\x01dy</p>",
        link="https://example.org/a\x07b",
    )
    Category.objects.filter(slug="cx-design").update(name="about CX\x1b design")
    response = client.get(feed_path(fmt))
    assert response.status_code == 200
    parsed = get_feed(client, fmt)
    if fmt == "json":
        item = parsed["items"][0]
        assert (item["title"], item["summary"]) == ("BadTitle with controls", "Summary")
        assert item["tags"] == ["about CX design"]
    else:
        entry = parsed.entries[0]
        assert entry.title == "BadTitle with controls"
        assert entry.author == "Ann Author"
        assert html.unescape(entry.summary) == "Summary"
        assert "<p>Body</p>" in entry.content[0].value


def test_lone_surrogates_and_controls_are_dropped_by_every_writer():
    # Neither SQLite nor PostgreSQL store lone surrogates, but ingested text passes through
    # Python first: the writers must survive them too.
    moment = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    entry = Entry(
        id="tag:x,2025:post/1", url="https://x.example/p/", title="A\ud800B\x0b",
        summary="s\udfff", content_html="<p>c\x00</p>", published=moment, updated=moment,
        author="n\ufffe", author_url="", categories=(EntryCategory("s", "N\x1f", "topic"),),
        external_url="", kind="", image=None, audio=None,
    )  # fmt: skip
    channel = Channel(
        fmt="rss", id="tag:x,2025:feed", title="T\x1b", description="D\ud83d",
        home_url="https://x.example/", self_url="https://x.example/feed/",
        first_url="https://x.example/feed/", previous_url="", next_url="", language="en",
        updated=moment, icon_url="https://x.example/i.png", large_icon_url="https://x.example/l.png",
        favicon_url="https://x.example/f.png", author="Hub", ttl_minutes=5, entries=(entry,),
    )  # fmt: skip
    for render, fmt in ((render_rss, "rss"), (render_atom, "atom")):
        parsed = parse_xml_feed(render(channel), fmt)
        assert parsed.entries[0].title == "AB"
        assert parsed.feed.title == "T"
    feed = parse_json_feed(render_json(channel))
    assert feed["items"][0]["title"] == "AB"
    assert feed["description"] == "D"


@pytest.mark.parametrize("fmt", FORMATS)
def test_self_link_is_the_public_url_whatever_the_host_header(client, settings, db, fmt):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    make_post(categories=["cx-design"])
    query = "topic=cx-design&industry=healthcare-sector"
    for path in (feed_path(fmt), feed_path(fmt, query=query), feed_path(fmt, "cx-design")):
        response = client.get(path, headers={"host": "evil.example"})
        assert response.status_code == 200
        assert b"evil.example" not in response.content
        if fmt == "json":
            assert parse_json_feed(response.content)["feed_url"] == SITE + path
        else:
            assert link_rel(parse_xml_feed(response.content, fmt), "self") == SITE + path


@pytest.mark.parametrize("fmt", FORMATS)
def test_guid_is_a_tag_uri_that_survives_edits_and_slug_changes(client, db, fmt):
    post = make_post(title="First title")

    def ids_and_links():
        parsed = get_feed(client, fmt)
        if fmt == "json":
            return [(i["id"], i["url"]) for i in parsed["items"]]
        return [(e.id, e.link) for e in parsed.entries]

    before = ids_and_links()
    post.title, post.slug = "Second title", "second-title"
    post.save()
    after = ids_and_links()
    assert before[0][0] == after[0][0] == f"tag:hub.example.org,2025:post/{post.pk}"
    assert after[0][1] == f"{SITE}/post/second-title/" != before[0][1]


def test_rss_guid_is_not_a_permalink(client, varied_posts):
    root = strict_xml(client.get("/feed/").content)
    guids = root.findall("channel/item/guid")
    assert [g.text for g in guids] == [guid(post) for post in visible_posts()]
    assert {g.get("isPermaLink") for g in guids} == {"false"}


def test_channel_link_and_title_of_empty_feed(client, db):
    for fmt in FORMATS:
        parsed = get_feed(client, fmt)
        if fmt == "json":
            assert parsed["items"] == [] and parsed["title"] == "Pharma Digital CX News"
        else:
            assert parsed.entries == [] and parsed.feed.title == "Pharma Digital CX News"
    assert "Last-Modified" not in client.get("/feed/")
