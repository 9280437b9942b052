"""Root URLconf: pages, the workspace pages of the sync families, the JSON API, static files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from intacct_bridge.api.urls import api
from intacct_bridge.web import static


@login_required
def api_home(request: HttpRequest) -> HttpResponse:
    return redirect("api:openapi-view")


urlpatterns = [
    path("", include("intacct_bridge.ops.urls")),  # /metrics, /healthz, /readyz (public), /ops/
    path("", include("intacct_bridge.web.urls")),
    # the family apps' own pages first: the generic family pages below match any "<family>/"
    path("w/<slug:slug>/", include("intacct_bridge.ap.urls")),
    path("w/<slug:slug>/", include("intacct_bridge.ar.urls")),
    path("w/<slug:slug>/", include("intacct_bridge.psa.urls")),
    path("w/<slug:slug>/", include("intacct_bridge.timesheets.urls")),
    path("w/<slug:slug>/", include("intacct_bridge.webhooks.urls")),
    path("w/<slug:slug>/", include("intacct_bridge.web.sync_urls")),
    path("api/v1/", api_home, name="api-home"),  # before ninja's own root, which is public
    path("api/v1/", api.urls),
    static.urlpattern(),
]
