"""Admin sign-in protection: a pause after repeated failures, per account and per address.

Failures live in the database (`LoginFailure`), so every gunicorn worker sees the same count.
An account is paused after ADMIN_LOGIN_MAX_FAILURES failures within ADMIN_LOGIN_LOCKOUT_MINUTES,
and an address after ADMIN_LOGIN_MAX_FAILURES_PER_IP (password spraying over many usernames).
While paused, the password is not even checked, so guessing gains nothing. The pause ends on
its own; a successful sign-in clears the account's count.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format

from .models import LoginFailure


def _window() -> timedelta:
    return timedelta(minutes=settings.ADMIN_LOGIN_LOCKOUT_MINUTES)


def _key(username: str) -> str:
    return username.strip().casefold()[:150]


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address from the configured header (behind a proxy, the proxy's header)."""
    if request is None:
        return None
    raw = request.META.get(settings.ADMIN_LOGIN_CLIENT_IP_HEADER, "")
    # X-Forwarded-For lists every hop; the last one is the one our own proxy added.
    candidate = raw.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


@dataclass(frozen=True)
class Lockout:
    until: datetime
    by_account: bool

    @property
    def message(self) -> str:
        minutes = max(1, round((self.until - timezone.now()).total_seconds() / 60))
        who = "this account" if self.by_account else "your network address"
        return (
            f"Too many failed sign-in attempts for {who}. Sign-in is paused for about "
            f"{minutes} minute{'s' if minutes != 1 else ''} (until "
            f"{time_format(timezone.localtime(self.until), 'H:i')}). Try again then, or ask an "
            "administrator to reset your password."
        )


def _paused_until(failures, limit: int) -> datetime | None:
    # Paused while `limit` failures fall inside the window: until the limit-th latest expires.
    since = timezone.now() - _window()
    times = list(
        failures.filter(created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[limit - 1 : limit]
    )
    return times[0] + _window() if times else None


def lockout(username: str, ip: str | None) -> Lockout | None:
    until = _paused_until(
        LoginFailure.objects.filter(username=_key(username)), settings.ADMIN_LOGIN_MAX_FAILURES
    )
    if until:
        return Lockout(until=until, by_account=True)
    if ip:
        until = _paused_until(
            LoginFailure.objects.filter(ip_address=ip), settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP
        )
        if until:
            return Lockout(until=until, by_account=False)
    return None


def reserve_attempt(username: str, ip: str | None) -> LoginFailure:
    """Record the attempt as a failure *before* the password is checked.

    Checking first and counting afterwards let parallel requests all pass the check while the
    count was still below the limit (40 parallel guesses got 6 password checks for a limit of
    5). Counting a committed row instead makes the limit exact: the n-th attempt to be stored
    sees at least n rows, so at most `limit` attempts ever reach the password check. A
    successful sign-in, or an attempt refused without checking, takes its row back.
    """
    now = timezone.now()
    LoginFailure.objects.filter(created_at__lte=now - _window()).delete()
    return LoginFailure.objects.create(username=_key(username), ip_address=ip, created_at=now)


def attempts_left(username: str) -> int:
    recent = LoginFailure.objects.filter(username=_key(username)).count()
    return max(0, settings.ADMIN_LOGIN_MAX_FAILURES - recent)


def _over_limit(username: str, ip: str | None) -> bool:
    since = timezone.now() - _window()
    recent = LoginFailure.objects.filter(created_at__gt=since)
    if recent.filter(username=_key(username)).count() > settings.ADMIN_LOGIN_MAX_FAILURES:
        return True
    return bool(
        ip and recent.filter(ip_address=ip).count() > settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP
    )


def paused_now() -> Lockout:
    return Lockout(until=timezone.now() + _window(), by_account=True)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if not username:
            return super().clean()
        ip = client_ip(self.request)
        paused = lockout(username, ip)
        if paused:
            raise ValidationError(paused.message, code="locked")
        attempt = reserve_attempt(username, ip)
        if _over_limit(username, ip):
            # Parallel attempts took the last places: refuse without checking the password.
            attempt.delete()
            raise ValidationError((lockout(username, ip) or paused_now()).message, code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            left = attempts_left(username)
            paused = lockout(username, ip)
            if paused:
                raise ValidationError(paused.message, code="locked") from None
            if left <= 2:
                warning = ValidationError(
                    f"{left} more failed attempt{'s' if left != 1 else ''} will pause sign-in "
                    f"for this account for {settings.ADMIN_LOGIN_LOCKOUT_MINUTES} minutes."
                )
                raise ValidationError([*error.error_list, warning]) from None
            raise
        attempt.delete()
        clear_failures(username)
        return cleaned
