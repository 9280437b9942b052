"""Pages of the timesheets app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.timesheets import views

app_name = "timesheets"

urlpatterns: list[URLPattern | URLResolver] = [
    path("time/", views.time_list, name="time"),
    path("time/settings/", views.time_settings, name="time_settings"),
    path("time/new/", views.timesheet_new, name="timesheet_new"),
    path("time/import/", views.time_import, name="time_import"),
    path("time/<int:pk>/", views.timesheet_detail, name="timesheet"),
    path("time/<int:pk>/<str:action>/", views.timesheet_action, name="timesheet_action"),
    path("project-invoices/", views.invoice_list, name="invoices"),
    path("project-invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("project-invoices/<int:pk>/export/", views.invoice_export, name="invoice_export"),
    path("project-invoices/<int:pk>/synchronize/", views.invoice_synchronize, name="invoice_synchronize"),
]
