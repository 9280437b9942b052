"""Mounted at the web root: /metrics, /healthz, /readyz (public on purpose) and /ops/ (staff)."""

from django.urls import URLPattern, path

from intacct_bridge.ops import views

urlpatterns: list[URLPattern] = [
    path("metrics", views.metrics_view, name="metrics"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("ops/", views.overview, name="ops-overview"),
]
