"""The admin's OPML upload: a dry run that lists what would be added, already present or refused,
then a confirm step; real files, including malformed and hostile ones; CSRF and permissions."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from newsroom.models import FeedSource
from newsroom.opml import MAX_OPML_BYTES
from posts.models import Category
from tests.newsroom.ingest_factories import make_source
from tests.posts.admin_support import make_editor, make_staff

pytestmark = pytest.mark.django_db

OPML = Path(__file__).parent.parent / "data" / "opml"
UPLOAD = reverse("admin:newsroom_feedsource_import_opml")
SOURCES = reverse("admin:newsroom_feedsource_changelist")


def upload(client, name: str, content: bytes | None = None):
    content = (OPML / name).read_bytes() if content is None else content
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def hidden_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))


def test_the_sources_list_links_to_the_upload_page(editor_client):
    page = editor_client.get(SOURCES).content.decode()
    form = editor_client.get(UPLOAD)

    assert f'href="{UPLOAD}"' in page and "Import OPML" in page
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()


def test_a_dry_run_lists_what_would_be_added_present_or_refused_and_saves_nothing(
    editor_client,
):
    make_source(feed_url="https://known.example/feed.xml", name="Known")

    page = upload(editor_client, "subscriptions.opml").content.decode()

    assert "Dry run of subscriptions.opml: nothing has been saved yet." in page
    assert "Would be added (3)" in page
    assert "Northwind CX Notes" in page and "https://atomic.example/insights/feed.atom" in page
    assert "The Listening Lab &amp; Co." in page
    assert "Already present (1)" in page and "Already here (here: “Known”)" in page
    assert "Refused (1)" in page
    assert "“Not a feed” has no valid http(s) feed address" in page
    assert "“Launch planning”" in page  # a category with no match among ours
    assert Category.objects.get(slug="cx-strategy").name in page  # one that matched
    assert 'value="Add 3 sources"' in page
    assert FeedSource.objects.count() == 1


def test_a_feed_named_like_another_source_is_told_apart_by_its_address(editor_client):
    make_source(feed_url="https://elsewhere.example/feed.xml", name="Atomic Insights")

    page = upload(editor_client, "subscriptions.opml").content.decode()

    assert "Atomic Insights (https://atomic.example/insights/feed.atom)" in page
    assert "Another source is named “Atomic Insights”" in page


def test_confirming_adds_the_sources_of_the_dry_run(editor_client):
    make_source(feed_url="https://known.example/feed.xml", name="Known")
    dry_run = upload(editor_client, "subscriptions.opml").content.decode()

    done = editor_client.post(UPLOAD, {**hidden_fields(dry_run), "confirm": "1"}, follow=True)

    assert done.redirect_chain == [(SOURCES, 302)]
    assert "3 sources added, 1 already known, 1 skipped." in done.content.decode()
    northwind = FeedSource.objects.get(feed_url="https://northwind.example/blog/feed.xml")
    assert [c.slug for c in northwind.default_categories.all()] == ["cx-strategy"]
    assert FeedSource.objects.filter(name="Atomic Insights").exists()
    assert FeedSource.objects.count() == 4


def test_a_tampered_confirm_step_adds_nothing(editor_client):
    response = editor_client.post(UPLOAD, {"content": "not base64!", "confirm": "1"})

    assert response.status_code == 200
    assert "did not come back intact" in response.content.decode()
    assert not FeedSource.objects.exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("malformed.opml", "This is not a readable OPML file"),
        ("hostile-laughs.opml", "declares a DOCTYPE or entities, which the hub refuses"),
        ("hostile-xxe-utf16.opml", "declares a DOCTYPE or entities, which the hub refuses"),
        ("hostile-nesting.opml", "nests folders more than 32 deep"),
    ],
)
def test_malformed_and_hostile_files_are_refused_with_a_reason(editor_client, name, reason):
    response = upload(editor_client, name)

    assert response.status_code == 200
    page = response.content.decode()
    assert reason in page
    assert "Would be added" not in page
    assert "root:" not in page  # nothing of /etc/passwd
    assert not FeedSource.objects.exists()


def test_a_file_too_large_is_refused_before_it_is_parsed(editor_client):
    big = (OPML / "subscriptions.opml").read_bytes() + b"<!--" + b"x" * MAX_OPML_BYTES + b"-->"

    page = upload(editor_client, "big.opml", big).content.decode()

    assert "an OPML file may have at most 1024 KB" in page
    assert not FeedSource.objects.exists()


def test_an_empty_form_asks_for_a_file(editor_client):
    page = editor_client.post(UPLOAD, {}).content.decode()
    assert "This field is required" in page


def test_only_users_who_may_add_sources_reach_the_page():
    staff = Client()
    staff.force_login(make_staff())
    content = (OPML / "subscriptions.opml").read_bytes()

    assert staff.get(UPLOAD).status_code == 403
    refused = staff.post(UPLOAD, {"file": SimpleUploadedFile("s.opml", content)})
    assert refused.status_code == 403
    assert "Import OPML" not in staff.get(SOURCES).content.decode()
    assert Client().get(UPLOAD).status_code == 302  # to the sign-in page
    assert not FeedSource.objects.exists()


def test_the_upload_needs_a_csrf_token():
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(make_editor())
    content = (OPML / "subscriptions.opml").read_bytes()

    response = csrf.post(UPLOAD, {"file": SimpleUploadedFile("s.opml", content)})
    confirm = csrf.post(UPLOAD, {"content": "", "confirm": "1"})

    assert response.status_code == confirm.status_code == 403
    assert not FeedSource.objects.exists()
