"""Admin sign-in: a pause after repeated failures, and the admin at a configurable address."""

import importlib
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from posts.models import LoginFailure
from tests.posts.admin_support import (
    PASSWORD,
    fast_password_hashing,  # noqa: F401 (fixture)
    freeze_time,
    make_editor,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 5
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP = 20
    settings.ADMIN_LOGIN_LOCKOUT_MINUTES = 15


def sign_in(client, username, password, ip="198.51.100.7"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_correct_password_signs_in(client):
    make_editor()
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_repeated_failures_pause_the_account_even_for_the_right_password(client):
    make_editor()
    for attempt in range(1, 5):
        response = sign_in(client, "editor", "wrong")
        assert "Please enter the correct username and password" in errors(response)
        if attempt >= 3:
            assert f"{5 - attempt} more failed attempt" in errors(response)

    fifth = sign_in(client, "editor", "wrong")
    assert "Too many failed sign-in attempts for this account" in errors(fifth)
    assert "Sign-in is paused for about 15 minutes" in errors(fifth)

    # The right password no longer helps, from any browser: the count is in the database,
    # shared by every worker process.
    for other in (client, Client()):
        response = sign_in(other, "editor", PASSWORD)
        assert not signed_in(response)
        assert "Too many failed sign-in attempts for this account" in errors(response)
    assert LoginFailure.objects.filter(username="editor").count() == 5


def test_the_pause_ends_by_itself(client, monkeypatch):
    make_editor()
    for _ in range(5):
        sign_in(client, "editor", "wrong")
    freeze_time(monkeypatch, timezone.now() + timedelta(minutes=16))
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_username_case_does_not_dodge_the_count(client):
    make_editor()
    for name in ["editor", "Editor", "EDITOR", " editor", "eDitor"]:
        sign_in(client, name, "wrong")
    assert "Too many failed sign-in attempts" in errors(sign_in(client, "editor", PASSWORD))


def test_success_clears_earlier_failures(client):
    make_editor()
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert signed_in(sign_in(client, "editor", PASSWORD))
    client.logout()
    for _ in range(4):
        assert "Too many" not in errors(sign_in(client, "editor", "wrong"))


def test_many_usernames_from_one_address_pause_that_address(client):
    make_editor()
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong", ip="203.0.113.9")
    blocked = sign_in(client, "editor", PASSWORD, ip="203.0.113.9")
    assert "Too many failed sign-in attempts for your network address" in errors(blocked)
    assert signed_in(sign_in(Client(), "editor", PASSWORD, ip="198.51.100.20"))


def test_client_address_can_come_from_a_proxy_header(client, settings):
    settings.ADMIN_LOGIN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client.post(
        LOGIN,
        {"username": "nobody", "password": "x"},
        HTTP_X_FORWARDED_FOR="10.0.0.1, 192.0.2.44",
    )
    assert LoginFailure.objects.get().ip_address == "192.0.2.44"


def test_superuser_lifts_a_pause_by_deleting_the_failures(client):
    from django.contrib.auth.models import User

    make_editor()
    for _ in range(5):
        sign_in(client, "editor", "wrong")
    admin = User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    boss = Client()
    boss.force_login(admin)
    changelist = reverse("admin:posts_loginfailure_changelist")
    ids = list(LoginFailure.objects.values_list("pk", flat=True))
    boss.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert signed_in(sign_in(client, "editor", PASSWORD))


@pytest.fixture
def admin_at_backstage(settings):
    import cxhub.urls

    settings.ADMIN_URL = "backstage/"
    importlib.reload(cxhub.urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(cxhub.urls)
    clear_url_caches()


def test_admin_lives_at_the_configured_address(client, admin_at_backstage):
    assert client.get("/backstage/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    assert reverse("admin:index") == "/backstage/"


class CountingHasher(MD5PasswordHasher):
    """The fast test hasher, counting how often a password is actually checked."""

    checks = 0
    lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingHasher.lock:
            CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_never_get_more_checks_than_the_limit(settings):
    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database locks whole tables between threads (shared "
            "cache), unlike the hub's WAL database file; the race is shown on PostgreSQL"
        )
    settings.PASSWORD_HASHERS = ["tests.posts.test_admin_login.CountingHasher"]
    make_editor()
    CountingHasher.checks = 0
    start = threading.Barrier(40)
    answers: list[str] = []

    def guess(number: int) -> None:
        try:
            start.wait()
            # The page, not response.context: the test client collects rendered templates through
            # a process-wide signal, so with 40 threads a context may be another thread's.
            answers.append(sign_in(Client(), "editor", f"guess-{number}").content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 40
    # Never more checks than the limit; under a burst a few attempts may be refused before the
    # limit is used up (each counts the others' places while they are taken), never after.
    assert 1 <= CountingHasher.checks <= 5
    assert LoginFailure.objects.filter(username="editor").count() == CountingHasher.checks
    # Every attempt got an answer: a wrong password (only those that were checked) or the
    # pause, which also answers a checked one whose failure used up the limit.
    paused = sum("Too many failed sign-in attempts" in a for a in answers)
    wrong = sum("Please enter the correct username and password" in a for a in answers)
    assert wrong + paused == 40
    assert wrong <= CountingHasher.checks and paused >= 40 - CountingHasher.checks
