"""Each kind shows for what it is on cards and post pages, in words as well as pictures."""

import re
from html.parser import HTMLParser

import pytest

from tests.kind_posts import make_kind_posts
from tests.posts.test_query_counts import queries_for


@pytest.fixture
def kinds(db):
    return make_kind_posts()


def card_of(html: str, title: str) -> str:
    for card in re.findall(r'<article class="card.*?</article>', html, re.S):
        if title in card:
            return card
    raise AssertionError(f"no card for {title}")


def visible_text(fragment: str) -> str:
    """The words a sighted reader sees (no aria-hidden parts, no visually-hidden spans)."""

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hidden = []
            self.words = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            hide = attrs.get("aria-hidden") == "true" or "visually-hidden" in attrs.get("class", "")
            if self.hidden or hide:
                self.hidden.append(tag)

        def handle_endtag(self, tag):
            if self.hidden:
                self.hidden.pop()

        def handle_startendtag(self, tag, attrs):
            pass

        def handle_data(self, data):
            if not self.hidden:
                self.words.append(data)

    parser = Text()
    parser.feed(fragment)
    return " ".join(" ".join(parser.words).split())


def test_every_kind_but_articles_has_an_icon_and_its_name_in_words(client, kinds):
    html = client.get("/").content.decode()
    for key, name in [
        ("event", "Event"), ("podcast", "Podcast episode"), ("video", "Video"),
        ("webinar", "Webinar"), ("quote", "Quote"), ("case-study", "Case study"),
        ("report", "Report or e-book"),
    ]:  # fmt: skip
        card = card_of(html, kinds[key].title)
        badge = re.search(r'<span class="kind kind--[^"]+">(.*?)</span>', card, re.S).group(1)
        assert re.search(r'<svg [^>]*aria-hidden="true"', badge)
        assert visible_text(badge) == name
    assert 'class="kind ' not in card_of(html, kinds["article"].title)


def test_event_card_has_its_date_in_its_own_zone_place_and_no_publication_confusion(client, kinds):
    card = card_of(client.get("/").content.decode(), kinds["event"].title)
    text = visible_text(card)
    assert "Tue 13 Apr 2021, 13:00\u201313:45 CEST Online" in text
    assert 'datetime="2021-04-13T13:00:00+02:00"' in card
    assert "Posted" in text  # the publication date says what it is
    block = re.search(r'<div class="date-block.*?</div>', card, re.S).group(0)
    assert 'aria-hidden="true"' in block
    assert [w for w in re.sub(r"<[^>]+>", " ", block).split()] == ["Apr", "13", "2021"]


def test_cancelled_all_day_event_says_so_in_words_and_shows_dates_only(client, kinds):
    card = card_of(client.get("/").content.decode(), kinds["cancelled"].title)
    text = visible_text(card)
    assert "Cancelled Thu 9 \u2013 Fri 10 Dec 2021 Congress Center Basel" in text
    assert "event-facts--cancelled" in card and "date-block--cancelled" in card
    assert 'date-block__day">9\u201310<' in card
    when = re.search(r'<time class="event-facts__when" datetime="2021-12-09">.*?</time>', card)
    assert visible_text(when[0]) == "Thu 9 \u2013 Fri 10 Dec 2021"  # dates only, no times


def test_event_page_has_details_and_registration(client, kinds):
    html = client.get(kinds["event"].get_absolute_url()).content.decode()
    text = visible_text(re.search(r'<section class="event-details.*?</section>', html, re.S)[0])
    assert "When Tue 13 Apr 2021, 13:00\u201313:45 CEST (Europe/Berlin time)" in text
    assert "Where Online" in text
    assert "Organiser Pharma CX Circle" in text
    assert "Price Free" in text
    assert 'href="https://example.org/register"' in html
    cancelled = client.get(kinds["cancelled"].get_absolute_url()).content.decode()
    assert "Status Cancelled" in visible_text(cancelled)
    assert "Price Paid" in visible_text(cancelled)


def test_quote_is_a_blockquote_with_its_author_on_card_and_page(client, kinds):
    quote = kinds["quote"]
    expected = re.compile(
        r'<blockquote class="quote__text"><p>Most people do not listen with the intent to '
        r"understand.</p></blockquote>\s*"
        r'<figcaption class="quote__by">— <cite>Stephen R. Covey</cite></figcaption>'
    )
    assert expected.search(card_of(client.get("/").content.decode(), quote.title))
    assert expected.search(client.get(quote.get_absolute_url()).content.decode())


def test_media_show_duration_host_and_link(client, kinds):
    html = client.get("/").content.decode()
    podcast = card_of(html, kinds["podcast"].title)
    assert '<time datetime="PT42M">42 min</time>' in podcast
    assert "Host: Ana Host" in visible_text(podcast)
    webinar = card_of(html, kinds["webinar"].title)
    assert '<time datetime="PT1H2M">1 h 2 min</time>' in webinar
    assert "By: MedAffairs Forum" in visible_text(webinar)
    page = client.get(kinds["video"].get_absolute_url()).content.decode()
    assert '<time datetime="PT9M30S">10 min</time>' in page
    assert 'href="https://media.example.org/journey.mp4"' in page
    assert "Open the video file" in page
    # A video file plays on the page; a webinar's link to a page does not pretend to.
    assert re.search(r'<video [^>]*src="https://media.example.org/journey.mp4"', page)
    webinar = client.get(kinds["webinar"].get_absolute_url()).content.decode()
    assert "<video" not in webinar and "Watch the recording" in webinar


def test_case_study_shows_organisation_and_outcomes(client, kinds):
    card = card_of(client.get("/").content.decode(), kinds["case-study"].title)
    assert "Organisation: Example Pharma GmbH" in visible_text(card)
    outcomes = re.findall(r"<li>(.*?)</li>", card)
    assert outcomes == ["90 % first-contact resolution", "-35 % call volume", "NPS +18"]


def test_typed_cards_cost_no_query_of_their_own(client, db):
    from tests.factories import make_post

    make_post(title="Only an article")
    plain = queries_for(client, "/")
    make_kind_posts()
    assert queries_for(client, "/") == plain
