"""Workspace pages of the sync families, mounted by the root URLconf under /w/<slug>/."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
