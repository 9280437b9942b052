"""JSON API of the ar app, mounted under /api/v1/workspaces/{slug}/."""

from ninja import Router

router = Router(tags=["ar"])
