from django.apps import AppConfig


class TimesheetsConfig(AppConfig):
    name = "intacct_bridge.timesheets"
    label = "bridge_time"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registering the families here keeps the engine's registry order: records, ap, ar, psa, timesheets
        from intacct_bridge.timesheets import families  # noqa: F401
