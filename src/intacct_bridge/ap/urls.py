"""Pages of the ap app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.ap import views

app_name = "ap"

urlpatterns: list[URLPattern | URLResolver] = [
    path("bills/", views.bill_list, name="bills"),
    path("bills/new/", views.new_bill, name="new_bill"),
    path("bills/<int:bill_id>/", views.bill_detail, name="bill"),
    path("bills/<int:bill_id>/ready/", views.mark_ready, name="ready"),
    path("bills/<int:bill_id>/edit/", views.edit_bill, name="edit_bill"),
    path("bills/<int:bill_id>/delete/", views.delete_bill, name="delete_bill"),
    path("settings/accounting/", views.accounting_settings, name="settings"),
]
