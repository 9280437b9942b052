"""The record pages of the families (``views.py``): in the ``sync`` URL namespace, mounted by
``web/sync_urls.py`` after the Sync history pages, under /w/<slug>/ after the family apps' own pages
(each of which starts with its own literal prefix)."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.records import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:family>/", views.family_list, name="family"),
    path("<str:family>/intacct/", views.remote_picker, name="picker"),
    path("<str:family>/new/", views.new_record, name="new"),
    path("<str:family>/import/", views.import_selected, name="import"),
    path("<str:family>/<int:local_id>/", views.profile, name="profile"),
    path("<str:family>/<int:local_id>/edit/", views.edit_record, name="edit"),
    path("<str:family>/<int:local_id>/link/", views.link_view, name="link"),
    path("<str:family>/<int:local_id>/unlink/", views.unlink_view, name="unlink"),
]
