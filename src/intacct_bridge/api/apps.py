from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "intacct_bridge.api"
    label = "bridge_api"
    default_auto_field = "django.db.models.BigAutoField"
