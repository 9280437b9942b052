"""Pages of the webhooks app, mounted under /w/<slug>/."""

from django.urls import URLPattern, URLResolver, path

from intacct_bridge.webhooks import views

app_name = "webhooks"

urlpatterns: list[URLPattern | URLResolver] = [
    path("webhooks/", views.subscription_list, name="list"),
    path("webhooks/<int:webhook_id>/", views.subscription_detail, name="detail"),
    path("webhooks/<int:webhook_id>/toggle/", views.toggle, name="toggle"),
    path("webhooks/<int:webhook_id>/rotate-secret/", views.rotate_secret, name="rotate"),
    path("webhooks/<int:webhook_id>/delete/", views.delete, name="delete"),
    path(
        "webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]
