"""JSON API of the psa app, mounted under /api/v1/workspaces/{slug}/."""

from ninja import Router

router = Router(tags=["psa"])
