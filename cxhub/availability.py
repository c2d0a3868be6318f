"""Honest answers while the database is away: 503 with Retry-After, one log line, a health check.

When the database is down every page would otherwise fail with a 500 and two tracebacks in the
log. Readers get a 503 page instead (a shared cache in front may keep serving stale copies), the
log gets one line per request, and nothing needs restarting: Django opens a new connection on
the next request, so the hub recovers as soon as the database is back.
"""

from __future__ import annotations

import logging
import sys

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger("cxhub.availability")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 page; rendered without the database (no context processors, no queries)."""
    logger.warning(
        "Database unavailable, answered 503: %s %s (%s: %s)",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).strip().splitlines()[0] if str(exc).strip() else "no detail",
    )
    request.database_outage = True  # tells DatabaseOutageLogFilter the outage is logged
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Turns a database error raised by a view into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return unavailable_response(request, exc) if is_database_outage(exc) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: errors raised outside views (a middleware reading the session, say) too."""
    exc = sys.exc_info()[1]
    if is_database_outage(exc):
        return unavailable_response(request, exc)
    return HttpResponse(render_to_string("500.html", {"stylesheet": stylesheet()}), status=500)


def stylesheet() -> str:
    """hub.css for the error page, or "" when static files are what is broken."""
    try:
        return static("css/hub.css")
    except Exception:  # a missing manifest entry, a broken storage: show the page unstyled
        return ""


class DatabaseOutageLogFilter(logging.Filter):
    """On `django.request`: no second line, and no traceback, for an outage already logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return not getattr(request, "database_outage", False)


_migrations_applied = False


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: is the database reachable, are all migrations applied?"""
    global _migrations_applied
    checks = {"database": "ok", "migrations": "ok"}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied:
            # Reading the migration files costs a few milliseconds; once everything is applied
            # it stays so for the life of this process (new migrations come with new code).
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            _migrations_applied = not pending
            if pending:
                checks["migrations"] = f"{len(pending)} not applied"
    except DATABASE_ERRORS as exc:
        logger.warning("Health check: database unavailable (%s)", type(exc).__name__)
        request.database_outage = True
        checks = {"database": "unavailable", "migrations": "unknown"}
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
