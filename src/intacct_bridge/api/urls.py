"""The JSON API: ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``, browsable at ``/api/v1/docs``)."""

from __future__ import annotations

from importlib import import_module

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI, Router
from ninja.operation import Operation
from ninja.signature import ViewSignature

from intacct_bridge.api import errors
from intacct_bridge.api.auth import AUTH
from intacct_bridge.api.sync import router as sync_router
from intacct_bridge.api.workspaces import router as workspaces_router
from intacct_bridge.records.api import router as records_router


class BridgeAPI(NinjaAPI):
    #: modules whose routes moved: their operationIds stay the ones clients generated from the OpenAPI
    #: document know (an id is "<module>_<function>")
    MOVED = {
        "intacct_bridge.api.sync": "intacct_bridge.sync.api",
        "intacct_bridge.records.api": "intacct_bridge.sync.api",
    }

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        return f"{self.MOVED.get(module, module)}_{operation.view_func.__name__}".replace(".", "_")


api = BridgeAPI(
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

WORKSPACE_PREFIX = "/workspaces/{slug}/"


def mount_workspace_router(router: Router) -> None:
    """Mount ``router`` under /workspaces/{slug}/.

    ninja derives an operation's path parameters from the operation's own path only, so ``slug``
    (from the mount prefix) would be read from the query string and every call would answer 422.
    Re-deriving each signature from the full path makes ``slug`` a path parameter, whether or not
    the view marks it ``Path[str]``.
    """
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            operation.signature = ViewSignature(WORKSPACE_PREFIX + path.lstrip("/"), operation.view_func)
            operation.models = operation.signature.models
    api.add_router(WORKSPACE_PREFIX, router)


api.add_router("/", workspaces_router)
# the families' records: /api/v1/workspaces/{slug}/{family}/ ...
# the family apps' routes before the generic /{family}/ ones
for _module in ("ap", "ar", "psa", "timesheets", "webhooks"):
    mount_workspace_router(import_module(f"intacct_bridge.{_module}.api").router)
mount_workspace_router(sync_router)
# every family's records last: /{family}/... would otherwise answer for the family apps' own paths
mount_workspace_router(records_router)
