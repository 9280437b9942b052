"""Pages of the timesheets app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver

app_name = "timesheets"

urlpatterns: list[URLPattern | URLResolver] = []
