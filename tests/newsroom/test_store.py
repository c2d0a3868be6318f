"""Entries become posts: fields, categories, dedupe, updates, edits, rejections, merging, rules.

The store stage called directly with the clean entries of fixture feeds, read from disk: no
HTTP. The same feeds over real HTTP, end to end, are in test_ingest_command.py.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from newsroom.models import FeedEntry, NewsItem
from posts.models import Category, Kind, Post
from tests.newsroom.ingest_factories import (
    feed_entries,
    make_category_rule,
    make_filter_rule,
    make_source,
    store,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
LATER = NOW + timedelta(hours=1)


def slugs(post: Post) -> set[str]:
    return set(post.categories.values_list("slug", flat=True))


def test_rss_entries_become_draft_posts_with_teasers_and_credit():
    feed_url = "http://feeds.example/northwind/rss2.xml"
    source = make_source(feed_url=feed_url, name="Northwind")

    result = store(source, feed_entries("rss2.xml", url=feed_url, now=NOW), now=NOW)

    assert result.new == 3
    post = Post.objects.get(title="Mapping the patient journey before launch")
    assert post.status == Post.Status.DRAFT
    assert post.author_name == "Ana Lopez"
    assert post.link == (
        "https://northwind.example/blog/patient-journey-before-launch"
        "?utm_source=rss&utm_medium=feed"
    )
    assert post.published_at == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert post.kind == Kind.ARTICLE
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
    # A relative link resolves against the feed's own address, scheme and all.
    assert 'href="https://feeds.example' not in entry.summary
    assert 'href="http://feeds.example/blog/journey-template"' in entry.summary
    assert "<script" not in entry.summary and "onerror" not in entry.summary
    assert entry.categories == ["Patient Experience", "Launch planning"]

    assert slugs(Post.objects.get(title__startswith="Why field teams")) == {"cx-strategy"}
    # A date in the future is not believed: the fetch time is used.
    assert Post.objects.get(title="A note from the future").published_at == NOW


def test_atom_relative_links_are_made_absolute_against_xml_base():
    source = make_source(feed_url="https://atomic.example/atom.xml")

    store(source, feed_entries("atom.xml", now=NOW), now=NOW)

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


def test_third_party_full_text_is_never_stored():
    for name in ("atom.xml", "podcast.xml"):
        source = make_source(feed_url=f"https://feeds.example/{name}")
        store(source, feed_entries(name, now=NOW), now=NOW)

    for post in Post.objects.all():
        assert "full article text" not in post.body + post.excerpt
        assert "transcript" not in post.body + post.excerpt
    for entry in FeedEntry.objects.all():
        assert "full article text" not in entry.summary
        assert "transcript" not in entry.summary


def test_podcast_enclosure_becomes_the_posts_audio():
    source = make_source(feed_url="https://listeninglab.example/podcast.xml")

    store(source, feed_entries("podcast.xml", now=NOW), now=NOW)

    post = Post.objects.get()
    assert post.kind == Kind.PODCAST
    assert post.audio_url == "https://cdn.listeninglab.example/audio/ep12.mp3"
    assert post.audio_type == "audio/mpeg"
    assert post.audio_length == 39512345
    assert post.author_name == "Lena Vogt"
    assert post.excerpt == "How medical affairs teams turn questions from doctors into insight."


def test_source_that_publishes_directly_publishes_a_teaser():
    source = make_source(feed_url="https://northwind.example/rss2.xml", publish_directly=True)

    store(source, feed_entries("rss2.xml", now=NOW, teaser_chars=60), now=NOW)

    post = Post.objects.get(title__startswith="Why field teams")
    assert post.status == Post.Status.PUBLISHED
    assert post in Post.objects.published()
    assert len(post.excerpt) <= 60
    assert post.excerpt.endswith("…")
    assert NewsItem.objects.published().count() == 3


def test_storing_the_same_feed_again_creates_nothing():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    store(source, feed_entries("rss2.xml", now=NOW), now=NOW)
    before = list(Post.objects.values_list("pk", "title", "updated_at"))

    result = store(source, feed_entries("rss2.xml", now=LATER), now=LATER)

    assert (result.new, result.unchanged) == (0, 3)
    assert list(Post.objects.values_list("pk", "title", "updated_at")) == before
    assert FeedEntry.objects.count() == 3
    assert set(FeedEntry.objects.values_list("last_seen_at", flat=True)) == {LATER}


def test_updated_entries_update_posts_nobody_edited():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    store(source, feed_entries("rss2.xml", now=NOW), now=NOW)

    result = store(source, feed_entries("rss2-updated.xml", now=LATER), now=LATER)

    assert (result.new, result.updated, result.unchanged) == (0, 2, 1)
    assert Post.objects.count() == 3
    post = Post.objects.get(title="Mapping the patient journey before launch (updated)")
    assert post.excerpt.startswith("Updated: teams that walk")
    assert post.published_at == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def test_updated_entries_never_overwrite_an_editors_edit():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    store(source, feed_entries("rss2.xml", now=NOW), now=NOW)
    post = Post.objects.get(title__startswith="Why field teams")
    post.excerpt = "Our editor's own words about shared customer views."
    post.body = "<p>Our editor's own words about shared customer views.</p>"
    post.save()
    retagged = Post.objects.get(title__startswith="Mapping the patient journey")
    retagged.categories.add("cx-design")

    result = store(source, feed_entries("rss2-updated.xml", now=LATER), now=LATER)

    assert result.kept_edits == 2
    post.refresh_from_db()
    assert post.title == "Why field teams need a shared customer view"
    assert post.excerpt == "Our editor's own words about shared customer views."
    retagged.refresh_from_db()
    assert retagged.title == "Mapping the patient journey before launch"
    # The entry itself is up to date, for the editor to compare.
    assert FeedEntry.objects.get(guid="northwind-102").title.endswith("revisited")


def test_duplicates_within_a_feed_become_one_post():
    source = make_source(feed_url="https://echo.example/duplicates.xml")

    result = store(source, feed_entries("duplicates.xml", now=NOW), now=NOW)

    titles = sorted(Post.objects.values_list("title", flat=True))
    assert titles == [
        "Closed-loop feedback in three steps",
        "Neither guid nor link",
        "No guid, only a link",
    ]
    # The repost (other guid, same article address after tracking is removed) is merged.
    item = NewsItem.objects.get(title="Closed-loop feedback in three steps")
    assert item.entries.count() == 2
    assert (result.new, result.merged, result.unchanged) == (3, 1, 1)
    # Entries without guid are known by link, then by title and date: storing again adds nothing.
    again = store(source, feed_entries("duplicates.xml", now=LATER), now=LATER)
    assert again.new == again.merged == 0
    assert Post.objects.count() == 3
    assert FeedEntry.objects.count() == 4


def test_a_story_carried_by_two_sources_is_one_queue_item():
    northwind = make_source(feed_url="https://northwind.example/rss2.xml", name="Northwind")
    digest = make_source(feed_url="https://digest.example/syndicated.xml", name="Digest")
    store(northwind, feed_entries("rss2.xml", now=NOW), now=NOW)

    result = store(digest, feed_entries("syndicated.xml", now=NOW), now=NOW)

    assert (result.new, result.merged) == (1, 2)
    journey = NewsItem.objects.get(canonical_url__endswith="patient-journey-before-launch")
    assert {e.source.name for e in journey.entries.all()} == {"Northwind", "Digest"}
    assert journey.source == northwind  # credit goes to the first carrier
    view = NewsItem.objects.get(canonical_url__endswith="shared-customer-view")
    assert {e.source.name for e in view.entries.all()} == {"Northwind", "Digest"}
    # The same title a year earlier is another story.
    assert Post.objects.filter(title="Why field teams need a shared customer view").count() == 2
    assert Post.objects.count() == 4


def test_rejected_story_never_comes_back():
    northwind = make_source(feed_url="https://northwind.example/rss2.xml")
    store(northwind, feed_entries("rss2.xml", now=NOW), now=NOW)
    item = NewsItem.objects.get(title="Mapping the patient journey before launch")
    item.reject(reason="Off topic", at=NOW)

    again = store(northwind, feed_entries("rss2.xml", now=LATER), now=LATER)
    digest = make_source(feed_url="https://digest.example/syndicated.xml")
    other = store(digest, feed_entries("syndicated.xml", now=LATER), now=LATER)

    assert again.rejected == 1
    assert other.rejected == 1
    assert not Post.objects.filter(title__icontains="patient journey").exists()
    item.refresh_from_db()
    assert item.reject_reason == "Off topic"
    assert item.entries.count() == 2
    assert NewsItem.objects.rejected().get() == item


def test_categories_from_keyword_rules_and_source_defaults():
    source = make_source(
        feed_url="https://northwind.example/rss2.xml", default_categories=("broader-inspiration",)
    )
    make_category_rule(phrase="medical liaisons", category="healthcare-sector")
    make_category_rule(phrase="journey", category="cx-design", source=source)
    make_category_rule(phrase="liaison", category="tech-industry")  # whole words only

    store(source, feed_entries("rss2.xml", now=NOW), now=NOW)

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


def test_the_item_records_what_proposed_each_category():
    source = make_source(
        feed_url="https://northwind.example/rss2.xml", default_categories=("broader-inspiration",)
    )
    make_category_rule(phrase="journey", category="cx-design", source=source)

    store(source, feed_entries("rss2.xml", now=NOW), now=NOW)

    item = NewsItem.objects.get(title__startswith="Mapping")
    by_slug = {Category.objects.get(pk=pk).slug: why for pk, why in item.proposed_by.items()}
    assert by_slug == {
        "patient-experience": "feed category “Patient Experience”",
        "cx-design": "keyword “journey”",
        "broader-inspiration": "source default",
    }
    assert set(by_slug) == slugs(item.post)


def test_an_update_records_the_new_proposals():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    store(source, feed_entries("rss2.xml", now=NOW), now=NOW)
    item = NewsItem.objects.get(title__startswith="Mapping")
    assert "keyword" not in str(item.proposed_by)

    make_category_rule(phrase="journey", category="cx-design")
    store(source, feed_entries("rss2-updated.xml", now=LATER), now=LATER)

    item.refresh_from_db()
    cx_design = Category.objects.get(slug="cx-design")
    assert item.proposed_by.get(str(cx_design.pk)) == "keyword “journey”"


def test_block_and_keep_rules_drop_noise():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    other = make_source(feed_url="https://atomic.example/atom.xml")
    make_filter_rule(pattern="future", action="block", field="title")
    make_filter_rule(pattern="Patient Experience", action="keep", field="categories", source=other)

    first = store(source, feed_entries("rss2.xml", now=NOW), now=NOW)
    second = store(other, feed_entries("atom.xml", now=NOW), now=NOW)

    assert (first.new, first.blocked) == (2, 1)
    assert second.new == 0 and second.blocked == 2
    blocked = FeedEntry.objects.get(guid="northwind-103")
    assert blocked.item is None
    assert blocked.blocked_by.startswith("block rule: Block entries that match: title")
    assert not Post.objects.filter(title__contains="future").exists()


def test_blocked_entries_come_in_once_the_rule_is_removed():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    rule = make_filter_rule(pattern="northwind.example/blog/from-the-future", field="link")
    store(source, feed_entries("rss2.xml", now=NOW), now=NOW)
    assert Post.objects.count() == 2
    rule.delete()

    result = store(source, feed_entries("rss2.xml", now=LATER), now=LATER)

    assert result.new == 1
    assert Post.objects.filter(title="A note from the future").exists()
    assert FeedEntry.objects.get(guid="northwind-103").blocked_by == ""
