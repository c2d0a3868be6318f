from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("feed/", views.feed, {"fmt": "rss"}, name="rss"),
    path("feed/atom/", views.feed, {"fmt": "atom"}, name="atom"),
    path("feed.json", views.feed, {"fmt": "json"}, name="json"),
    path("category/<slug:slug>/feed/", views.feed, {"fmt": "rss"}, name="category_rss"),
    path("category/<slug:slug>/feed/atom/", views.feed, {"fmt": "atom"}, name="category_atom"),
    path("category/<slug:slug>/feed.json", views.feed, {"fmt": "json"}, name="category_json"),
    path("events.ics", views.events_calendar, name="events_ics"),
    path("events/<slug:slug>.ics", views.event_calendar_file, name="event_ics"),
    path("feeds.opml", views.opml, name="opml"),
    path("subscribe/", views.subscribe, name="subscribe"),
]
