"""Pages of the ap app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver

app_name = "ap"

urlpatterns: list[URLPattern | URLResolver] = []
