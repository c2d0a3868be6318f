"""`manage.py import_feed`: the previous hub's own posts come in published, with full text."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError

from newsroom.models import ImportedPost
from posts.models import Post
from tests.commands import command_output
from tests.factories import make_category

pytestmark = pytest.mark.django_db

EXPORT = "tests/data/feeds/hub-export.xml"


def run(*args) -> str:
    return command_output("import_feed", *args)


def test_import_from_a_file_brings_published_posts_with_full_text():
    out = run(EXPORT)

    assert "3 entries: 3 new, 0 updated, 0 unchanged" in out
    assert "[1/3] Stop measuring CX by survey count alone: new" in out
    post = Post.objects.get(title="Stop measuring CX by survey count alone")
    assert post in Post.objects.published()
    assert post.published_at == datetime(2023, 1, 12, 8, 15, tzinfo=UTC)
    assert post.author_name == "Hub editorial team"
    assert "This second paragraph is part of the full text" in post.body
    assert "<script" not in post.body
    # Relative image address made absolute against the entry's own site.
    assert 'src="https://old-hub.example/media/survey-chart.png"' in post.body
    assert set(post.categories.values_list("slug", flat=True)) == {
        "stop-it-mini-series",
        "measuring-cx-success",
    }
    webinar = Post.objects.get(title__startswith="Listening to field teams")
    assert webinar.author_name == "Marta Keller"
    assert set(webinar.categories.values_list("slug", flat=True)) == {
        "understanding-the-customer",  # name matched regardless of case
        "healthcare-sector",
    }
    record = ImportedPost.objects.get(post=post)
    assert record.original_url == "https://old-hub.example/post/stop-measuring-by-survey-count"


def test_unmapped_categories_are_reported():
    out = run(EXPORT)

    assert "Categories with no match among ours, left off:" in out
    assert "“Quotes archive” (1 post), “Webinars” (2 posts)" in out
    assert "Create them in the admin (same name) and run the import again" in out


def test_import_is_idempotent_and_keeps_edits():
    run(EXPORT)
    before = list(Post.objects.order_by("pk").values_list("pk", "title", "body", "updated_at"))
    edited = Post.objects.get(title="Five quotes we keep on the wall")
    edited.body = "<p>Rewritten by our editor.</p>"
    edited.save()

    out = run(EXPORT)

    assert "3 entries: 0 new, 0 updated, 2 unchanged, 1 kept because they were edited here" in out
    assert Post.objects.count() == 3
    after = list(Post.objects.order_by("pk").values_list("pk", "title", "body", "updated_at"))
    assert [row for row in after if row[0] != edited.pk] == [
        row for row in before if row[0] != edited.pk
    ]
    edited.refresh_from_db()
    assert edited.body == "<p>Rewritten by our editor.</p>"


def test_categories_created_later_are_applied_on_the_next_run():
    run(EXPORT)
    make_category(name="Webinars", facet="format")

    out = run(EXPORT)

    assert "2 updated" in out
    assert Post.objects.filter(categories__slug="webinars").count() == 2
    assert "“Webinars”" not in out


def test_import_over_http(feed_server):
    out = run(feed_server.url("/hub-export.xml"))

    assert "3 new" in out
    assert Post.objects.published().count() == 3


def test_dry_run_saves_nothing():
    out = run(EXPORT, "--dry-run")

    assert out.count(": new") == 3
    assert "Dry run, nothing saved. 3 entries: 3 new" in out
    assert Post.objects.count() == 0


def test_missing_file_and_broken_feed_are_clear_errors(feed_server):
    with pytest.raises(CommandError, match=r"There is no file nowhere\.xml"):
        run("nowhere.xml")
    with pytest.raises(CommandError, match="returned a web page"):
        run("tests/data/feeds/page.html")
    with pytest.raises(CommandError, match="404 Not Found"):
        run(feed_server.url("/missing.xml"))
    assert Post.objects.count() == 0
