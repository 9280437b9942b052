"""JSON API of the sync families, mounted under /api/v1/workspaces/{slug}/ by intacct_bridge.api."""

from ninja import Router

router = Router(tags=["sync"])
