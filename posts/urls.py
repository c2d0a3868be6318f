from django.urls import path, re_path

from . import views

app_name = "posts"

urlpatterns = [
    path("", views.post_list, name="home"),
    path("category/<slug:slug>/", views.post_list, name="category"),
    path("post/<slug:slug>/", views.post_detail, name="detail"),
    path("events/", views.event_list, name="events"),
    path("events/past/", views.event_list, {"past": True}, name="past_events"),
    path("archive/", views.archive, name="archive"),
    # Any digits reach the view, which answers a malformed or out-of-range period with a 404.
    re_path(r"^archive/(?P<year>[0-9]+)/$", views.archive, name="archive_year"),
    re_path(r"^archive/(?P<year>[0-9]+)/(?P<month>[0-9]+)/$", views.archive, name="archive_month"),
]
