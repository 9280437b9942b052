"""JSON API of the ap app, mounted under /api/v1/workspaces/{slug}/."""

from ninja import Router

router = Router(tags=["ap"])
