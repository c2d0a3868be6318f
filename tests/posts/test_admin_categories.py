"""Renaming, re-slugging and merging categories in the admin; old addresses redirect."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import Resolver404, resolve, reverse

from posts.models import Category, CategoryRedirect, Post
from tests.factories import forget_page, make_category, make_post
from tests.posts.admin_support import (
    fast_password_hashing,  # noqa: F401 (fixture)
    messages_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

CHANGELIST = reverse("admin:posts_category_changelist")


def edit_category(client, category: Category, **changes):
    data = {
        "name": category.name,
        "slug": category.slug,
        "facet": category.facet,
        "description": category.description,
        **changes,
    }
    url = reverse("admin:posts_category_change", args=[category.pk])
    return client.post(url, data, follow=True)


def test_renaming_keeps_the_address(editor_client, client):
    design = Category.objects.get(slug="cx-design")
    edit_category(editor_client, design, name="about service design")

    design.refresh_from_db()
    assert (design.name, design.slug) == ("about service design", "cx-design")
    assert not CategoryRedirect.objects.exists()
    assert "about service design" in client.get("/category/cx-design/").content.decode()


def test_reslugged_category_page_redirects_permanently(editor_client):
    make_post(title="Designing for nurses", categories=["cx-design"])
    design = Category.objects.get(slug="cx-design")
    response = edit_category(editor_client, design, slug="service-design")
    assert any("/category/cx-design/ and its feed now redirect" in m for m in messages_of(response))

    editor_client.logout()
    old = editor_client.get("/category/cx-design/?industry=healthcare-sector&page=1")
    assert old.status_code == 301
    assert old["Location"] == "/category/service-design/?industry=healthcare-sector&page=1"
    new = editor_client.get("/category/service-design/")
    assert new.status_code == 200
    assert "Designing for nurses" in new.content.decode()


def test_change_form_lists_the_old_addresses(editor_client):
    design = Category.objects.get(slug="cx-design")
    edit_category(editor_client, design, slug="service-design")
    html = editor_client.get(reverse("admin:posts_category_change", args=[design.pk])).content
    assert "cx-design" in html.decode()


def test_redirects_follow_a_category_through_several_slugs(client):
    design = Category.objects.get(slug="cx-design")
    for slug in ["design-one", "design-two"]:
        design.slug = slug
        design.save()
    for old in ["cx-design", "design-one"]:
        response = client.get(f"/category/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/category/design-two/")


def test_a_live_category_wins_over_an_old_address(client):
    design = Category.objects.get(slug="cx-design")
    design.slug = "service-design"
    design.save()
    newcomer = make_category(name="Computer experience design", slug="cx-design")

    assert client.get("/category/cx-design/").status_code == 200
    assert not CategoryRedirect.objects.filter(old_slug="cx-design").exists()
    forget_page(newcomer.get_absolute_url())  # built again, to look into its context
    assert client.get(newcomer.get_absolute_url()).context["category"] == newcomer


def test_unknown_category_is_still_404(client):
    assert client.get("/category/never-existed/").status_code == 404


def test_merging_moves_posts_keeps_their_other_categories_and_redirects(editor_client):
    both = make_post(title="In both", categories=["cx-design", "cx-strategy", "healthcare-sector"])
    design_only = make_post(title="Design only", categories=["cx-design", "financial-sector"])
    strategy_only = make_post(title="Strategy only", categories=["cx-strategy"])
    design = Category.objects.get(slug="cx-design")
    strategy = Category.objects.get(slug="cx-strategy")
    data = {"action": "merge_categories", "_selected_action": [design.pk, strategy.pk]}

    confirm = editor_client.post(CHANGELIST, data)
    assert confirm.status_code == 200
    assert "Merge categories" in confirm.content.decode()

    done = editor_client.post(
        CHANGELIST, {**data, "apply": "yes", "target": strategy.pk}, follow=True
    )
    assert (
        "Merged “about CX design” (1 post moved) into “about CX strategy”. "
        "Their old addresses redirect to it."
    ) in messages_of(done)
    assert not Category.objects.filter(slug="cx-design").exists()
    assert set(both.categories.values_list("slug", flat=True)) == {
        "cx-strategy",
        "healthcare-sector",
    }
    assert set(design_only.categories.values_list("slug", flat=True)) == {
        "cx-strategy",
        "financial-sector",
    }
    assert list(strategy_only.categories.values_list("slug", flat=True)) == ["cx-strategy"]
    assert set(Post.objects.filter(categories=strategy)) == {both, design_only, strategy_only}

    response = editor_client.get("/category/cx-design/")
    assert (response.status_code, response["Location"]) == (301, "/category/cx-strategy/")
    assert LogEntry.objects.filter(action_flag=DELETION, object_repr="about CX design").exists()


def test_merged_category_takes_its_old_addresses_along(client):
    design = Category.objects.get(slug="cx-design")
    design.slug = "design-renamed"
    design.save()
    strategy = Category.objects.get(slug="cx-strategy")
    design.merge_into(strategy)

    for old in ["cx-design", "design-renamed"]:
        assert client.get(f"/category/{old}/")["Location"] == "/category/cx-strategy/"


def test_merge_into_itself_is_refused(editor_client):
    design = Category.objects.get(slug="cx-design")
    data = {
        "action": "merge_categories",
        "_selected_action": [design.pk],
        "apply": "yes",
        "target": design.pk,
    }
    response = editor_client.post(CHANGELIST, data, follow=True)
    assert "Select at least one category other than the one to keep." in messages_of(response)
    assert Category.objects.filter(pk=design.pk).exists()
    with pytest.raises(ValueError, match="cannot be merged into itself"):
        design.merge_into(design)


def test_change_list_counts_posts(editor_client):
    make_category(name="An unused topic", facet="topic", slug="cx-design-x")
    make_post(categories=["cx-design"])
    make_post(categories=["cx-design", "cx-strategy"])
    rows = editor_client.get(f"{CHANGELIST}?facet=topic").context["cl"].result_list
    counts = {c.slug: c.post_count for c in rows}
    assert (counts["cx-design"], counts["cx-strategy"], counts["cx-design-x"]) == (2, 1, 0)


def _feed_route_exists() -> bool:
    try:
        resolve("/category/cx-design/feed/")
    except Resolver404:
        return False
    return True


@pytest.mark.skipif(not _feed_route_exists(), reason="category feeds are not merged in yet")
def test_old_category_feed_address_redirects(client):
    design = Category.objects.get(slug="cx-design")
    design.slug = "service-design"
    design.save()
    response = client.get("/category/cx-design/feed/")
    assert (response.status_code, response["Location"]) == (301, "/category/service-design/feed/")
