import pytest

from posts.models import Category
from posts.selection import Facet
from tests.factories import forget_page, make_post

# The category list of the hub as it stood when the project started (shared/seeds/000_*).
HUB_CATEGORIES = {
    "topic": [
        "about customer centric culture",
        "about CX design",
        "about CX strategy",
        "about measuring CX success",
        "about organizational adoption",
        "about understanding the customer",
    ],
    "format": [
        "being an inspirational quote",
        "being conceptual cases",
        "being real life examples",
    ],
    "industry": [
        "by automotive industry",
        "by comm's business",
        "by cultural activities",
        "by e-commerce industry",
        "by financial sector",
        "by healthcare sector",
        "by leisure industry",
        "by tech industry",
    ],
    "focus": ["focus on digital experience", "focus on patient experience"],
    "series": ["Stop-it mini series"],
    "other": ["broader inspiration", "CX Community & Events"],
}


@pytest.mark.django_db
def test_migration_creates_the_hub_categories_grouped_by_facet():
    found: dict[str, list[str]] = {}
    for category in Category.objects.all():
        found.setdefault(category.facet, []).append(category.name)
    assert {facet: sorted(names) for facet, names in found.items()} == {
        facet: sorted(names) for facet, names in HUB_CATEGORIES.items()
    }
    assert Category.objects.count() == 22


@pytest.mark.django_db
def test_category_slugs_are_readable_and_unique():
    slugs = list(Category.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 22
    assert Category.objects.get(name="CX Community & Events").slug == "cx-community-events"
    assert Category.objects.get(name="by comm's business").slug == "comms-business"
    assert all(slug == slug.lower() and " " not in slug for slug in slugs)


@pytest.mark.django_db
def test_navigation_order_follows_the_facets():
    ordered = Category.objects.all().in_navigation_order()
    facets = [c.facet for c in ordered]
    assert facets == sorted(facets, key=list(Facet.values).index)
    assert ordered[0].name == "about customer centric culture"


@pytest.mark.django_db
def test_editor_can_add_a_category_to_a_facet():
    category = Category.objects.create(name="about service design", facet=Facet.TOPIC)
    assert category.slug == "about-service-design"
    assert category.get_absolute_url() == "/category/about-service-design/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, slug, expected",
    [
        ("Qualität im Kundenservice", "", "qualitat-im-kundenservice"),
        ("Big CX", "Big-CX", "big-cx"),
        ("Omotenashi", "おもてなし", "omotenashi"),
        ("おもてなし", "", "category"),
        ("Überblick", "überblick", "uberblick"),
    ],
)
def test_category_slugs_are_lower_case_ascii_whatever_the_editor_types(
    client, name, slug, expected
):
    category = Category.objects.create(name=name, facet=Facet.TOPIC, slug=slug)
    assert category.slug == expected
    make_post(title="Tagged", categories=[expected])
    # Every page that links categories keeps working, and the slug works as a filter.
    for url in [
        "/",
        category.get_absolute_url(),
        f"/?topic={expected}",
        "/subscribe/",
        "/feeds.opml",
    ]:
        assert client.get(url).status_code == 200, url
    forget_page(f"/?topic={expected}")  # built again, to look into its context
    assert [p.title for p in client.get(f"/?topic={expected}").context["posts"]] == ["Tagged"]


@pytest.mark.django_db
def test_admin_reports_a_slug_that_clashes_once_normalised(admin_client):
    response = admin_client.post(
        "/admin/posts/category/add/",
        {"name": "Another design topic", "slug": "CX-Design", "facet": "topic", "description": ""},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Category.objects.filter(slug="cx-design").count() == 1
