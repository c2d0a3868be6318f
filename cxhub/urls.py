import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from django.views.static import serve

from posts.sitemaps import SITEMAPS, sitemap_index

from .availability import healthz
from .views import robots_txt

handler404 = "posts.views.page_not_found"
handler500 = "cxhub.availability.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        require_safe(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("posts.urls")),
    path("", include("feeds.urls")),
]


def media(request, path: str):
    # Read MEDIA_ROOT per request, not at import, so that it follows the settings in force.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if not settings.PRODUCTION:
    # Uploaded cover images in development (with or without DEBUG). In production the web
    # server or a storage service serves MEDIA_ROOT (README, "Production").
    urlpatterns += [re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media)]
