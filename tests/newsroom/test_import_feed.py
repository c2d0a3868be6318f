"""`manage.py import_feed`: the previous hub's own posts come in published, with full text."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.utils.text import slugify

from newsroom.models import ImportedPost
from posts.models import OldAddress, Post
from tests.commands import command_output
from tests.factories import make_category, make_post

pytestmark = pytest.mark.django_db

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
EXPORT = "tests/data/feeds/hub-export.xml"


def run(*args, **options) -> str:
    return command_output("import_feed", *args, **options)


def test_import_from_a_file_brings_published_posts_with_full_text():
    out = run(EXPORT, verbosity=2)

    assert "3 entries: 3 new, 0 updated, 0 unchanged" in out
    assert "Stop measuring CX by survey count alone: new" in out
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


def test_unmapped_categories_are_reported_with_the_option_that_maps_them():
    out = run(EXPORT)

    assert "Categories with no match among ours, left off the posts." in out
    assert "“Quotes archive” (1 post): --map 'Quotes archive=<slug>'" in out
    assert "“Webinars” (2 posts): --map 'Webinars=<slug>'" in out
    assert "Our category slugs: automotive-industry, broader-inspiration," in out


def test_unmapped_name_close_to_one_of_ours_is_given_the_full_option():
    make_category(name="Webinar recordings", slug="webinar-recordings", facet="format")

    out = run(EXPORT)

    assert (
        "“Webinars” (2 posts): --map Webinars=webinar-recordings "
        "(closest: “Webinar recordings”)" in out
    )


def test_map_options_and_a_map_file_map_old_names_onto_our_slugs(tmp_path):
    make_category(name="Webinar recordings", slug="webinar-recordings", facet="format")
    mapping = tmp_path / "categories.txt"
    mapping.write_text(
        "# old name = our slug\n\n  quotes ARCHIVE = inspirational-quote  # noted\n",
        encoding="utf-8",
    )

    out = run(EXPORT, "--map", "Webinars=webinar-recordings", "--map-file", str(mapping))

    assert "Categories with no match" not in out
    quotes = Post.objects.get(title="Five quotes we keep on the wall")
    assert set(quotes.categories.values_list("slug", flat=True)) == {
        "inspirational-quote",
        "webinar-recordings",
    }


def test_a_mapping_onto_an_unknown_slug_is_an_error_naming_it(tmp_path):
    with pytest.raises(CommandError, match="no category with the slug “webinar-recording”"):
        run(EXPORT, "--map", "Webinars = webinar-recording")
    broken = tmp_path / "categories.txt"
    broken.write_text("Webinars\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"categories\.txt, line 1: “Webinars” is not of the"):
        run(EXPORT, "--map-file", str(broken))
    assert Post.objects.count() == 0


def test_import_is_idempotent_and_keeps_edits():
    run(EXPORT)
    before = list(Post.objects.order_by("pk").values_list("pk", "title", "body", "updated_at"))
    edited = Post.objects.get(title="Five quotes we keep on the wall")
    edited.body = "<p>Rewritten by our editor.</p>"
    edited.save()

    out = run(EXPORT)

    assert "3 entries: 0 new, 0 updated, 2 unchanged, 1 kept because they were edited here" in out
    assert "Kept because they were edited here" in out
    assert f"“Five quotes we keep on the wall”: /admin/posts/post/{edited.pk}/change/" in out
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
    out = run(EXPORT, "--dry-run", verbosity=2)

    assert out.count(": new") == 3
    assert "Dry run, nothing saved. 3 entries: 3 new" in out
    assert Post.objects.count() == 0
    assert not OldAddress.objects.exists()


def test_missing_file_and_broken_feed_are_clear_errors(feed_server):
    with pytest.raises(CommandError, match=r"There is no file nowhere\.xml"):
        run("nowhere.xml")
    with pytest.raises(CommandError, match=r"is a web page \(HTML\), not a feed"):
        run("tests/data/feeds/page.html")
    with pytest.raises(CommandError, match="404 Not Found"):
        run(feed_server.url("/missing.xml"))
    assert Post.objects.count() == 0


# ----- old addresses -----


def test_posts_keep_their_old_slug_when_it_is_free(client):
    out = run(EXPORT)

    post = Post.objects.get(title="Stop measuring CX by survey count alone")
    assert post.slug == "stop-measuring-by-survey-count"
    assert "Old addresses: 0 recorded, redirecting to the posts; 3 posts kept their old" in out
    response = client.get("/post/stop-measuring-by-survey-count", follow=True)
    assert response.redirect_chain == [("/post/stop-measuring-by-survey-count/", 301)]
    assert response.context["post"] == post


def test_old_address_redirects_when_the_old_slug_is_taken(client):
    other = make_post(title="Five quotes, the other one", slug="five-quotes")

    out = run(EXPORT)

    imported = Post.objects.get(title="Five quotes we keep on the wall")
    assert imported.slug == "five-quotes-we-keep-on-the-wall"
    assert "Old addresses: 1 recorded, redirecting to the posts; 2 posts kept their old" in out
    response = client.get("/post/five-quotes")
    assert response.status_code == 301
    assert response["Location"] == "/post/five-quotes-we-keep-on-the-wall/"
    # The other post keeps its own address.
    assert client.get("/post/five-quotes/").context["post"] == other


def test_posts_imported_before_old_addresses_existed_get_them_on_the_next_run(client):
    run(EXPORT)
    # As the import made them before: slugs from the titles, no old address recorded.
    for post in Post.objects.all():
        Post.objects.filter(pk=post.pk).update(slug=slugify(post.title))
    OldAddress.objects.all().delete()

    out = run(EXPORT)

    assert "3 entries: 0 new, 0 updated, 3 unchanged" in out
    assert "Old addresses: 3 recorded, redirecting to the posts." in out
    response = client.get("/post/listening-to-field-teams")
    assert response["Location"] == "/post/listening-to-field-teams-a-webinar-recap/"
    assert "3 recorded before" in run(EXPORT)


def test_an_old_address_of_another_post_is_left_alone_and_reported():
    elsewhere = make_post(title="Elsewhere")
    OldAddress.objects.create(path="/post/five-quotes", post=elsewhere)
    make_post(title="Holding the slug", slug="five-quotes")

    out = run(EXPORT)

    assert "Old addresses not recorded:" in out
    assert "its old address /post/five-quotes already leads to “Elsewhere”; left as it is" in out
    assert OldAddress.objects.get(path="/post/five-quotes").post == elsewhere


# ----- what else the report says -----


def test_an_entry_listed_twice_is_imported_once_and_reported(tmp_path):
    feed = tmp_path / "twice.xml"
    feed.write_text(
        (FEEDS / "hub-export.xml").read_text(encoding="utf-8").replace("6421aa03", "6421aa01"),
        encoding="utf-8",
    )

    out = run(str(feed))

    assert "3 entries: 2 new, 0 updated, 0 unchanged, 0 kept because they were edited " in out
    assert "here, 1 skipped." in out
    assert (
        "“Five quotes we keep on the wall” (https://old-hub.example/post/five-quotes): listed "
        "again in the feed (same guid, or same link without one); the first one was imported"
    ) in out
    assert Post.objects.count() == 2


def test_the_file_after_the_same_feed_over_http_changes_nothing(feed_server, tmp_path):
    # The old site on the loopback server, so that relative links resolve alike both ways.
    export = (FEEDS / "hub-export.xml").read_text(encoding="utf-8")
    export = export.replace("https://old-hub.example", feed_server.url("").rstrip("/"))
    saved = tmp_path / "hub-export.xml"
    saved.write_text(export, encoding="utf-8")
    url = feed_server.route("/blog/feed.xml", body=export.encode())
    run(url)

    out = run(str(saved))

    assert "3 entries: 0 new, 0 updated, 3 unchanged" in out
