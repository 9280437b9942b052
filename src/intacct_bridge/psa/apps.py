from django.apps import AppConfig


class PsaConfig(AppConfig):
    name = "intacct_bridge.psa"
    label = "bridge_psa"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registering the families here keeps the engine's registry order: records, ap, ar, psa, timesheets
        from intacct_bridge.psa import families  # noqa: F401
