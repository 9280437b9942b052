from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "intacct_bridge.workspaces"
    label = "bridge_workspaces"
    default_auto_field = "django.db.models.BigAutoField"
