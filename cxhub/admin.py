"""Site-wide admin configuration: names, the throttled sign-in, what the admin hides."""

from django.contrib import admin
from taggit.models import Tag

from posts.login_throttle import ThrottledAdminAuthenticationForm

admin.site.site_header = "CX Inspiration Hub"
admin.site.site_title = "CX Inspiration Hub admin"
admin.site.index_title = "Curate the hub"
admin.site.login_form = ThrottledAdminAuthenticationForm

# taggit registers its own generic Tag model; the hub's tags are Categories, so hide it.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)
