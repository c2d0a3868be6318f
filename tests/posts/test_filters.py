import re

import pytest
from django.http import QueryDict

from posts.models import Category
from posts.selection import PostFilter
from tests.factories import make_post


@pytest.fixture
def categories(db):
    return {c.slug: c for c in Category.objects.all()}


@pytest.fixture
def posts(db):
    """A small, known grid of posts over two topics, two industries and a quote format."""
    return {
        "design_health": make_post(
            title="Design in health", categories=["cx-design", "healthcare-sector"]
        ),
        "design_fin": make_post(
            title="Design in finance", categories=["cx-design", "financial-sector"]
        ),
        "strategy_health": make_post(
            title="Strategy in health", categories=["cx-strategy", "healthcare-sector"]
        ),
        "strategy_quote": make_post(
            title="Strategy quote", categories=["cx-strategy", "inspirational-quote"]
        ),
        "lonely": make_post(title="Broader thought", categories=["broader-inspiration"]),
    }


def parse(query: str, categories) -> PostFilter:
    return PostFilter.from_querydict(QueryDict(query), categories)


def titles(response) -> list[str]:
    return sorted(post.title for post in response.context["posts"])


def counts(response) -> dict[str, int]:
    return {o.category.slug: o.count for g in response.context["facets"] for o in g.options}


def test_parsing_groups_values_by_facet_and_reports_unknown_ones(categories):
    selection = parse(
        "topic=cx-design,cx-strategy&industry=healthcare-sector&topic=nope", categories
    )
    assert selection.included == {
        "topic": ("cx-design", "cx-strategy"),
        "industry": ("healthcare-sector",),
    }
    assert selection.notices == ("There is no category “nope”, so it was left out of the filter.",)


def test_a_category_under_the_wrong_facet_is_left_out_with_a_notice(categories):
    selection = parse("topic=healthcare-sector", categories)
    assert selection.included == {}
    assert "not a topic category" in selection.notices[0]


def test_or_within_a_facet(client, posts):
    response = client.get("/?topic=cx-design&topic=cx-strategy")
    assert titles(response) == [
        "Design in finance", "Design in health", "Strategy in health", "Strategy quote",
    ]  # fmt: skip


def test_and_across_facets(client, posts):
    response = client.get("/?topic=cx-design&industry=healthcare-sector")
    assert titles(response) == ["Design in health"]


def test_or_and_and_together(client, posts):
    response = client.get("/?topic=cx-design,cx-strategy&industry=healthcare-sector")
    assert titles(response) == ["Design in health", "Strategy in health"]


def test_exclusion(client, posts):
    response = client.get("/?topic=cx-strategy&not=inspirational-quote")
    assert titles(response) == ["Strategy in health"]
    assert "Broader thought" not in titles(client.get("/?not=broader-inspiration"))


def test_a_post_in_two_selected_categories_is_listed_once(client, posts):
    make_post(title="Both topics", categories=["cx-design", "cx-strategy"])
    response = client.get("/?topic=cx-design&topic=cx-strategy")
    assert titles(response).count("Both topics") == 1
    assert response.context["page"].paginator.count == 5


def test_counts_reflect_the_current_filters(client, posts):
    unfiltered = counts(client.get("/"))
    assert unfiltered["cx-design"] == 2
    assert unfiltered["healthcare-sector"] == 2
    assert unfiltered["cx-community-events"] == 0

    filtered = counts(client.get("/?industry=healthcare-sector"))
    # Other facets are narrowed to healthcare posts …
    assert filtered["cx-design"] == 1
    assert filtered["cx-strategy"] == 1
    assert filtered["inspirational-quote"] == 0
    # … while the industry facet still counts its alternatives (OR within a facet).
    assert filtered["financial-sector"] == 1
    assert filtered["healthcare-sector"] == 2


def test_counts_ignore_drafts(client, posts):
    make_post(title="Draft", categories=["cx-design"], status="draft")
    assert counts(client.get("/"))["cx-design"] == 2


def test_active_filters_are_shown_with_links_that_remove_them(client, posts):
    response = client.get("/?topic=cx-design&industry=healthcare-sector&not=inspirational-quote")
    chips = {c["label"]: c for c in response.context["chips"]}
    assert chips["about CX design"]["remove_url"] == (
        "/?industry=healthcare-sector&not=inspirational-quote"
    )
    assert chips["not being an inspirational quote"]["negated"] is True
    html = response.content.decode()
    assert "Clear all filters" in html
    assert 'href="/?industry=healthcare-sector&amp;not=inspirational-quote"' in html


def test_removing_the_last_but_one_filter_leads_to_the_category_page(client, posts):
    response = client.get("/?topic=cx-design&industry=healthcare-sector")
    chips = {c["label"]: c["remove_url"] for c in response.context["chips"]}
    assert chips["by healthcare sector"] == "/category/cx-design/"


def test_category_page_offers_adding_a_second_filter(client, posts):
    response = client.get("/category/cx-design/")
    options = {o.category.slug: o for g in response.context["facets"] for o in g.options}
    assert options["cx-design"].included
    assert options["healthcare-sector"].toggle_url == "/?topic=cx-design&industry=healthcare-sector"
    assert options["cx-design"].toggle_url == "/"
    assert options["healthcare-sector"].count == 1


def test_unknown_filter_values_are_ignored_with_a_visible_notice(client, posts):
    response = client.get("/?topic=no-such-thing&industry=healthcare-sector")
    assert response.status_code == 200
    assert titles(response) == ["Design in health", "Strategy in health"]
    assert "There is no category “no-such-thing”" in response.content.decode()


def test_unknown_query_parameters_are_ignored_silently(client, posts):
    response = client.get("/?utm_source=newsletter&fbclid=abc")
    assert response.status_code == 200
    assert not response.context["selection"].notices
    assert len(response.context["posts"]) == 5


def test_search_matches_every_word(client, posts):
    make_post(title="Voice of the customer", body="<p>Listening at scale in pharma.</p>")
    assert titles(client.get("/?q=voice+pharma")) == ["Voice of the customer"]
    assert titles(client.get("/?q=voice+automotive")) == []


def test_search_combines_with_filters_and_is_shown(client, posts):
    response = client.get("/?q=health&topic=cx-strategy")
    assert titles(response) == ["Strategy in health"]
    assert "“health”" in response.content.decode()


def test_shared_url_reproduces_the_same_view(client, posts):
    first = client.get("/?industry=healthcare-sector&topic=cx-design")
    again = client.get(first.context["selection"].get_absolute_url())
    assert titles(first) == titles(again)
    assert first.context["selection"].get_absolute_url() == (
        "/?topic=cx-design&industry=healthcare-sector"
    )


def test_excluding_a_selected_category_drops_it_from_the_selection(categories):
    selection = parse("topic=cx-design&not=cx-design", categories)
    assert selection.included == {}
    assert selection.excluded == ("cx-design",)


def test_notices_are_escaped(client, posts):
    html = client.get("/?topic=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert re.search(r"There is no category “&lt;script&gt;", html)


def test_control_characters_in_search_are_dropped(client, posts):
    # PostgreSQL rejects NUL in text; the search must not pass it on.
    response = client.get("/?q=Design%00+health%01")
    assert response.status_code == 200
    assert titles(response) == ["Design in health"]
