"""Entries become posts: fields, categories, dedupe, updates, edits, rejections, merging, rules.

Everything goes through the real pipeline (HTTP on 127.0.0.1 → parse → clean → store).
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from newsroom.models import FeedEntry, NewsItem
from newsroom.pipeline import ingest
from posts.models import MediaKind, Post
from tests.newsroom.ingest_factories import make_category_rule, make_filter_rule, make_source

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def slugs(post: Post) -> set[str]:
    return set(post.categories.values_list("slug", flat=True))


def serve_again(server, path: str, file: str) -> str:
    """Serve a fixture without conditional-GET support, so a re-fetch parses everything."""
    return server.route(path, file=file, conditional=False)


def test_rss_entries_become_draft_posts_with_teasers_and_credit(feed_server):
    source = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")

    outcome = ingest(source, now=NOW)

    assert (outcome.status, outcome.stored.new) == ("new", 3)
    post = Post.objects.get(title="Mapping the patient journey before launch")
    assert post.status == Post.Status.DRAFT
    assert post.author_name == "Ana Lopez"
    assert post.link == (
        "https://northwind.example/blog/patient-journey-before-launch"
        "?utm_source=rss&utm_medium=feed"
    )
    assert post.published_at == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert post.media_kind == MediaKind.ARTICLE
    assert post.excerpt.startswith("Teams that walk the patient journey early")
    assert "Download our template" in post.excerpt
    assert post.body == f"<p>{post.excerpt}</p>"
    assert "<script" not in post.body and "onerror" not in post.body
    assert slugs(post) == {"patient-experience"}  # "Launch planning" is not ours
    item = post.news_item
    assert item.source == source
    assert item.original_url == post.link
    assert item.canonical_url == "https://northwind.example/blog/patient-journey-before-launch"
    entry = item.entries.get()
    assert entry.guid == "northwind-101"
    assert 'href="https://127.0.0.1' not in entry.summary
    assert f'href="{feed_server.url("/blog/journey-template")}"' in entry.summary
    assert "<script" not in entry.summary and "onerror" not in entry.summary
    assert entry.categories == ["Patient Experience", "Launch planning"]

    assert slugs(Post.objects.get(title__startswith="Why field teams")) == {"cx-strategy"}
    # A date in the future is not believed: the fetch time is used.
    assert Post.objects.get(title="A note from the future").published_at == NOW


def test_atom_relative_links_are_made_absolute_against_xml_base(feed_server):
    source = make_source(feed_url=feed_server.url("/atom.xml"))

    ingest(source, now=NOW)

    effort = Post.objects.get(title="Measuring effort, not just satisfaction")
    assert effort.link == "https://atomic.example/insights/effort-score"
    assert effort.author_name == "Priya Raman"
    assert effort.published_at == datetime(2024, 4, 1, 6, 0, tzinfo=UTC)
    assert slugs(effort) == {"measuring-cx-success"}
    summary = effort.news_item.entries.get().summary
    assert 'href="https://atomic.example/insights/charts/effort.html"' in summary
    detailing = Post.objects.get(title="Digital detailing that doctors actually open")
    assert detailing.link == "https://atomic.example/cases/digital-detailing"
    assert slugs(detailing) == {"digital-experience"}  # matched by the category's name


def test_third_party_full_text_is_never_stored(feed_server):
    for path in ("/atom.xml", "/podcast.xml"):
        ingest(make_source(feed_url=feed_server.url(path)), now=NOW)

    for post in Post.objects.all():
        assert "full article text" not in post.body + post.excerpt
        assert "transcript" not in post.body + post.excerpt
    for entry in FeedEntry.objects.all():
        assert "full article text" not in entry.summary
        assert "transcript" not in entry.summary


def test_podcast_enclosure_becomes_the_posts_audio(feed_server):
    ingest(make_source(feed_url=feed_server.url("/podcast.xml")), now=NOW)

    post = Post.objects.get()
    assert post.media_kind == MediaKind.PODCAST
    assert post.audio_url == "https://cdn.listeninglab.example/audio/ep12.mp3"
    assert post.audio_type == "audio/mpeg"
    assert post.audio_length == 39512345
    assert post.author_name == "Lena Vogt"
    assert post.excerpt == "How medical affairs teams turn questions from doctors into insight."


def test_non_utf8_feed_keeps_its_accents(feed_server):
    url = feed_server.route("/latin1.xml", file="latin1.xml", content_type="application/xml")
    source = make_source(feed_url=url)

    ingest(source, now=NOW)

    post = Post.objects.get()
    assert post.title == "Kundenzentrierung für Ärzte und Apotheken"
    assert post.excerpt == "Größere Nähe zum Kunden: was Ärztinnen und Apotheker wirklich schätzen."
    source.refresh_from_db()
    assert source.last_note == ""


def test_wrongly_declared_encoding_is_read_and_noted(feed_server):
    source = make_source(feed_url=feed_server.url("/wrong-encoding.xml"))

    ingest(source, now=NOW)

    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert "declared character encoding is wrong" in source.last_note
    assert Post.objects.get().title == "Café “smart” quotes"


def test_malformed_xml_is_read_leniently_and_noted(feed_server):
    source = make_source(feed_url=feed_server.url("/malformed.xml"))

    ingest(source, now=NOW)

    source.refresh_from_db()
    assert "not well-formed XML" in source.last_note
    assert Post.objects.get().title == "Loyalty & trust in pharmacy chains"


def test_source_that_publishes_directly_publishes_a_teaser(feed_server, settings):
    settings.INGEST_TEASER_CHARS = 60
    source = make_source(feed_url=feed_server.url("/rss2.xml"), publish_directly=True)

    ingest(source, now=NOW)

    post = Post.objects.get(title__startswith="Why field teams")
    assert post.status == Post.Status.PUBLISHED
    assert post in Post.objects.published()
    assert len(post.excerpt) <= 60
    assert post.excerpt.endswith("…")
    assert NewsItem.objects.published().count() == 3


def test_refetching_the_same_feed_creates_nothing(feed_server):
    source = make_source(feed_url=serve_again(feed_server, "/feed", "rss2.xml"))
    ingest(source, now=NOW)
    before = list(Post.objects.values_list("pk", "title", "updated_at"))

    outcome = ingest(source, now=NOW + timedelta(hours=1))

    assert len(feed_server.requests) == 2
    assert (outcome.stored.new, outcome.stored.unchanged) == (0, 3)
    assert list(Post.objects.values_list("pk", "title", "updated_at")) == before
    assert FeedEntry.objects.count() == 3
    assert set(FeedEntry.objects.values_list("last_seen_at", flat=True)) == {
        NOW + timedelta(hours=1)
    }


def test_updated_entries_update_posts_nobody_edited(feed_server):
    url = serve_again(feed_server, "/feed", "rss2.xml")
    source = make_source(feed_url=url)
    ingest(source, now=NOW)
    feed_server.route("/feed", file="rss2-updated.xml", conditional=False)

    outcome = ingest(source, now=NOW + timedelta(hours=1))

    assert (outcome.stored.new, outcome.stored.updated, outcome.stored.unchanged) == (0, 2, 1)
    assert Post.objects.count() == 3
    post = Post.objects.get(title="Mapping the patient journey before launch (updated)")
    assert post.excerpt.startswith("Updated: teams that walk")
    assert post.published_at == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def test_updated_entries_never_overwrite_an_editors_edit(feed_server):
    source = make_source(feed_url=serve_again(feed_server, "/feed", "rss2.xml"))
    ingest(source, now=NOW)
    post = Post.objects.get(title__startswith="Why field teams")
    post.excerpt = "Our editor's own words about shared customer views."
    post.body = "<p>Our editor's own words about shared customer views.</p>"
    post.save()
    retagged = Post.objects.get(title__startswith="Mapping the patient journey")
    retagged.categories.add("cx-design")
    feed_server.route("/feed", file="rss2-updated.xml", conditional=False)

    outcome = ingest(source, now=NOW + timedelta(hours=1))

    assert outcome.stored.kept_edits == 2
    post.refresh_from_db()
    assert post.title == "Why field teams need a shared customer view"
    assert post.excerpt == "Our editor's own words about shared customer views."
    retagged.refresh_from_db()
    assert retagged.title == "Mapping the patient journey before launch"
    # The entry itself is up to date, for the editor to compare.
    assert FeedEntry.objects.get(guid="northwind-102").title.endswith("revisited")


def test_duplicates_within_a_feed_become_one_post(feed_server):
    source = make_source(feed_url=feed_server.url("/duplicates.xml"))

    outcome = ingest(source, now=NOW)

    titles = sorted(Post.objects.values_list("title", flat=True))
    assert titles == [
        "Closed-loop feedback in three steps",
        "Neither guid nor link",
        "No guid, only a link",
    ]
    # The repost (other guid, same article address after tracking is removed) is merged.
    item = NewsItem.objects.get(title="Closed-loop feedback in three steps")
    assert item.entries.count() == 2
    assert (outcome.stored.new, outcome.stored.merged, outcome.stored.unchanged) == (3, 1, 1)
    # Entries without guid are known by link, then by title and date: a refetch adds nothing.
    feed_server.route("/duplicates.xml", file="duplicates.xml", conditional=False)
    again = ingest(source, now=NOW + timedelta(hours=1))
    assert again.stored.new == again.stored.merged == 0
    assert Post.objects.count() == 3
    assert FeedEntry.objects.count() == 4


def test_a_story_carried_by_two_sources_is_one_queue_item(feed_server):
    northwind = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    digest = make_source(feed_url=feed_server.url("/syndicated.xml"), name="Digest")
    ingest(northwind, now=NOW)

    outcome = ingest(digest, now=NOW)

    assert (outcome.stored.new, outcome.stored.merged) == (1, 2)
    journey = NewsItem.objects.get(canonical_url__endswith="patient-journey-before-launch")
    assert {e.source.name for e in journey.entries.all()} == {"Northwind", "Digest"}
    assert journey.source == northwind  # credit goes to the first carrier
    view = NewsItem.objects.get(canonical_url__endswith="shared-customer-view")
    assert {e.source.name for e in view.entries.all()} == {"Northwind", "Digest"}
    # The same title a year earlier is another story.
    assert Post.objects.filter(title="Why field teams need a shared customer view").count() == 2
    assert Post.objects.count() == 4


def test_rejected_story_never_comes_back(feed_server):
    northwind = make_source(feed_url=serve_again(feed_server, "/feed", "rss2.xml"))
    ingest(northwind, now=NOW)
    item = NewsItem.objects.get(title="Mapping the patient journey before launch")
    item.reject(reason="Off topic", at=NOW)

    refetch = ingest(northwind, now=NOW + timedelta(hours=1))
    digest = ingest(
        make_source(feed_url=feed_server.url("/syndicated.xml")), now=NOW + timedelta(hours=1)
    )

    assert refetch.stored.rejected == 1
    assert digest.stored.rejected == 1
    assert not Post.objects.filter(title__icontains="patient journey").exists()
    item.refresh_from_db()
    assert item.reject_reason == "Off topic"
    assert item.entries.count() == 2
    assert NewsItem.objects.rejected().get() == item


def test_categories_from_keyword_rules_and_source_defaults(feed_server):
    source = make_source(
        feed_url=feed_server.url("/rss2.xml"), default_categories=("broader-inspiration",)
    )
    make_category_rule(phrase="medical liaisons", category="healthcare-sector")
    make_category_rule(phrase="journey", category="cx-design", source=source)
    make_category_rule(phrase="liaison", category="tech-industry")  # whole words only

    ingest(source, now=NOW)

    assert slugs(Post.objects.get(title__startswith="Why field teams")) == {
        "cx-strategy",
        "healthcare-sector",
        "broader-inspiration",
    }
    assert slugs(Post.objects.get(title__startswith="Mapping")) == {
        "patient-experience",
        "cx-design",
        "broader-inspiration",
    }


def test_block_and_keep_rules_drop_noise(feed_server):
    source = make_source(feed_url=feed_server.url("/rss2.xml"))
    other = make_source(feed_url=feed_server.url("/atom.xml"))
    make_filter_rule(pattern="future", action="block", field="title")
    make_filter_rule(pattern="Patient Experience", action="keep", field="categories", source=other)

    first = ingest(source, now=NOW)
    second = ingest(other, now=NOW)

    assert (first.stored.new, first.stored.blocked) == (2, 1)
    assert second.stored.new == 0 and second.stored.blocked == 2
    blocked = FeedEntry.objects.get(guid="northwind-103")
    assert blocked.item is None
    assert blocked.blocked_by.startswith("block rule: Block entries that match: title")
    assert not Post.objects.filter(title__contains="future").exists()


def test_blocked_entries_come_in_once_the_rule_is_removed(feed_server):
    source = make_source(feed_url=serve_again(feed_server, "/feed", "rss2.xml"))
    rule = make_filter_rule(pattern="northwind.example/blog/from-the-future", field="link")
    ingest(source, now=NOW)
    assert Post.objects.count() == 2
    rule.delete()

    outcome = ingest(source, now=NOW + timedelta(hours=1))

    assert outcome.stored.new == 1
    assert Post.objects.filter(title="A note from the future").exists()
    assert FeedEntry.objects.get(guid="northwind-103").blocked_by == ""
