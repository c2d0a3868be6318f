"""What a list shows of each post, prepared in Python before the template prints it.

In the template language every value printed costs a lookup, a call to the localiser and an
escape, and every {% include %} a context of its own: drawn from the posts in the templates,
the twenty cards took about two thirds of a listing's render. So the views hand the templates
each card ready to print: the post's address with the way back to the list, its dates
formatted, its title and excerpt escaped with the words of a search marked, its kind's badge
(rendered once per kind on the page) and its category chips, whose links are built once per
page for each category rather than once for every card showing them. What a kind adds (an
event's dates, a quotation, a recording's length) stays in the partials the post page shares
(templates/posts/kinds/); a card includes the one it needs, if any. The events pages' lists
get the same treatment (`event_cards`).

Escaping: titles and excerpts go through `highlight`, chips through `format_html`, both of
which escape; everything else is printed by the templates, which escape it
(tests/posts/test_card_escaping.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .kinds import EventWhen
from .models import Category, Kind, Post
from .paths import slug_paths
from .search import highlight


@dataclass(frozen=True, slots=True)
class Cover:
    url: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Card:
    # For what the kind adds (templates/posts/kinds/), in partials the post page shares.
    post: Post
    kind: str
    # The post's address with the way back to the list ("?from=…").
    url: str
    # The title escaped; `marked_title` and `excerpt` also escaped, with the words of a search
    # in <mark>. `excerpt` is None when the card shows the quotation instead.
    title: SafeString
    marked_title: SafeString
    excerpt: SafeString | None
    cover: Cover | None
    # An event's dates in its own zone (None for other posts and an event without dates).
    when: EventWhen | None
    cancelled: bool
    # The kind named, with its icon (every kind but the article), else "".
    badge: SafeString | str
    published_iso: str
    published_text: str
    # The kind's partial under the heading, "" for none.
    facts: str
    chips: SafeString
    link: str
    link_label: str


# Shared with the post page.
BADGE = "posts/kinds/_badge.html"


def facts_template(post: Post) -> str:
    if post.kind == Kind.EVENT:
        return "posts/kinds/_event_when.html"
    if post.kind == Kind.QUOTE and post.quote_text:
        return "posts/kinds/_quote.html"
    if post.is_recording:
        return "posts/kinds/_media.html"
    if post.kind == Kind.CASE_STUDY:
        return "posts/kinds/_case.html"
    return ""


def cards(
    posts: Iterable[Post],
    *,
    categories: Sequence[Category],
    terms: Sequence[str],
    back_suffix: str,
) -> list[Card]:
    """`categories`: every category, in navigation order (the listing's)."""
    made = CardMaker(categories=categories, terms=terms, back_suffix=back_suffix)
    return [made.card(post) for post in posts]


class CardMaker:
    """Cards of one page: what they share (the month names, the category chips) is looked up
    once."""

    def __init__(
        self, *, categories: Sequence[Category], terms: Sequence[str], back_suffix: str
    ) -> None:
        self.categories = categories
        self.terms = terms
        self.back_suffix = back_suffix
        self.post_path = slug_paths("posts:detail")
        self.chips = ChipMaker()
        self.badges: dict[str, SafeString] = {}
        # As the `date` filter prints dates: in the current time zone; "F" is the month's
        # name in the language of the request.
        self.zone = timezone.get_current_timezone()
        self.months: dict[int, str] = {}

    def card(self, post: Post) -> Card:
        published = post.published_at
        if published is not None:
            published = published.astimezone(self.zone)
        when = post.event_when if post.kind == Kind.EVENT else None
        return Card(
            post=post,
            kind=post.kind,
            url=self.post_path(post.slug) + self.back_suffix,  # post.get_absolute_url()
            title=escape(post.title),
            marked_title=highlight(post.title, self.terms),
            excerpt=None
            if post.kind == Kind.QUOTE and post.quote_text
            else highlight(post.summary, self.terms),
            cover=cover(post),
            when=when,
            cancelled=post.is_cancelled,
            badge=self.badge(post) if post.shows_kind_badge else "",
            published_iso=published.isoformat() if published else "",
            published_text=self.date_text(published) if published else "",
            facts=facts_template(post),
            chips=self.chips.of(post.categories_among(self.categories)),
            link=post.link,
            link_label=post.link_label,
        )

    def badge(self, post: Post) -> SafeString:
        # The same for every post of a kind: rendered once per kind shown on the page.
        if (html := self.badges.get(post.kind)) is None:
            html = self.badges[post.kind] = render_to_string(BADGE, {"post": post})
        return html

    def date_text(self, moment: datetime) -> str:
        if (month := self.months.get(moment.month)) is None:
            month = self.months[moment.month] = str(MONTHS[moment.month])
        return f"{moment.day} {month} {moment.year:04d}"  # "j F Y"


def cover(post: Post) -> Cover | None:
    # Without its size the card shows no image: the page would move as it loads.
    if not (post.cover and post.cover_width and post.cover_height):
        return None
    return Cover(url=post.cover.url, width=post.cover_width, height=post.cover_height)


@dataclass(frozen=True, slots=True)
class EventCard:
    """An event in the lists of the events pages (templates/posts/_event.html)."""

    post: Post
    url: str
    title: str
    scheduled: bool
    # The status and its words ("Cancelled"), shown when it is not the ordinary one.
    status: str
    status_text: str
    start_iso: str
    when_text: str
    place: str
    # The summary cut to its first EVENT_SUMMARY_WORDS words.
    summary: str
    # The event as an iCalendar file (feeds app), "" without a start.
    calendar_url: str


EVENT_SUMMARY_WORDS = 40


def event_cards(posts: Iterable[Post], *, back_suffix: str) -> list[EventCard]:
    post_path = slug_paths("posts:detail")
    calendar_path = slug_paths("feeds:event_ics")
    zone = timezone.get_current_timezone()
    made = []
    for post in posts:
        start = post.event_start
        summary = post.summary
        made.append(
            EventCard(
                post=post,
                url=post_path(post.slug) + back_suffix,
                title=post.title,
                scheduled=post.event_is_scheduled,
                status=post.event_status,
                status_text=post.get_event_status_display(),
                # As `{{ post.event_start|date:"c" }}`: in the current time zone.
                start_iso=start.astimezone(zone).isoformat() if start else "",
                when_text=post.event_when_text,
                place=post.event_place_text,
                # As `|truncatewords:40` would.
                summary=Truncator(summary).words(EVENT_SUMMARY_WORDS, truncate=" …")
                if summary
                else "",
                calendar_url=calendar_path(post.slug) if start else "",
            )
        )
    return made


class ChipMaker:
    """Category chips as HTML, each category's built once (a page shows each of its
    categories on many cards)."""

    def __init__(self) -> None:
        self._items: dict[int, SafeString] = {}

    def item(self, category: Category) -> SafeString:
        if (html := self._items.get(category.pk)) is None:
            html = self._items[category.pk] = chip(category)
        return html

    def of(self, categories: Sequence[Category]) -> SafeString:
        return mark_safe("".join(self.item(c) for c in categories))  # each built by format_html


def chip(category: Category) -> SafeString:
    """A category as a link to its page: on cards, on the post page and on the 404 page."""
    return format_html(
        '<li><a class="chip chip--{}" href="{}">{}</a></li>',
        category.facet,
        category.get_absolute_url(),
        category.name,
    )
