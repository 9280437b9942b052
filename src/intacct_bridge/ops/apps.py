from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "intacct_bridge.ops"
    label = "bridge_ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signals on the run model (logs), the digest's periodic task (registered in every process
        # that loads the apps, so the worker's consumer schedules it), the JSON log format if asked.
        from intacct_bridge.ops import logs, tasks  # noqa: F401

        logs.connect()
        logs.configure_json()
