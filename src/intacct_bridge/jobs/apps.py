from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "intacct_bridge.jobs"
    label = "bridge_jobs"
    default_auto_field = "django.db.models.BigAutoField"
