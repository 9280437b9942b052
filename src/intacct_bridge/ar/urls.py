"""Pages of the ar app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver

app_name = "ar"

urlpatterns: list[URLPattern | URLResolver] = []
