from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "intacct_bridge.sync"
    label = "bridge_sync"
    default_auto_field = "django.db.models.BigAutoField"
