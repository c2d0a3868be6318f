"""The Editor group versus a plain staff member, and the command that creates editors."""

import io

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cxhub.roles import EDITOR_GROUP, sync_editor_group
from tests.factories import make_post
from tests.posts.admin_support import (
    PASSWORD,
    fast_password_hashing,  # noqa: F401 (fixture)
    make_editor,
    make_staff,
    post_form_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

EDITOR_CODENAMES = {
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("post", "oldaddress", "category", "feedsource", "categoryrule", "filterrule")
} | {"change_newsitem", "view_newsitem", "view_feedentry"}


def test_migration_creates_the_editor_group_with_exactly_its_permissions():
    group = Group.objects.get(name=EDITOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == EDITOR_CODENAMES
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    assert not group.permissions.filter(codename__contains="loginfailure").exists()
    assert not group.permissions.filter(codename__contains="importedpost").exists()
    assert not group.permissions.filter(codename="add_newsitem").exists()


def test_sync_restores_the_group_after_hand_edits():
    group = Group.objects.get(name=EDITOR_GROUP)
    group.permissions.remove(Permission.objects.get(codename="change_post"))
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    sync_editor_group(global_apps)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == EDITOR_CODENAMES


ADMIN_PAGES = [
    reverse("admin:posts_post_changelist"),
    reverse("admin:posts_post_add"),
    reverse("admin:posts_post_add_from_link"),
    reverse("admin:posts_category_changelist"),
    reverse("admin:posts_category_add"),
    reverse("admin:posts_oldaddress_changelist"),
    reverse("admin:posts_oldaddress_add"),
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_editor_reaches_every_editing_page(client, url):
    client.force_login(make_editor())
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:posts_loginfailure_changelist"),
    ],
)
def test_editor_cannot_manage_accounts_or_sign_in_records(client, url):
    client.force_login(make_editor())
    assert client.get(url).status_code == 403


def test_editor_home_lists_only_what_an_editor_changes(client):
    client.force_login(make_editor())
    app_list = client.get(reverse("admin:index")).context["app_list"]
    models = {(app["app_label"], m["object_name"]) for app in app_list for m in app["models"]}
    assert {("posts", "Post"), ("posts", "Category")} <= models
    assert all(label in {"posts", "newsroom"} for label, _ in models)
    assert ("posts", "LoginFailure") not in models


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_plain_staff_sees_nothing(client, url):
    client.force_login(make_staff())
    assert client.get(url).status_code == 403


def test_plain_staff_home_is_empty_and_cannot_change_posts(client):
    post = make_post(title="Not yours")
    client.force_login(make_staff())
    assert client.get(reverse("admin:index")).context["app_list"] == []

    change = reverse("admin:posts_post_change", args=[post.pk])
    assert client.get(change).status_code == 403
    assert client.post(change, post_form_data(title="Hijacked")).status_code == 403
    preview = reverse("admin:posts_post_preview", args=[post.pk])
    assert client.get(preview).status_code == 403
    action = {"action": "unpublish_posts", "_selected_action": [post.pk]}
    assert client.post(reverse("admin:posts_post_changelist"), action).status_code == 403
    post.refresh_from_db()
    assert post.title == "Not yours" and post.is_visible


# ----- create_editor -----


def run(*args, stdin: str = ""):
    out = io.StringIO()
    call_command("create_editor", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_create_editor_makes_a_staff_account_in_the_group_that_can_sign_in():
    output = run("alice", "--email", "alice@example.org", "--password-stdin", stdin=PASSWORD + "\n")
    assert "Created editor “alice”." in output

    alice = User.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser and alice.email == "alice@example.org"
    assert list(alice.groups.values_list("name", flat=True)) == [EDITOR_GROUP]
    client = Client()
    response = client.post(reverse("admin:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("admin:posts_post_add")).status_code == 200


def test_create_editor_again_is_harmless_and_can_promote_an_existing_account():
    run("bob", "--password-stdin", stdin=PASSWORD + "\n")
    output = run("bob")
    assert "“bob” already existed; made it an editor." in output
    assert User.objects.get(username="bob").check_password(PASSWORD)

    User.objects.create_user("carol", password=PASSWORD)
    run("carol")
    carol = User.objects.get(username="carol")
    assert carol.is_staff and carol.groups.filter(name=EDITOR_GROUP).exists()


def test_create_editor_refuses_a_weak_password():
    with pytest.raises(CommandError, match="Password not accepted: This password is too short"):
        run("dave", "--password-stdin", stdin="abc\n")
    assert not User.objects.filter(username="dave").exists()


def test_create_editor_without_password_or_terminal_says_what_to_do():
    with pytest.raises(CommandError, match="pipe it in with --password-stdin"):
        run("erin")
    assert not User.objects.filter(username="erin").exists()


def test_create_editor_before_migrations_says_so():
    Group.objects.filter(name=EDITOR_GROUP).delete()
    with pytest.raises(CommandError, match=r"Run `manage\.py migrate` first"):
        run("frank", "--password-stdin", stdin=PASSWORD + "\n")
