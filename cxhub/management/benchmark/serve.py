"""The WSGI application of `manage.py benchmark --mode 2`: the hub, plus a bare view.

The bare view answers a page of any size with nothing behind it (no query, no template), through
the same middleware and the same gunicorn; the benchmark compares each page's requests/s with
it. Only this module routes to it: gunicorn runs `cxhub.management.benchmark.serve:application`
for the benchmark, while production runs `cxhub.wsgi`, whose URLs (cxhub.urls) do not have it.

BENCHMARK_CACHE=off switches the cache off (Django's dummy cache), as on the first request after
a change: every count and validator is computed. With BENCHMARK_COUNTS set to a folder, each
worker keeps there a file named by its process id holding how many hub requests (the bare view
not counted) it has answered: the memory target is read once every worker has served its
share, not the workers together.
"""

import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxhub.settings")
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from cxhub import urls as hub  # noqa: E402
from cxhub.management.benchmark.pages import BARE_PATH  # noqa: E402

MAX_BYTES = 20 * 1024 * 1024
FILLER = b"<p>A bare page of the same size, with no query and no template behind it.</p>\n"


def bare(request: HttpRequest, size: int) -> HttpResponse:
    if size > MAX_BYTES:
        return HttpResponse(f"At most {MAX_BYTES} bytes.", status=400, content_type="text/plain")
    body = FILLER * (size // len(FILLER) + 1)
    content_type = request.GET.get("type") or "text/html; charset=utf-8"
    return HttpResponse(body[:size], content_type=content_type)


handler404 = hub.handler404
handler500 = hub.handler500
urlpatterns = [path(f"{BARE_PATH}<int:size>/", bare, name="benchmark-bare"), *hub.urlpatterns]

changes: dict = {"ROOT_URLCONF": __name__}
if os.environ.get("BENCHMARK_CACHE") == "off":
    changes["CACHES"] = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
override_settings(**changes).enable()
hub_application = get_wsgi_application()


class Counted:
    """The hub, counting the requests this worker process answers (see the docstring)."""

    def __init__(self, app, folder: Path):
        self.app = app
        self.folder = folder
        self.requests = 0
        self.fd: int | None = None
        self.pid = 0

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(f"/{BARE_PATH}"):
            self.requests += 1
            if self.pid != os.getpid():  # opened after the fork, once per worker
                self.pid = os.getpid()
                self.fd = os.open(self.folder / str(self.pid), os.O_WRONLY | os.O_CREAT, 0o600)
            # One fixed-width write in place, a couple of microseconds: the count is exact.
            os.pwrite(self.fd, b"%20d" % self.requests, 0)
        return self.app(environ, start_response)


counts = os.environ.get("BENCHMARK_COUNTS")
application = Counted(hub_application, Path(counts)) if counts else hub_application
