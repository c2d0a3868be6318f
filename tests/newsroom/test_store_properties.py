"""Clean and store never fail a fetch, whatever a feed's entries hold: property-based.

Hypothesis makes up entries as the parse stage hands them on, with arbitrary values in every
field (control characters, lone surrogates, malformed ports and IPv6 hosts, Unicode hosts,
dates from year 1 to 9999 in any offset, enclosure lengths no column holds, HTML with hostile
links) and pushes them through the clean and store stages directly, no HTTP. Examples are
derandomized and few (the "ci" profile in tests/conftest.py), so every run checks the same
ones; `HYPOTHESIS_PROFILE=thorough` searches much wider on a developer's machine.
"""

from dataclasses import astuple
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st

from cxhub.xmlwriter import strip_control_chars
from newsroom.clean import clean_entries
from newsroom.models import FeedEntry
from newsroom.parse import ParsedEntry
from posts.models import Post
from tests.newsroom.ingest_factories import make_source, store

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

# Any code point, lone surrogates and control characters included.
anything = st.text(st.characters(exclude_categories=()), max_size=40)
hosts = st.one_of(
    st.sampled_from(
        [
            "news.example",
            "WWW.News.Example",
            "bücher.example",
            "xn--bcher-kva.example",
            "127.0.0.1",
            "[::1]",
            "[::1",
            "[zz::1]",
            "a..b",
            "ex ample.org",
            "",
        ]
    ),
    anything,
)
ports = st.one_of(
    st.none(),
    st.integers(min_value=-1, max_value=10**6).map(str),
    st.sampled_from(["", "abc", "٣", "99999", "0", "443"]),
)
links = st.one_of(
    st.builds(
        lambda scheme, host, port, path, query: (
            f"{scheme}://{host}{'' if port is None else ':' + port}/{path}?{query}"
        ),
        st.sampled_from(["http", "https", "HTTPS", "javascript", "ftp", "data", ""]),
        hosts,
        ports,
        anything,
        st.sampled_from(["", "utm_source=rss&id=1", "a=%ZZ", "q=ü"]),
    ),
    st.sampled_from(["", "/relative/story", "//news.example:99999/x", "javascript:alert(1)"]),
    anything,
)
offsets = st.one_of(
    st.just(UTC),
    st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23))
    .map(lambda d: d - timedelta(microseconds=d.microseconds))
    .map(timezone),
)
dates = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=offsets),
)
html = st.lists(
    st.one_of(
        anything,
        links.map(lambda url: f'<a href="{url}">read</a>'),
        links.map(lambda url: f'<img src="{url}" onerror="x()">'),
        st.sampled_from(
            ["<p>", "</div>", "<script>alert(1)</script>", "&amp;", "&#0;", "&#xD800;", "<!--"]
        ),
    ),
    max_size=6,
).map("".join)
parsed_entries = st.builds(
    ParsedEntry,
    guid=st.one_of(anything, links),
    link=links,
    title=st.one_of(anything, html),
    title_type=st.one_of(st.sampled_from(["text/plain", "text/html"]), anything),
    author=st.one_of(anything, st.just("ana@example.org (Ana Lopez)")),
    summary=html,
    content=html,
    base=st.one_of(st.just(""), links),
    categories=st.lists(anything, max_size=3).map(tuple),
    published=dates,
    updated=dates,
    enclosures=st.lists(
        st.tuples(
            links,
            st.one_of(st.sampled_from(["audio/mpeg", "audio/", "video/mp4"]), anything),
            st.one_of(st.none(), st.integers()),
        ),
        max_size=2,
    ).map(tuple),
)


def examples(entries):
    def decorate(test):
        for entry in reversed(entries):
            test = example(entry=entry)(test)
        return test

    return decorate


GOOD = ParsedEntry(
    guid="tag:hub.test,2024:good",
    link="https://good.example/story",
    title="A good story",
    summary="<p>It is stored, whatever its neighbours hold.</p>",
    published=NOW - timedelta(days=1),
)


# Cases the wide search once found, checked on every run.
FOUND = [
    ParsedEntry(link="0", base="HTTP://\x00news.example/", summary='<a href="x">a</a>'),
    ParsedEntry(
        link="https://pods.example/1",
        enclosures=(("https://pods.example/1.mp3", "audio/\x00", -439),),
    ),
    ParsedEntry(
        link="https://pods.example/2",
        enclosures=(("https://pods.example/2.mp3", "audio/mpeg", 2**64),),
    ),
    ParsedEntry(guid="y1", published=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))),
    ParsedEntry(guid="v6", summary='<a href="http://[zz::1]/x">a</a><img src="http://[::1/y">'),
]


@given(entry=parsed_entries)
@examples(FOUND)
def test_clean_never_fails_and_keeps_values_within_their_columns(entry):
    cleaned, skipped = clean_entries([entry], now=NOW, teaser_chars=300)

    assert len(cleaned) + len(skipped) == 1
    for bad in skipped:
        assert bad.reason
    for good in cleaned:
        assert good.title and len(good.title) <= 300
        assert good.link == "" or good.link.lower().startswith(("http://", "https://"))
        assert len(good.link) <= 1000 and len(good.guid) <= 1000 and len(good.author) <= 200
        assert good.date <= NOW and good.date.utcoffset() == timedelta(0)
        assert good.audio is None or (good.audio[2] is None or 0 <= good.audio[2] < 2**63)
        # No character XML forbids (PostgreSQL refuses NUL, UTF-8 refuses lone surrogates).
        texts = [v for v in astuple(good) if isinstance(v, str)] + [*good.categories]
        texts += [v for v in good.audio or () if isinstance(v, str)]
        assert not [t for t in texts if strip_control_chars(t) != t]


@pytest.mark.django_db
@given(
    entries=st.lists(parsed_entries, max_size=4),
    position=st.integers(min_value=0, max_value=4),
)
@example(entries=FOUND, position=2)
def test_store_never_fails_and_every_entry_is_stored_or_skipped_with_a_reason(entries, position):
    batch = [*entries[:position], GOOD, *entries[position:]]
    # One transaction per example, rolled back: each example starts from the same database.
    with transaction.atomic():
        source = make_source(feed_url="https://feeds.example/arbitrary.xml")
        cleaned, skipped = clean_entries(batch, now=NOW, teaser_chars=300)

        result = store(source, cleaned, now=NOW)

        assert len(cleaned) + len(skipped) == len(batch)
        assert all(bad.reason for bad in skipped)
        # What the clean stage lets through, the store stage can store, on either database:
        # a skip here would be a value clean should have made safe.
        assert result.skipped == []
        keys = {entry.key for entry in cleaned}
        assert set(FeedEntry.objects.filter(source=source).values_list("key", flat=True)) == keys
        good = FeedEntry.objects.get(source=source, guid=GOOD.guid)
        assert good.item.post.title == "A good story"

        posts = Post.objects.count()
        again = store(source, cleaned, now=NOW + timedelta(hours=1))
        assert (again.new, again.updated, again.skipped) == (0, 0, [])
        assert Post.objects.count() == posts
        transaction.set_rollback(True)
