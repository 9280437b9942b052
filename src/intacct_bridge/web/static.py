"""Static files served by the app itself (no CDN, no collectstatic): a few small files of our own.

Cached for an hour; the files are tiny and change only with a release.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.cache import patch_cache_control
from django.views.static import serve


def static_file(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=str(settings.STATIC_DIR))
    patch_cache_control(response, public=True, max_age=3600)
    return response


def urlpattern() -> URLPattern:
    prefix = settings.STATIC_URL.lstrip("/")
    return re_path(rf"^{prefix}(?P<path>.+)$", static_file, name="static")
