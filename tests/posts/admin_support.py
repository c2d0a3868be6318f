"""Helpers for driving the admin as an editor: users, form data, time control."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.utils import timezone

from cxhub.roles import EDITOR_GROUP
from posts.admin_forms import FACET_FIELDS

PASSWORD = "correct horse battery staple"


@pytest.fixture
def fast_password_hashing(settings):
    # The real hasher takes half a second per password by design; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_editor(*, username: str = "editor") -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


def make_staff(*, username: str = "staff") -> User:
    """Staff without any group or permission."""
    return User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)


def split_datetime(moment: datetime) -> dict[str, str]:
    """The admin's split date and time inputs, in the site's time zone."""
    local = timezone.localtime(moment)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def post_form_data(**fields) -> dict:
    data = {
        "title": "A post from the editor",
        "slug": "",
        "excerpt": "",
        "body_format": "markdown",
        "body_source": "",
        "link": "",
        "kind": "article",
        "author_name": "",
        "cover_url": "",
        "audio_url": "",
        "audio_type": "audio/mpeg",
        "audio_length": "",
        "event_status": "scheduled",
        "event_price": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "_save": "Save",
        # The old-addresses inline, empty.
        "old_addresses-TOTAL_FORMS": "0",
        "old_addresses-INITIAL_FORMS": "0",
    }
    data.update({name: [] for name in FACET_FIELDS})
    if "published_at" in fields:
        data.update(split_datetime(fields.pop("published_at")))
    data.update(fields)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def freeze_time(monkeypatch, moment: datetime) -> None:
    """Make `timezone.now()` return `moment` for the rest of the test (no sleeping)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
