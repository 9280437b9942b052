from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "intacct_bridge.records"
    label = "bridge_records"
    default_auto_field = "django.db.models.BigAutoField"
