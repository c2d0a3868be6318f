"""The hub's URLs plus one view that fails, to see the 500 page as a reader would."""

from django.urls import path

from cxhub.urls import handler404, handler500
from cxhub.urls import urlpatterns as hub_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *hub_urlpatterns]
__all__ = ["handler404", "handler500", "urlpatterns"]
