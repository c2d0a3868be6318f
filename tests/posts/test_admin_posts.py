"""The editor's post workflow through the admin, driven with the test client."""

import io
import random
import struct
import zlib
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from posts.admin_forms import PostAdminForm, facet_field_name
from posts.models import Category, Post
from posts.selection import Facet
from tests.factories import make_post
from tests.posts.admin_support import (
    fast_password_hashing,  # noqa: F401 (fixture)
    freeze_time,
    messages_of,
    post_form_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

ADD = reverse("admin:posts_post_add")
CHANGELIST = reverse("admin:posts_post_changelist")


def change_url(post: Post) -> str:
    return reverse("admin:posts_post_change", args=[post.pk])


def image_file(name: str, *, size=(300, 200), kind="PNG", noise=False) -> SimpleUploadedFile:
    if noise:  # incompressible, so the file is as big as its pixels
        data = random.Random(7).randbytes(size[0] * size[1] * 3)
        image = Image.frombytes("RGB", size, data)
    else:
        image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=kind)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind.lower()}")


# ----- adding and editing -----


def test_form_has_one_category_control_per_facet_with_only_its_categories(editor_client):
    form = editor_client.get(ADD).context["adminform"].form

    for facet in Facet:
        field = form.fields[facet_field_name(facet)]
        offered = {c.slug for c in field.queryset}
        assert offered == set(Category.objects.filter(facet=facet).values_list("slug", flat=True))
    assert "categories" not in form.fields
    # The long industry list gets a filter box; the single series does not need one.
    html = editor_client.get(ADD).content.decode()
    assert html.count('class="facet-filter"') == 2  # topic (6) and industry (8)


@pytest.mark.parametrize("facet", list(Facet))
def test_editor_adds_a_post_in_each_facet(editor_client, facet):
    category = Category.objects.filter(facet=facet).first()
    data = post_form_data(
        title=f"Inspiration filed under {facet.label}",
        link="https://example.org/story",
        kind="article",
        **{facet_field_name(facet): [category.pk]},
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 302

    post = Post.objects.get()
    assert post.slug == f"inspiration-filed-under-{facet.label.lower()}"
    assert list(post.categories.all()) == [category]
    assert post.status == Post.Status.DRAFT
    entry = LogEntry.objects.get()
    assert entry.user.username == "editor" and entry.is_addition()


def test_categories_from_several_facets_are_combined(editor_client):
    design = Category.objects.get(slug="cx-design")
    health = Category.objects.get(slug="healthcare-sector")
    data = post_form_data(categories_topic=[design.pk], categories_industry=[health.pk])
    assert editor_client.post(ADD, data).status_code == 302
    assert set(Post.objects.get().categories.all()) == {design, health}


def test_editing_shows_current_categories_and_can_remove_them(editor_client):
    post = make_post(title="Tagged", categories=["cx-design", "healthcare-sector"])
    form = editor_client.get(change_url(post)).context["adminform"].form
    assert form.initial["categories_topic"] == [Category.objects.get(slug="cx-design").pk]

    data = post_form_data(
        title="Tagged",
        status="published",
        published_at=post.published_at,
        categories_industry=[Category.objects.get(slug="healthcare-sector").pk],
    )
    assert editor_client.post(change_url(post), data).status_code == 302
    assert [c.slug for c in post.categories.all()] == ["healthcare-sector"]


def test_a_category_of_another_facet_is_refused(editor_client):
    finance = Category.objects.get(slug="financial-sector")
    response = editor_client.post(ADD, post_form_data(categories_topic=[finance.pk]))
    assert response.status_code == 200
    assert "categories_topic" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_markdown_body_is_rendered_sanitised_and_the_editor_told(editor_client):
    source = (
        "# Why journeys matter\n\n"
        "Patients **remember** how care *felt*. [Read more](https://example.org/more)\n\n"
        '<script>steal()</script>\n\n<a href="javascript:alert(1)" onclick="x()">click</a>\n'
    )
    response = editor_client.post(ADD, post_form_data(body_source=source), follow=True)

    post = Post.objects.get()
    assert post.body_source == source.strip()  # the editor's Markdown, kept for the next edit
    assert "<h2>Why journeys matter</h2>" in post.body  # h1 belongs to the page title
    assert "<strong>remember</strong>" in post.body
    assert 'href="https://example.org/more"' in post.body
    assert "script" not in post.body and "steal" not in post.body
    assert "javascript" not in post.body and "onclick" not in post.body
    (report,) = [m for m in messages_of(response) if m.startswith("Removed from the body")]
    assert "<script> element with its content" in report
    assert "address starting with “javascript:”" in report
    assert "“onclick” attribute on <a>" in report


def test_clean_body_gives_no_removal_report(editor_client):
    response = editor_client.post(
        ADD,
        post_form_data(body_format="html", body_source="<p>Fine <em>HTML</em>.</p>"),
        follow=True,
    )
    assert Post.objects.get().body == "<p>Fine <em>HTML</em>.</p>"
    assert not [m for m in messages_of(response) if m.startswith("Removed")]


def test_post_that_arrived_as_html_is_edited_as_html(editor_client):
    post = make_post(title="From a feed", body="<p>Feed <b>text</b></p>")
    form = editor_client.get(change_url(post)).context["adminform"].form
    assert form.initial["body_source"] == "<p>Feed <b>text</b></p>"
    assert form.initial["body_format"] == "html"


def test_slug_follows_the_title_until_publication_then_stays(editor_client):
    editor_client.post(ADD, post_form_data(title="First title"))
    post = Post.objects.get()
    assert post.slug == "first-title"
    # A draft's slug may still change.
    editor_client.post(change_url(post), post_form_data(title="First title", slug="better-slug"))
    post.refresh_from_db()
    assert post.slug == "better-slug"

    post.publish()
    form = editor_client.get(change_url(post)).context["adminform"].form
    assert "slug" not in form.fields  # shown read-only
    data = post_form_data(
        title="A new title", slug="sneaky", status="published", published_at=post.published_at
    )
    assert editor_client.post(change_url(post), data).status_code == 302
    post.refresh_from_db()
    assert (post.title, post.slug) == ("A new title", "better-slug")
    # Unpublishing does not free it: readers may have the address.
    post.unpublish()
    assert "slug" not in editor_client.get(change_url(post)).context["adminform"].form.fields


# ----- cover images -----


def test_cover_upload_is_scaled_to_card_width_and_stored_under_media_root(editor_client, settings):
    data = post_form_data(cover=image_file("Team photo.png", size=(3000, 1500)))
    assert editor_client.post(ADD, data).status_code == 302

    cover = Post.objects.get().cover
    assert cover.name.startswith("covers/") and cover.name.endswith("/team-photo.png")
    assert cover.path.startswith(str(settings.MEDIA_ROOT))
    with Image.open(cover.path) as image:
        assert image.size == (1200, 600)


def test_small_cover_is_kept_at_its_size(editor_client):
    data = post_form_data(cover=image_file("small.jpg", size=(640, 360), kind="JPEG"))
    assert editor_client.post(ADD, data).status_code == 302
    with Image.open(Post.objects.get().cover.path) as image:
        assert (image.size, image.format) == ((640, 360), "JPEG")


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (lambda: image_file("anim.gif", kind="GIF"), "This is a GIF image; upload a JPEG, PNG"),
        (
            lambda: SimpleUploadedFile("fake.jpg", b"<?php evil(); ?>", content_type="image/jpeg"),
            "Upload a valid image",
        ),
        (
            lambda: image_file("big.png", size=(1000, 700), noise=True),
            "is 2.0 MB; the most the hub accepts is 1 MB",
        ),
    ],
)
def test_cover_upload_is_validated(editor_client, settings, upload, expected):
    settings.COVER_MAX_UPLOAD_MB = 1
    response = editor_client.post(ADD, post_form_data(title="Keep me", cover=upload()))
    assert response.status_code == 200
    assert expected in response.context["adminform"].form.errors["cover"][0]
    assert not Post.objects.exists()


def huge_png(width: int, height: int) -> bytes:
    """A valid, highly compressed all-black PNG: a few hundred KB that decode to gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = bytes(1 + width * 3)  # filter byte, then RGB
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_huge_png_cover_is_refused_from_its_header_before_decoding(editor_client):
    data = huge_png(9400, 9400)
    assert len(data) < 1024 * 1024  # small on disk: only the header tells
    upload = SimpleUploadedFile("bomb.png", data, content_type="image/png")
    response = editor_client.post(ADD, post_form_data(title="Keep me", cover=upload))
    error = response.context["adminform"].form.errors["cover"][0]
    assert "9400 by 9400 pixels, more than the 25 megapixels" in error
    assert not Post.objects.exists()


def test_large_jpeg_cover_is_decoded_scaled_down_and_stored_at_card_width(editor_client):
    data = post_form_data(cover=image_file("wide.jpg", size=(4800, 3200), kind="JPEG"))
    assert editor_client.post(ADD, data).status_code == 302
    with Image.open(Post.objects.get().cover.path) as image:
        assert (image.size, image.format) == ((1200, 800), "JPEG")


# ----- publishing and scheduling -----


def test_scheduled_post_appears_only_when_due(editor_client, client, monkeypatch):
    due = timezone.now() + timedelta(hours=3)
    data = post_form_data(title="Tomorrow's inspiration", status="published", published_at=due)
    response = editor_client.post(ADD, data, follow=True)
    assert any("is scheduled: readers see it from" in m for m in messages_of(response))
    post = Post.objects.get()

    listing = editor_client.get(CHANGELIST).content.decode()
    assert "Scheduled for" in listing
    client.logout()
    reader = client
    assert "Tomorrow&#x27;s inspiration" not in reader.get("/").content.decode()
    assert reader.get(post.get_absolute_url()).status_code == 404
    assert post not in Post.objects.published()
    assert post in Post.objects.published(at=due)

    freeze_time(monkeypatch, due + timedelta(minutes=1))
    assert "Tomorrow&#x27;s inspiration" in reader.get("/").content.decode()
    assert reader.get(post.get_absolute_url()).status_code == 200


def test_published_without_a_date_is_published_now(editor_client):
    before = timezone.now()
    editor_client.post(ADD, post_form_data(status="published"))
    post = Post.objects.get()
    assert post.is_visible and before <= post.published_at <= timezone.now()


# ----- preview -----


def test_preview_shows_a_draft_as_readers_will_see_it(editor_client):
    design = Category.objects.get(slug="cx-design")
    editor_client.post(
        ADD,
        post_form_data(
            title="Draft about journeys", body_source="Some **bold** words.",
            categories_topic=[design.pk],
        ),
    )  # fmt: skip
    post = Post.objects.get()

    preview = editor_client.get(reverse("admin:posts_post_preview", args=[post.pk]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<h1>Draft about journeys</h1>" in html  # the reader's detail template
    assert "<strong>bold</strong>" in html
    assert "about CX design" in html  # its category chip
    assert "Readers cannot see this post: it is a draft." in html
    assert preview["X-Robots-Tag"] == "noindex"
    # Readers indeed cannot.
    assert Client().get(post.get_absolute_url()).status_code == 404


def test_preview_of_unsaved_changes_saves_nothing(editor_client):
    post = make_post(title="Stored title", status=Post.Status.DRAFT)
    url = reverse("admin:posts_post_preview", args=[post.pk])
    data = post_form_data(title="Edited but not saved", body_source="New *words*.")

    html = editor_client.post(url, data).content.decode()
    assert "<h1>Edited but not saved</h1>" in html
    assert "<em>words</em>" in html
    assert "Preview of unsaved changes" in html
    post.refresh_from_db()
    assert post.title == "Stored title"
    assert not LogEntry.objects.exists()


def test_preview_from_the_add_form_creates_no_post(editor_client):
    html = editor_client.post(
        reverse("admin:posts_post_preview_new"), post_form_data(title="Not yet a post")
    ).content.decode()
    assert "<h1>Not yet a post</h1>" in html
    assert not Post.objects.exists()


def test_preview_with_form_errors_lists_them(editor_client):
    data = post_form_data(title="", link="not a link")
    response = editor_client.post(reverse("admin:posts_post_preview_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nothing to preview yet" in html and "Enter a valid URL" in html


def test_change_form_offers_preview(editor_client):
    post = make_post(title="Has a preview")
    html = editor_client.get(change_url(post)).content.decode()
    preview_url = reverse("admin:posts_post_preview", args=[post.pk])
    assert f'formaction="{preview_url}"' in html
    assert f'href="{preview_url}"' in html


# ----- bulk actions -----


def run_action(client, action: str, posts, **extra):
    data = {"action": action, "_selected_action": [p.pk for p in posts], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_bulk_publish_keeps_future_dates_scheduled(editor_client):
    draft = make_post(title="Draft", status=Post.Status.DRAFT)
    Post.objects.filter(pk=draft.pk).update(published_at=None)
    future = make_post(
        title="Future", status=Post.Status.DRAFT, published_at=timezone.now() + timedelta(days=2)
    )
    response = run_action(editor_client, "publish_posts", [draft, future])

    draft.refresh_from_db()
    future.refresh_from_db()
    assert draft.is_visible
    assert future.is_scheduled
    assert "1 post published, 1 scheduled for their future date." in messages_of(response)
    assert LogEntry.objects.filter(change_message="Published.").count() == 2


def test_bulk_unpublish(editor_client):
    posts = [make_post(title=f"Live {n}") for n in range(3)]
    run_action(editor_client, "unpublish_posts", posts[:2])
    assert [p.title for p in Post.objects.published()] == ["Live 2"]


def test_bulk_add_and_remove_a_category(editor_client):
    design = Category.objects.get(slug="cx-design")
    a = make_post(title="A", categories=["cx-design", "healthcare-sector"])
    b = make_post(title="B", categories=["healthcare-sector"])
    c = make_post(title="C")

    # First the intermediate page that asks which category.
    page = run_action(editor_client, "add_category", [a, b])
    assert page.status_code == 200
    assert "Add a category to 2 posts" in page.content.decode()

    done = run_action(editor_client, "add_category", [a, b], apply="yes", category=design.pk)
    assert "Added category “about CX design” to 1 post; 1 already had it." in messages_of(done)
    assert {p.title for p in Post.objects.filter(categories=design)} == {"A", "B"}
    assert set(b.categories.values_list("slug", flat=True)) == {"cx-design", "healthcare-sector"}

    run_action(editor_client, "remove_category", [a, b, c], apply="yes", category=design.pk)
    assert not Post.objects.filter(categories=design).exists()
    assert a.categories.get().slug == "healthcare-sector"  # the other categories stay
    assert LogEntry.objects.filter(object_id=str(c.pk)).count() == 0  # C had nothing to remove


# ----- change list -----


def test_change_list_filters_by_state_facet_and_kind(editor_client):
    make_post(title="Live design", categories=["cx-design"], kind="video")
    make_post(title="Live strategy", categories=["cx-strategy"], kind="podcast")
    make_post(title="A draft", status=Post.Status.DRAFT)
    make_post(title="Later", published_at=timezone.now() + timedelta(days=1))

    def titles(query: str) -> set[str]:
        response = editor_client.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200
        return {p.title for p in response.context["cl"].result_list}

    assert titles("state=draft") == {"A draft"}
    assert titles("state=scheduled") == {"Later"}
    assert titles("state=published") == {"Live design", "Live strategy"}
    assert titles("topic=cx-design") == {"Live design"}
    assert titles("kind=podcast") == {"Live strategy"}
    assert titles("q=strategy") == {"Live strategy"}


def test_change_list_shows_state_and_category_chips(editor_client):
    make_post(title="Chipped", categories=["cx-design", "healthcare-sector"])
    make_post(
        title="Many",
        categories=["cx-strategy", "real-life-examples", "tech-industry", "patient-experience"],
        kind="podcast",
    )
    make_post(title="Unfinished", status=Post.Status.DRAFT)
    Post.objects.filter(title="Unfinished").update(published_at=None)
    html = editor_client.get(CHANGELIST).content.decode()
    assert '<span class="chip chip-topic">about CX design</span>' in html
    assert '<span class="chip chip-industry">by healthcare sector</span>' in html
    # Past two categories a summary; every one of them in the tooltip.
    assert '<span class="chip-more">+2 more</span>' in html
    assert (
        'title="Topic: about CX strategy; Format: being real life examples; '
        'Industry: by tech industry; Focus: focus on patient experience"' in html
    )
    assert "Podcast episode · edited" in html
    assert '<span class="state state-draft">Draft</span>' in html
    assert '<span class="state state-published">Published</span>' in html
    # Drafts have no date yet and come first, on every database.
    rows = editor_client.get(CHANGELIST).context["cl"].result_list
    assert rows[0].title == "Unfinished"


def test_change_list_query_count_does_not_grow_with_rows(editor_client):
    sets = [["cx-design", "healthcare-sector"], ["cx-strategy"], ["patient-experience"]]

    def make(n):
        for i in range(n):
            make_post(title=f"Row {i}", categories=sets[i % 3])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(CHANGELIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["cl"].result_list)

    make(10)
    few, rows = count()
    assert rows == 10
    make(90)
    many, rows = count()
    assert rows == 100
    assert few == many


# ----- history -----


def test_history_of_a_post_is_visible_from_its_form(editor_client):
    editor_client.post(ADD, post_form_data(title="Version one"))
    post = Post.objects.get()
    data = post_form_data(title="Version two", slug="version-one", excerpt="Now with more")
    editor_client.post(change_url(post), data)

    html = editor_client.get(change_url(post)).content.decode()
    assert "Recent changes" in html
    assert "editor · Changed Title and Excerpt." in html
    assert "editor · Added." in html
    history = editor_client.get(reverse("admin:posts_post_history", args=[post.pk]))
    assert "Changed Title and Excerpt." in history.content.decode()


def test_every_facet_has_a_declared_form_field():
    # A facet added to the model needs its control on the form, or its categories vanish.
    assert {f"categories_{facet}" for facet in Facet.values} <= set(PostAdminForm.base_fields)


def test_sideways_photo_is_turned_upright_and_scaled_to_card_width(editor_client):
    image = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view": a portrait photo stored sideways
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("portrait.jpg", out.getvalue(), content_type="image/jpeg")
    assert editor_client.post(ADD, post_form_data(cover=upload)).status_code == 302
    with Image.open(Post.objects.get().cover.path) as stored:
        assert stored.size == (1200, 1800)
        assert stored.getexif().get(0x0112) in (None, 1)
