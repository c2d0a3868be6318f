"""The parse and clean stages on their own: bytes in, safe values out."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsroom.clean import BadEntry, clean_entries, clean_entry, skipped_note
from newsroom.parse import ParsedEntry, ParseError, parse, parse_with_limit

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def parse_file(name: str, *, url: str = "https://feeds.example/feed.xml", headers=None):
    return parse((FEEDS / name).read_bytes(), headers=headers or {}, url=url)


def test_rss_entries_with_dates_in_utc_and_names_without_email():
    feed = parse_file("rss2.xml")

    assert feed.title == "Northwind CX Notes"
    assert feed.link == "https://northwind.example/blog/"
    first = feed.entries[0]
    assert first.guid == "northwind-101"
    assert first.author == "Ana Lopez"
    assert first.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert first.categories == ("Patient Experience", "Launch planning")


def test_atom_entries_carry_their_xml_base():
    feed = parse_file("atom.xml")

    effort, detailing = feed.entries
    assert effort.link == "https://atomic.example/insights/effort-score"
    assert effort.title_type == "text/html"
    assert effort.categories == ("Measuring CX success", "Metrics")
    assert detailing.base.startswith("https://atomic.example/cases/")


def test_namespaced_rss_gives_creator_content_and_enclosure():
    (episode,) = parse_file("podcast.xml").entries

    assert episode.author == "Lena Vogt"
    assert "Full show notes" in episode.content
    assert episode.enclosures == (
        ("https://cdn.listeninglab.example/audio/ep12.mp3", "audio/mpeg", 39512345),
    )


def test_declared_encoding_is_honoured():
    (entry,) = parse_file("latin1.xml").entries

    assert entry.title == "Kundenzentrierung für Ärzte und Apotheken"


def test_feedparser_is_never_given_a_path_or_url(feed_server):
    for content in (b"/etc/passwd", feed_server.url("/rss2.xml").encode()):
        with pytest.raises(ParseError, match=r"not an RSS or Atom feed|not a readable feed"):
            parse(content, headers={}, url="https://feeds.example/")
    assert feed_server.requests == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_declarations_are_refused_in_any_encoding(encoding):
    content = (FEEDS / "bomb.xml").read_text().replace('<?xml version="1.0"?>', "").encode(encoding)

    with pytest.raises(ParseError, match="declares its own XML entities"):
        parse(content, headers={}, url="https://feeds.example/")


def test_time_limit_stops_a_hostile_feed():
    hostile = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        f"<item><title>t</title><author>{'a' * 32768}</author></item></channel></rss>"
    ).encode()

    with pytest.raises(ParseError, match=r"took longer than 0\.5 seconds"):
        parse_with_limit(hostile, headers={}, url="https://feeds.example/", timeout=0.5)


def test_enclosure_length_of_thousands_of_digits_does_not_fail_the_feed():
    # int() refuses strings of more than 4,300 digits: one such entry used to fail the feed.
    content = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Pods</title>'
        "<item><title>Episode</title><guid>e-1</guid>"
        f'<enclosure url="https://pods.example/e1.mp3" type="audio/mpeg" length="{"9" * 5000}"/>'
        "</item></channel></rss>"
    ).encode()

    feed = parse(content, headers={}, url="https://pods.example/feed.xml")

    assert feed.entries[0].enclosures == (("https://pods.example/e1.mp3", "audio/mpeg", None),)


def test_parse_with_limit_returns_the_same_as_parse():
    content = (FEEDS / "atom.xml").read_bytes()

    limited = parse_with_limit(content, headers={}, url="https://a.example/", timeout=30)

    assert limited == parse(content, headers={}, url="https://a.example/")


def entry(**fields) -> ParsedEntry:
    base = ParsedEntry(
        guid="g-1",
        link="https://site.example/story",
        title="A story",
        summary="<p>Summary.</p>",
        base="https://site.example/news/",
        published=NOW - timedelta(days=1),
    )
    return replace(base, **fields)


def test_clean_sanitises_and_makes_links_absolute():
    cleaned = clean_entry(
        entry(
            summary='<p onclick="x()">Read <a href="more.html">more</a> '
            '<a href="javascript:alert(1)">bad</a><script>alert(2)</script>'
            '<iframe src="https://evil.example/"></iframe></p>'
        ),
        now=NOW,
        teaser_chars=300,
    )

    assert 'href="https://site.example/news/more.html"' in cleaned.summary_html
    assert "javascript:" not in cleaned.summary_html
    assert "<script" not in cleaned.summary_html and "alert(2)" not in cleaned.summary_html
    assert "onclick" not in cleaned.summary_html and "<iframe" not in cleaned.summary_html
    assert cleaned.teaser == "Read more bad"


def test_links_with_a_broken_ipv6_host_are_dropped_from_summaries():
    # urlsplit raises on these; inside nh3's attribute callback that was an "Exception ignored"
    # on stderr for every such link.
    summary = '<p><a href="http://[zz::1]/x">a</a> <img src="http://[::1/y"> b</p>'

    cleaned = clean_entry(entry(summary=summary), now=NOW, teaser_chars=300)
    from_broken_base = clean_entry(
        entry(summary='<a href="x">c</a>', base="http://[::1/", link=""), now=NOW, teaser_chars=300
    )

    assert cleaned.summary_html == '<p><a rel="noopener noreferrer">a</a> <img> b</p>'
    assert from_broken_base.summary_html == '<a rel="noopener noreferrer">c</a>'


def test_clean_plain_text_title():
    cleaned = clean_entry(
        entry(title="Effort &amp; <em>delight</em>", title_type="text/html"),
        now=NOW,
        teaser_chars=300,
    )

    assert cleaned.title == "Effort & delight"


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("javascript:x", "its link is not an http or https address"),
        ("http://x.example.org:99999/a", "its link is malformed (Port out of range 0-65535)"),
        ("http://[::1/a", "its link is malformed (Invalid IPv6 URL)"),
        ("http://:80/story", "its link is an address without a host"),
        ("https://site.example/" + "a" * 1000, "its link is longer than 1,000 characters"),
    ],
)
def test_entry_whose_link_goes_nowhere_is_skipped_with_the_reason(link, reason):
    good = entry(guid="g-2", title="Good")

    cleaned, skipped = clean_entries(
        [entry(title="Bad\x00 one", link=link), good], now=NOW, teaser_chars=300
    )

    assert [c.title for c in cleaned] == ["Good"]
    assert [(s.title, s.guid, s.reason) for s in skipped] == [("Bad one", "g-1", reason)]
    with pytest.raises(BadEntry):
        clean_entry(entry(link=link), now=NOW, teaser_chars=300)


def test_entry_without_a_link_is_kept():
    assert clean_entry(entry(link="  "), now=NOW, teaser_chars=300).link == ""


def test_skipped_entries_are_named_shortly_in_the_note():
    long_title = "A very long title " * 10
    bad = [entry(guid=f"g-{n}", title=long_title, link="javascript:x") for n in range(7)]

    note = skipped_note(clean_entries(bad, now=NOW, teaser_chars=300)[1])

    assert note.startswith("7 entries were skipped: “A very long title A very long title")
    assert "…” (guid g-0, link javascript:x): its link is not an http or https address; " in note
    assert note.endswith("; and 2 more.")
    assert "g-4" in note and "g-5" not in note


def test_implausible_dates_are_taken_as_missing():
    far_east = timezone(timedelta(hours=14))
    for date in [datetime(1, 1, 1, tzinfo=far_east), datetime(1900, 1, 1, tzinfo=UTC)]:
        cleaned = clean_entry(entry(published=date), now=NOW, teaser_chars=9)
        assert (cleaned.date, cleaned.has_own_date) == (NOW, False)
    zurich = datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert clean_entry(entry(published=zurich), now=NOW, teaser_chars=9).date == datetime(
        2024, 5, 1, 12, 0, tzinfo=UTC
    )


def test_enclosure_length_that_no_column_holds_is_left_out():
    audio = [("https://site.example/a.mp3", "audio/mpeg\x00", n) for n in (-1, 2**63, 2**70)]

    for enclosure in audio:
        assert clean_entry(entry(enclosures=(enclosure,)), now=NOW, teaser_chars=9).audio == (
            "https://site.example/a.mp3",
            "audio/mpeg",
            None,
        )


def test_dates_never_lie_in_the_future():
    assert (
        clean_entry(entry(published=NOW + timedelta(days=3)), now=NOW, teaser_chars=9).date == NOW
    )
    undated = clean_entry(entry(published=None), now=NOW, teaser_chars=9)
    assert (undated.date, undated.has_own_date) == (NOW, False)
    updated_only = clean_entry(
        entry(published=None, updated=NOW - timedelta(hours=2)), now=NOW, teaser_chars=9
    )
    assert updated_only.date == NOW - timedelta(hours=2)


def test_identity_is_guid_then_link_then_title_and_date():
    by_guid = clean_entry(entry(), now=NOW, teaser_chars=9).key
    assert clean_entry(entry(title="Changed title"), now=NOW, teaser_chars=9).key == by_guid
    by_link = clean_entry(entry(guid=""), now=NOW, teaser_chars=9).key
    assert by_link != by_guid
    assert (
        clean_entry(
            entry(guid="", link="https://www.site.example/story/?utm_source=x"),
            now=NOW,
            teaser_chars=9,
        ).key
        == by_link
    )
    by_title = clean_entry(entry(guid="", link=""), now=NOW, teaser_chars=9).key
    later = entry(guid="", link="", published=NOW - timedelta(hours=1))
    assert clean_entry(later, now=NOW, teaser_chars=9).key != by_title
