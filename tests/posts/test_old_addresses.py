"""A post's old addresses (posts.OldAddress) answer 301 to the post; editors manage them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from posts.models import OldAddress, Post
from tests.factories import make_post
from tests.posts.admin_support import post_form_data

pytestmark = pytest.mark.django_db


def make_old_address(*, path: str, post: Post) -> OldAddress:
    return OldAddress.objects.create(path=path, post=post)


@pytest.fixture
def moved():
    post = make_post(title="CX management and pharma", slug="cx-management-and-pharma")
    make_old_address(path="/post/podcast-episode-on-cx-management-pharma", post=post)
    return post


@pytest.mark.parametrize(
    "path",
    [
        "/post/podcast-episode-on-cx-management-pharma",
        "/post/podcast-episode-on-cx-management-pharma/",
        "/post/podcast-episode-on-cx-management-pharma?utm_source=newsletter",
    ],
)
def test_old_address_answers_301_to_the_post(client, moved, path):
    response = client.get(path)

    assert response.status_code == 301
    assert response["Location"] == "/post/cx-management-and-pharma/"
    assert client.get(response["Location"]).status_code == 200


def test_head_is_redirected_too_other_methods_keep_their_404(client, moved):
    make_old_address(path="/2019/05/cx-management-pharma.html", post=moved)
    path = "/2019/05/cx-management-pharma.html"
    assert client.head(path).status_code == 301
    assert client.post(path).status_code == 404


def test_paths_are_kept_normalised_whatever_was_given(db):
    post = make_post(title="Normalised")
    given = [
        "https://old-hub.example/post/caf%C3%A9-talks/?p=3#top",
        "post/no-leading-slash/",
        "  /post/spaces-around  ",
    ]
    for path in given:
        make_old_address(path=path, post=post)

    assert list(post.old_addresses.values_list("path", flat=True)) == [
        "/post/café-talks",
        "/post/no-leading-slash",
        "/post/spaces-around",
    ]


def test_percent_encoded_old_address_is_found(client):
    post = make_post(title="Café talks", slug="cafe-talks")
    make_old_address(path="https://old-hub.example/post/caf%C3%A9-talks", post=post)

    response = client.get("/post/caf%C3%A9-talks")

    assert response.status_code == 301
    assert response["Location"] == "/post/cafe-talks/"


def test_a_post_readers_cannot_see_keeps_its_old_address_a_404(client, admin_client):
    draft = make_post(title="Not yet", status=Post.Status.DRAFT)
    make_old_address(path="/old/not-yet", post=draft)

    assert client.get("/old/not-yet").status_code == 404
    # Staff see drafts, so the redirect takes them there.
    assert admin_client.get("/old/not-yet").status_code == 301


def test_a_live_page_wins_over_an_old_address(client, moved):
    make_old_address(path="/category/cx-design/", post=moved)

    assert client.get("/category/cx-design/").status_code == 200


def test_unknown_address_is_still_a_404_after_one_lookup(client, moved):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/2019/05/never-existed-anywhere.html")

    assert response.status_code == 404
    lookups = [q["sql"] for q in queries.captured_queries if "posts_oldaddress" in q["sql"]]
    assert len(lookups) == 1


def test_pages_that_exist_never_look_up_old_addresses(client, moved):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(moved.get_absolute_url()).status_code == 200
        assert client.get("/").status_code == 200

    assert not [q for q in queries.captured_queries if "posts_oldaddress" in q["sql"]]


def test_deleting_the_post_deletes_its_old_addresses(moved):
    moved.delete()
    assert not OldAddress.objects.exists()


# ----- admin -----


def test_editor_lists_and_searches_old_addresses(editor_client, moved):
    make_old_address(path="/post/something-else", post=make_post(title="Another one"))
    url = reverse("admin:posts_oldaddress_changelist")

    html = editor_client.get(url, {"q": "pharma"}).content.decode()

    assert "/post/podcast-episode-on-cx-management-pharma" in html
    assert "/post/cx-management-and-pharma/" in html  # where it leads
    assert "/post/something-else" not in html


def test_editor_adds_an_old_address_from_a_whole_url(editor_client, moved):
    response = editor_client.post(
        reverse("admin:posts_oldaddress_add"),
        {"path": "https://old-hub.example/post/cx-and-pharma/?ref=x", "post": moved.pk},
    )

    assert response.status_code == 302
    assert OldAddress.objects.filter(path="/post/cx-and-pharma", post=moved).exists()


def test_admin_reports_an_old_address_that_clashes_once_normalised(editor_client, moved):
    other = make_post(title="Other")
    response = editor_client.post(
        reverse("admin:posts_oldaddress_add"),
        {"path": "/post/podcast-episode-on-cx-management-pharma/", "post": other.pk},
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert OldAddress.objects.get().post == moved


def test_admin_refuses_the_home_page_and_the_post_own_address(editor_client, moved):
    url = reverse("admin:posts_oldaddress_add")
    home = editor_client.post(url, {"path": "https://old-hub.example/", "post": moved.pk})
    own = editor_client.post(url, {"path": "/post/cx-management-and-pharma/", "post": moved.pk})

    assert "not the home page" in home.content.decode()
    assert "the post&#x27;s own address" in own.content.decode()
    assert OldAddress.objects.count() == 1


def test_post_change_form_lists_and_adds_old_addresses(editor_client, moved):
    url = reverse("admin:posts_post_change", args=[moved.pk])
    address = moved.old_addresses.get()

    html = editor_client.get(url).content.decode()
    assert "Old addresses (redirect here)" in html
    assert 'value="/post/podcast-episode-on-cx-management-pharma"' in html

    data = post_form_data(
        title=moved.title,
        status="published",
        published_at=moved.published_at,
        body_format="html",
        body_source=moved.body,
        **{
            "old_addresses-TOTAL_FORMS": "2",
            "old_addresses-INITIAL_FORMS": "1",
            "old_addresses-0-id": str(address.pk),
            "old_addresses-0-post": str(moved.pk),
            "old_addresses-0-path": address.path,
            "old_addresses-1-post": str(moved.pk),
            "old_addresses-1-path": "/2019/05/cx-management-pharma.html",
        },
    )
    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert sorted(moved.old_addresses.values_list("path", flat=True)) == [
        "/2019/05/cx-management-pharma.html",
        "/post/podcast-episode-on-cx-management-pharma",
    ]
