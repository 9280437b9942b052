"""Pages of the psa app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.psa import views

app_name = "psa"

urlpatterns: list[URLPattern | URLResolver] = [
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_form, name="project_new"),
    path("projects/settings/", views.settings_form, name="settings"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_form, name="project_edit"),
    path("projects/<int:pk>/send/", views.push_project, name="project_send"),
    path("projects/<int:pk>/tasks/new/", views.task_form, name="task_new"),
    path("projects/<int:pk>/tasks/<int:task_pk>/edit/", views.task_form, name="task_edit"),
]
