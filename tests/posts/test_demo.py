from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max

from posts.demo_content import DEMO_POSTS
from posts.models import Category, Post


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_demo_content_loads_enough_published_posts_across_years_and_categories():
    load()
    published = Post.objects.published()
    assert published.count() >= 60
    assert len({d.year for d in published.values_list("published_at", flat=True)}) >= 5
    for category in Category.objects.all():
        assert published.filter(categories=category).exists(), category.name
    assert Post.objects.filter(status=Post.Status.DRAFT).exists()
    assert Post.objects.count() == len(DEMO_POSTS)


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first = load()
    assert f"{len(DEMO_POSTS)} post(s) created" in first
    snapshot = (Post.objects.count(), Post.objects.aggregate(Max("updated_at")))
    second = load()
    assert "0 post(s) created" in second
    assert (Post.objects.count(), Post.objects.aggregate(Max("updated_at"))) == snapshot


@pytest.mark.django_db
def test_loader_leaves_an_edited_demo_post_alone():
    load()
    post = Post.objects.get(slug=DEMO_POSTS[0]["slug"])
    post.title = "Edited by the editor"
    post.save()
    load()
    assert Post.objects.get(pk=post.pk).title == "Edited by the editor"


@pytest.mark.django_db
def test_every_category_page_of_the_demo_hub_is_browsable(client):
    load()
    for category in Category.objects.all():
        response = client.get(category.get_absolute_url())
        assert response.status_code == 200, category.slug
        assert response.context["page"].paginator.count > 0, category.slug


@pytest.mark.django_db
def test_demo_posts_render(client):
    load()
    for post in Post.objects.published()[:100]:
        assert client.get(post.get_absolute_url()).status_code == 200
