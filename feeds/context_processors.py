from django.http import HttpRequest

from .discovery import site_feed_links


def feed_links(request: HttpRequest) -> dict:
    # The site feeds, for pages whose view names no narrower ones (a listing view does).
    return {"feed_links": site_feed_links()}
