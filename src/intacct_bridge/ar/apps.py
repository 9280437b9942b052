from django.apps import AppConfig


class ArConfig(AppConfig):
    name = "intacct_bridge.ar"
    label = "bridge_ar"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registering the families here keeps the engine's registry order: records, ap, ar, psa, timesheets
        from intacct_bridge.ar import families  # noqa: F401
