"""Workspace pages of the sync (namespace ``sync``), mounted by the root URLconf under /w/<slug>/
after the family apps' own pages: the Sync history (``web/sync.py``) and the core families' record
pages (``records/views.py``, whose link and unlink actions every family's pages post to)."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.records import views as records
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
    path("<str:family>/", records.family_list, name="family"),
    path("<str:family>/intacct/", records.remote_picker, name="picker"),
    path("<str:family>/new/", records.new_record, name="new"),
    path("<str:family>/import/", records.import_selected, name="import"),
    path("<str:family>/<int:local_id>/", records.profile, name="profile"),
    path("<str:family>/<int:local_id>/edit/", records.edit_record, name="edit"),
    path("<str:family>/<int:local_id>/link/", records.link_view, name="link"),
    path("<str:family>/<int:local_id>/unlink/", records.unlink_view, name="unlink"),
]
