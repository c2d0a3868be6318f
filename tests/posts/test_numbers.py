"""Counts as readers read them at the archive's size: 100,000 posts, page 1 of 5,000."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from posts.filters import Option
from posts.models import Category
from posts.pagemeta import listing_heading
from posts.panel import option
from posts.selection import PostFilter
from tests.factories import make_posts_in_bulk


def test_the_filter_groups_thousands_and_leaves_the_rest():
    rendered = Template(
        "{% load numbers %}{{ a|thousands }} {{ b|thousands }} {{ c|thousands }} {{ d|thousands }}"
    ).render(Context({"a": 100000, "b": 999, "c": "page", "d": True}))
    assert rendered == "100,000 999 page True"


def test_a_panel_option_groups_its_count_in_text_and_name():
    category = Category(name="by healthcare sector", slug="healthcare-sector", facet="industry")
    source = Option(
        category=category, count=41679, included=False, excluded=False,
        toggle_url="/?industry=healthcare-sector", exclude_url="/?not=healthcare-sector",
    )  # fmt: skip
    html = option(category.name, source)
    assert 'aria-label="41,679 posts">41,679</span>' in html


def test_a_search_heading_groups_its_count():
    selection = PostFilter(query="enablement")
    assert listing_heading(selection, {}, 1000).startswith("1,000 posts matching")
    assert listing_heading(selection, {}, 1001).startswith("More than 1,000 posts matching")


@pytest.mark.django_db
def test_pages_group_the_thousands_of_their_counts(client, settings, hub_categories):
    settings.POSTS_PER_PAGE = 1
    moment = timezone.now() - timedelta(days=40)
    healthcare = Category.objects.get(slug="healthcare-sector")
    make_posts_in_bulk(1001, healthcare, since=moment)
    home = client.get("/").content.decode()
    assert "1,001 posts, page 1 of 1,001" in home
    assert 'aria-label="1,001 posts">1,001</span>' in home  # the panel
    month = timezone.localtime(moment)
    archive = client.get("/archive/").content.decode()
    assert "1,001 posts" in archive
    period = client.get(f"/archive/{month:%Y}/").content.decode()
    assert "1,001 posts, page 1 of 1,001" in period
