"""Settings for the CX Inspiration Hub, read from environment variables with safe defaults.

DJANGO_ENV=production switches on the hardening that `manage.py check --deploy` asks for and
makes DJANGO_SECRET_KEY mandatory. Everything else has a development-friendly default: SQLite
in the project folder, DEBUG off unless DJANGO_DEBUG is set.
"""

import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_value(name: str, deprecated: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(variable, value) of the variable if set, else of those of its former names that are.

    A former name in use gets a DeprecationWarning naming its replacement; former names keep
    working for one release.
    """
    if name in os.environ:
        return [(name, os.environ[name])]
    found = [(old, os.environ[old]) for old in deprecated if old in os.environ]
    for old, _ in found:
        warnings.warn(
            f"The environment variable {old} is deprecated; set {name} instead.",
            DeprecationWarning,
            stacklevel=3,  # the settings line that reads it
        )
    return found


def env_str(name: str, default: str = "", *, deprecated: tuple[str, ...] = ()) -> str:
    found = env_value(name, deprecated)
    return found[0][1] if found else default


def _boolean(name: str, value: str) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_bool(name: str, default: bool = False, *, deprecated: tuple[str, ...] = ()) -> bool:
    found = [(var, value) for var, value in env_value(name, deprecated) if value != ""]
    if not found:
        return default
    # Former names that disagree are read the cautious way: on only if all of them say on.
    return all([_boolean(var, value) for var, value in found])  # every value checked


def env_int(name: str, default: int, *, deprecated: tuple[str, ...] = ()) -> int:
    found = [(var, value) for var, value in env_value(name, deprecated) if value != ""]
    if not found:
        return default
    var, value = found[0]
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{var}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_ENV=production.")


def _development_secret_key() -> str:
    # One key kept in a git-ignored file: a fresh random key per process would log everybody
    # out on every restart and break sessions across workers.
    key_file = BASE_DIR / ".secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and export it."
        )
    SECRET_KEY = _development_secret_key()

# The public address of the hub. Feeds and other absolute links are built from it, never from
# the request's Host header.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "CX Inspiration Hub"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"],
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # Before staticfiles, so that runserver serves static files through whitenoise too.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "posts",
    "feeds",
    "newsroom",
    # Last: site-wide admin configuration and the Editor group, over every app above.
    "cxhub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Gzip for pages and feeds; never for answers with a CSRF token (cxhub/httpcache.py).
    "cxhub.httpcache.CompressionMiddleware",
    # A view's database error becomes a 503 page (cxhub/availability.py).
    "cxhub.availability.DatabaseOutageMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (cxhub/security.py).
    "cxhub.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees a 404 first: a post's old address answers 301 (posts/redirects.py).
    "posts.redirects.OldAddressMiddleware",
]

ROOT_URLCONF = "cxhub.urls"
WSGI_APPLICATION = "cxhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "posts.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server has many concurrent readers and an occasional writer. WAL lets readers go on
    # while one writes; the busy timeout makes a writer wait instead of failing with "database
    # is locked"; IMMEDIATE transactions take the write lock up front, so a transaction that
    # reads then writes never deadlocks on the lock upgrade (which the timeout cannot fix).
    # Connections are reused like PostgreSQL's (DATABASE_CONN_MAX_AGE): opening one and running
    # the pragmas on every request halved the requests/s of a kept page or a 304 (mode 2 of
    # the benchmark). A restore writes into the same file (SQLite's backup API), so a
    # reused connection sees it.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: PostgreSQL compiles a query's expressions when its estimated cost passes
    # jit_above_cost, which takes longer than the hub's short queries do (at 100,000 posts,
    # the events page's counts 80 ms with it, 8 ms without; the archive's a third faster).
    # Added to any options given in DATABASE_URL.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Counts, page totals and feed validators are cached under the content version
# (cxhub/content_version.py), so a stale entry is never read: each process's own memory will do.
# With REDIS_URL (redis://host:6379/0) every worker on every machine shares one cache, through
# Django's Redis backend; while Redis cannot be reached it is a miss (cxhub/cache.py). Short
# timeouts: a Redis host that has gone silent must not hold up every page.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "cxhub.cache.SharedCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "Europe/Zurich")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed files with hashed names need `collectstatic`; only production runs it.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve straight from the app folders so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

TAGGIT_CASE_INSENSITIVE = True

POSTS_PER_PAGE = env_int("POSTS_PER_PAGE", 20)
# How long shared caches and browsers may keep a reader page for visitors (Cache-Control).
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"database_outage": {"()": "cxhub.availability.DatabaseOutageLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per request while the database is down (cxhub.availability), not three.
    "loggers": {"django.request": {"filters": ["database_outage"]}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# --- Editor workflow in the admin --------------------------------------------------------------
# The admin lives at a configurable address ("backstage/" rather than the guessable "admin/").
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must not be empty; e.g. backstage/")
# Sign-in pauses after repeated failures (posts/login_throttle.py).
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", 5)
ADMIN_LOGIN_MAX_FAILURES_PER_IP = env_int("ADMIN_LOGIN_MAX_FAILURES_PER_IP", 20)
ADMIN_LOGIN_LOCKOUT_MINUTES = env_int("ADMIN_LOGIN_LOCKOUT_MINUTES", 15)
# Where the client's address comes from; behind a reverse proxy, the header it sets
# (e.g. HTTP_X_REAL_IP or HTTP_X_FORWARDED_FOR, of which the last entry is used).
ADMIN_LOGIN_CLIENT_IP_HEADER = env_str("ADMIN_LOGIN_CLIENT_IP_HEADER", "REMOTE_ADDR")
# Cover images: largest upload accepted, and the width they are scaled down to for cards.
COVER_MAX_UPLOAD_MB = env_int("COVER_MAX_UPLOAD_MB", 5)
COVER_WIDTH = env_int("COVER_WIDTH", 1200)
# "Add from link" fetching (posts/safe_fetch.py).
LINK_FETCH_TIMEOUT = env_int("LINK_FETCH_TIMEOUT", 10)
LINK_FETCH_MAX_PAGE_KB = env_int("LINK_FETCH_MAX_PAGE_KB", 1024)

# --- Outbound HTTP (cxhub/safehttp.py, for "add from link" and feed ingestion) ----------------
# Hosts on private, loopback, link-local and other non-public addresses are refused (checked
# when connecting, so redirects and DNS answers cannot smuggle them in) unless this is on: for
# tests and local development only. The two former per-caller names still work, with a warning.
OUTBOUND_ALLOW_PRIVATE_ADDRESSES = env_bool(
    "OUTBOUND_ALLOW_PRIVATE_ADDRESSES",
    False,
    deprecated=("LINK_FETCH_ALLOW_PRIVATE", "FEEDS_ALLOW_PRIVATE_ADDRESSES"),
)

# --- Feed ingestion (newsroom) -----------------------------------------------------------
# INGEST_* is the reading side; FEED_* below the publishing side. The former FEEDS_* names of
# these still work for one release, with a warning.
# Fetching third-party feeds: the hub names itself, gives up on slow or huge answers and follows
# a few redirects.
# Empty: "CXInspirationHub/1.0 (feed reader; +<SITE_URL>/)", so sites can see who polls them.
INGEST_USER_AGENT = env_str("INGEST_USER_AGENT", "", deprecated=("FEEDS_USER_AGENT",))
# Seconds, per connection and for the whole answer.
INGEST_TIMEOUT = env_int("INGEST_TIMEOUT", 20, deprecated=("FEEDS_TIMEOUT",))
# After decompression.
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 5 * 1024 * 1024, deprecated=("FEEDS_MAX_BYTES",))
INGEST_MAX_REDIRECTS = env_int("INGEST_MAX_REDIRECTS", 5, deprecated=("FEEDS_MAX_REDIRECTS",))
# feedparser has quadratic regular expressions on hostile input, so parsing runs in a worker
# process that is killed after this many seconds.
INGEST_PARSE_TIMEOUT = env_int("INGEST_PARSE_TIMEOUT", 15, deprecated=("FEEDS_PARSE_TIMEOUT",))
INGEST_PARSE_MEMORY_MB = env_int(
    "INGEST_PARSE_MEMORY_MB", 1024, deprecated=("FEEDS_PARSE_MEMORY_MB",)
)
# A failing source is retried later and later, up to this many hours apart.
INGEST_MAX_BACKOFF_HOURS = env_int(
    "INGEST_MAX_BACKOFF_HOURS", 24, deprecated=("FEEDS_MAX_BACKOFF_HOURS",)
)
# Plain-text teaser kept from a third party's entry: never their full text.
INGEST_TEASER_CHARS = env_int("INGEST_TEASER_CHARS", 300, deprecated=("FEEDS_TEASER_CHARS",))
# The same normalised title from two sources within this many days is one story.
INGEST_MERGE_DAYS = env_int("INGEST_MERGE_DAYS", 3, deprecated=("FEEDS_MERGE_DAYS",))
# Seconds a stopping `fetch_feeds` (SIGTERM, Ctrl+C) lets the fetch under way finish before it
# gives the source up unfetched. Keep it below the service manager's own stop timeout (systemd
# TimeoutStopSec, 90 s by default; `docker stop`, 10 s), after which it kills the worker.
INGEST_STOP_GRACE = env_int("INGEST_STOP_GRACE", 5)

# --- Published feeds (feeds app) -------------------------------------------------------------
FEED_TITLE = env_str("FEED_TITLE", "Pharma Digital CX News")
FEED_DESCRIPTION = env_str(
    "FEED_DESCRIPTION",
    "Customer-experience inspiration for pharma and life sciences: articles, podcasts, "
    "webinars, events and cases, curated by the CX Inspiration Hub.",
)
# Items per feed document; older items are reachable through paged feeds (RFC 5005).
FEED_ITEMS = env_int("FEED_ITEMS", 30)
# How long readers and caches may keep a feed (Cache-Control max-age; RSS ttl in minutes).
FEED_MAX_AGE = env_int("FEED_MAX_AGE", 300)
# Item ids are tag: URIs (RFC 4151), tag:<authority>,<date>:post/<pk>. Readers use them to
# recognise items they have seen, so once the hub is live they must never change, not even when
# SITE_URL moves to another domain. Empty authority: the host name of SITE_URL.
FEED_TAG_AUTHORITY = env_str("FEED_TAG_AUTHORITY", "")
FEED_TAG_DATE = env_str("FEED_TAG_DATE", "2025")
if FEED_ITEMS < 1 or FEED_MAX_AGE < 0:
    raise ImproperlyConfigured("FEED_ITEMS must be at least 1 and FEED_MAX_AGE at least 0.")
