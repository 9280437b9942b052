from django.apps import AppConfig


class ApConfig(AppConfig):
    name = "intacct_bridge.ap"
    label = "bridge_ap"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which Django allows only once every
        # app is loaded; and registering the families here keeps the registry order records, ap, ar,
        # psa, timesheets
        from intacct_bridge.ap import checks, families  # noqa: F401
        from intacct_bridge.web import nav
        from intacct_bridge.workspaces.setup_check import register_check

        nav.register("Bills", "ap:bills", families=("bills",), order=20)
        nav.register(
            "Accounting software sync", "ap:settings", families=("accounts", "vendors", "bills"), order=90
        )
        register_check(("vendors", "bills"), checks.test_connection_check)
