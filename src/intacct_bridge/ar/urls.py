"""Pages of the ar app, mounted under /w/<slug>/ before the generic family pages."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.ar import views

app_name = "ar"

urlpatterns: list[URLPattern | URLResolver] = [
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:invoice_id>/image.pdf", views.invoice_image, name="invoice_image"),
    path("invoices/<int:invoice_id>/pay", views.record_payment, name="invoice_pay"),
    path("payments/", views.payment_list, name="payments"),
    path("payments/<int:payment_id>/", views.payment_detail, name="payment"),
    path("payments/<int:payment_id>/retry", views.payment_retry, name="payment_retry"),
    path("adjustments/", views.adjustment_list, name="adjustments"),
    path("billing/accounting/", views.settings_page, name="settings"),
]

# the generic family pages (mounted after these) would import Intacct's AR payments as app payments,
# link them by hand or create them without the payment rules: not here
for _family in ("payments", "adjustments"):
    urlpatterns += [
        path(f"{_family}/{suffix}", views.not_for_push_families, name=f"{_family}_generic_{n}")
        for n, suffix in enumerate(
            (
                "new/",
                "import/",
                "intacct/",
                "<int:local_id>/edit/",
                "<int:local_id>/link/",
                "<int:local_id>/unlink/",
            )
        )
    ]
