"""The feed source form: named polling intervals (an unusual one kept and shown in words) and
the post form's per-facet category picker for the source's default categories."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from newsroom.admin_forms import describe_interval
from newsroom.models import FeedSource
from posts.models import Category
from tests.newsroom.ingest_factories import make_source

pytestmark = pytest.mark.django_db

ADD = reverse("admin:newsroom_feedsource_add")


def form_data(**fields) -> dict:
    return {
        "name": "Northwind",
        "feed_url": "https://northwind.example/feed.xml",
        "site_url": "",
        "active": "on",
        "interval": "3600",
        **fields,
    }


def interval_options(page: str) -> list[tuple[str, str, bool]]:
    select = re.search(r'<select name="interval".*?</select>', page, re.S).group(0)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="(\d+)"( selected)?>([^<]*)</option>', select
        )
    ]


def test_the_interval_is_offered_by_name(editor_client):
    page = editor_client.get(ADD).content.decode()

    assert [label for _, label, _ in interval_options(page)] == [
        "every 15 minutes",
        "every 30 minutes",
        "hourly",
        "every 6 hours",
        "daily",
        "weekly",
    ]
    assert ("3600", "hourly", True) in interval_options(page)  # the default
    assert "01:00:00" not in page


def test_a_new_source_with_a_named_interval_and_categories_per_facet(editor_client):
    topic = Category.objects.get(slug="cx-design")
    industry = Category.objects.get(slug="healthcare-sector")

    response = editor_client.post(
        ADD,
        form_data(interval="21600", categories_topic=[topic.pk], categories_industry=[industry.pk]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    source = FeedSource.objects.get()
    assert source.interval == timedelta(hours=6)
    assert set(source.default_categories.all()) == {topic, industry}


def test_the_form_groups_categories_by_facet_as_the_post_form_does(editor_client):
    source = make_source(
        feed_url="https://northwind.example/feed.xml", default_categories=("cx-design",)
    )

    page = editor_client.get(
        reverse("admin:newsroom_feedsource_change", args=[source.pk])
    ).content.decode()

    assert 'id="id_categories_topic"' in page and 'id="id_categories_industry"' in page
    assert "selectfilter" not in page.lower()  # the ungrouped two-pane picker is gone
    assert "data-facet-filter" in page  # the long industry list has its filter box
    assert "admin-extra/editor.js" in page
    cx_design = Category.objects.get(slug="cx-design")
    assert re.search(rf'value="{cx_design.pk}"[^>]*checked', page)


def test_an_unusual_interval_is_kept_and_shown_in_words(editor_client):
    source = make_source(
        feed_url="https://northwind.example/feed.xml", interval=timedelta(hours=2, minutes=30)
    )
    url = reverse("admin:newsroom_feedsource_change", args=[source.pk])

    page = editor_client.get(url).content.decode()
    saved = editor_client.post(url, form_data(interval="9000", name="Northwind again"))

    assert ("9000", "every 2 hours 30 minutes (as set now)", True) in interval_options(page)
    assert saved.status_code == 302
    source.refresh_from_db()
    assert source.interval == timedelta(hours=2, minutes=30)
    assert source.name == "Northwind again"


def test_an_interval_not_offered_is_refused(editor_client):
    response = editor_client.post(ADD, form_data(interval="1"))
    forged = editor_client.post(ADD, form_data(interval="not a number"))

    assert "Select a valid choice" in response.content.decode()
    assert "Select a valid choice" in forged.content.decode()
    assert not FeedSource.objects.exists()


@pytest.mark.parametrize(
    "interval, words",
    [
        (timedelta(minutes=90), "every 1 hour 30 minutes"),
        (timedelta(days=2), "every 2 days"),
        (timedelta(seconds=45), "every 45 seconds"),
        (timedelta(0), "never (no interval)"),
    ],
)
def test_intervals_in_words(interval, words):
    assert describe_interval(interval) == words
