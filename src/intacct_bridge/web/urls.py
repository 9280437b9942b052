"""Pages: sign-in, the workspace list, and each workspace's overview, connection, checklist, tokens."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from intacct_bridge.web import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("w/<slug:slug>/", views.workspace_home, name="workspace"),
    path("w/<slug:slug>/connection/", views.connection, name="connection"),
    path("w/<slug:slug>/test-connection/", views.test_connection, name="test-connection"),
    path("w/<slug:slug>/setup/", views.setup, name="setup"),
    path("w/<slug:slug>/members/", views.members, name="members"),
    path("w/<slug:slug>/tokens/", views.tokens, name="tokens"),
    path("w/<slug:slug>/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke-token"),
]
