from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "intacct_bridge.sync"
    label = "bridge_sync"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # imported here, not at the top: the handlers load models (allowed once every app is loaded)
        from intacct_bridge.sync import signals

        signals.connect()
