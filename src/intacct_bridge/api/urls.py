"""The JSON API: ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``, browsable at ``/api/v1/docs``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI

from intacct_bridge.api import errors
from intacct_bridge.api.auth import AUTH
from intacct_bridge.api.workspaces import router as workspaces_router
from intacct_bridge.sync.api import router as sync_router

api = NinjaAPI(
    title="Intacct Bridge",
    version="1",
    description="Workspaces, their Intacct connection and the synced families. "
    "Authenticate with 'Authorization: Bearer <token>' (intacct-bridge token create).",
    auth=AUTH,
    urls_namespace="api",
    # the OpenAPI document and its browser need a signed-in user, like everything else
    docs_decorator=login_required,
)
errors.install(api)
api.add_router("/", workspaces_router)
# the families' records: /api/v1/workspaces/{slug}/{family}/ ...
api.add_router("/workspaces/{slug}/", sync_router)
