from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "intacct_bridge.web"
    label = "bridge_web"
    default_auto_field = "django.db.models.BigAutoField"
