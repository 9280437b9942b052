"""Workspace pages of the sync families, mounted by the root URLconf under /w/<slug>/."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.web import sync as views

app_name = "sync"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sync/", views.runs, name="runs"),
    path("sync/now/", views.sync_now, name="sync_now"),
    path("sync/schedule/", views.set_schedule, name="schedule"),
    path("sync/runs/<int:run_id>/", views.run_detail, name="run"),
    path("sync/runs/<int:run_id>.json", views.run_json, name="run_json"),
    path("sync/runs/<int:run_id>/retry/", views.retry, name="retry"),
    path("sync/issues/<int:issue_id>/fixed/", views.issue_fixed, name="issue_fixed"),
    path("sync/conflicts/<int:conflict_id>/resolve/", views.resolve_conflict, name="resolve_conflict"),
    path("<str:family>/", views.family_list, name="family"),
    path("<str:family>/intacct/", views.remote_picker, name="picker"),
    path("<str:family>/new/", views.new_record, name="new"),
    path("<str:family>/import/", views.import_selected, name="import"),
    path("<str:family>/<int:local_id>/", views.profile, name="profile"),
    path("<str:family>/<int:local_id>/edit/", views.edit_record, name="edit"),
    path("<str:family>/<int:local_id>/link/", views.link_view, name="link"),
    path("<str:family>/<int:local_id>/unlink/", views.unlink_view, name="unlink"),
]
