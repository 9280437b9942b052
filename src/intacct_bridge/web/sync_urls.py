"""Workspace pages of the sync (namespace ``sync``), mounted by the root URLconf under /w/<slug>/
after the family apps' own pages: the Sync history (``web/sync.py``), then the families' record
pages (``records/urls.py``; their link and unlink actions serve every family's pages)."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.records import urls as records
from intacct_bridge.web import sync

app_name = "sync"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sync/", sync.runs, name="runs"),
    path("sync/now/", sync.sync_now, name="sync_now"),
    path("sync/schedule/", sync.set_schedule, name="schedule"),
    path("sync/runs/<int:run_id>/", sync.run_detail, name="run"),
    path("sync/runs/<int:run_id>.json", sync.run_json, name="run_json"),
    path("sync/runs/<int:run_id>/retry/", sync.retry, name="retry"),
    path("sync/issues/<int:issue_id>/fixed/", sync.issue_fixed, name="issue_fixed"),
    path("sync/conflicts/<int:conflict_id>/resolve/", sync.resolve_conflict, name="resolve_conflict"),
    *records.urlpatterns,
]
