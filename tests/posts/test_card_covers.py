"""Cards show a post's cover at its stored size; posts without one keep the compact card."""

import importlib
import re
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from posts.models import Post
from tests.factories import make_post


def png(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "#0b5cad").save(buffer, "PNG")
    return buffer.getvalue()


def with_cover(post: Post, width: int = 800, height: int = 450) -> Post:
    post.cover = SimpleUploadedFile("cover.png", png(width, height), content_type="image/png")
    post.save()
    return post


def card_of(html: str, title: str) -> str:
    cards = re.findall(r"<article class=\"card.*?</article>", html, re.S)
    return next(card for card in cards if title in card)


def test_cover_size_is_stored_when_a_cover_is_set(db):
    post = with_cover(make_post(title="Covered"), 640, 360)
    stored = Post.objects.values_list("cover_width", "cover_height").get(pk=post.pk)
    assert stored == (640, 360)
    # A new cover replaces the size; removing it clears the size.
    with_cover(post, 300, 500)
    assert Post.objects.values_list("cover_width", "cover_height").get(pk=post.pk) == (300, 500)
    post.cover = None
    post.save()
    assert Post.objects.values_list("cover_width", "cover_height").get(pk=post.pk) == (None, None)


def test_card_shows_the_cover_with_its_size_lazily(client, db):
    with_cover(make_post(title="Covered", days_ago=1), 800, 450)
    make_post(title="Plain", days_ago=2)
    html = client.get("/").content.decode()
    img = re.search(r"<img class=\"card__cover\"[^>]*>", card_of(html, "Covered")).group(0)
    assert re.search(r'src="/media/covers/\d{4}/\d{2}/[^"]+\.png"', img)
    expected = ('width="800"', 'height="450"', 'alt=""', 'loading="lazy"', 'decoding="async"')
    for attribute in expected:
        assert attribute in img
    assert "<img" not in card_of(html, "Plain")


def test_a_lost_cover_file_leaves_the_compact_card(client, db):
    make_post(title="Lost cover", cover="covers/2020/01/gone.png")
    response = client.get("/")
    assert response.status_code == 200
    assert "<img" not in card_of(response.content.decode(), "Lost cover")


def test_covers_add_no_queries_to_the_listing(client, db):
    for n in range(5):
        make_post(title=f"Plain {n}", categories=["cx-design"])
    with CaptureQueriesContext(connection) as plain:
        assert client.get("/?topic=cx-design").status_code == 200
    for post in Post.objects.all():
        with_cover(post)
    with CaptureQueriesContext(connection) as covered:
        html = client.get("/?topic=cx-design").content.decode()
    assert html.count('class="card__cover"') == 5
    assert len(plain) > 0
    assert len(covered) == len(plain)


@pytest.mark.django_db(transaction=True)
def test_migration_measures_existing_covers(hub_categories):
    default_storage.save("covers/2024/01/old.png", BytesIO(png(120, 90)))
    post = make_post(title="Old cover", cover="covers/2024/01/old.png")
    lost = make_post(title="Lost", cover="covers/2024/01/gone.png")
    Post.objects.update(cover_width=None, cover_height=None)
    migration = importlib.import_module("posts.migrations.0011_cover_size")
    from django.apps import apps

    migration.measure_covers(apps, None)
    sizes = dict(Post.objects.values_list("pk", "cover_width"))
    assert sizes == {post.pk: 120, lost.pk: None}
    assert Post.objects.get(pk=post.pk).cover_height == 90
