from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "intacct_bridge.records"
    label = "bridge_records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the first family app: its families are registered before ap, ar, psa and timesheets
        from intacct_bridge.records import families  # noqa: F401
