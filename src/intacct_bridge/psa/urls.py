"""Pages of the psa app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver

app_name = "psa"

urlpatterns: list[URLPattern | URLResolver] = []
