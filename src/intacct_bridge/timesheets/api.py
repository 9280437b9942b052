"""JSON API of the timesheets app, mounted under /api/v1/workspaces/{slug}/."""

from ninja import Router

router = Router(tags=["timesheets"])
