"""Static files served by the app itself (no CDN, no collectstatic): our own few small files, then
those of installed apps (django-ninja's Swagger UI for /api/v1/docs).

Cached for an hour; the files are tiny and change only with a release.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, re_path
from django.utils.cache import patch_cache_control
from django.views.static import serve


@cache
def roots() -> tuple[Path, ...]:
    found = [Path(settings.STATIC_DIR)]
    for app in apps.get_app_configs():
        folder = Path(app.path) / "static"
        if folder.is_dir() and folder not in found:
            found.append(folder)
    return tuple(found)


def static_file(request: HttpRequest, path: str) -> HttpResponseBase:
    for root in roots():
        try:
            response = serve(request, path, document_root=str(root))
        except Http404:
            continue
        patch_cache_control(response, public=True, max_age=3600)
        return response
    raise Http404(path)


def urlpattern() -> URLPattern:
    prefix = settings.STATIC_URL.lstrip("/")
    return re_path(rf"^{prefix}(?P<path>.+)$", static_file, name="static")
