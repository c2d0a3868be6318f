from django.urls import path

from . import views

app_name = "posts"

urlpatterns = [
    path("", views.post_list, name="home"),
    path("category/<slug:slug>/", views.post_list, name="category"),
    path("post/<slug:slug>/", views.post_detail, name="detail"),
    path("events/", views.event_list, name="events"),
    path("events/past/", views.event_list, {"past": True}, name="past_events"),
]
