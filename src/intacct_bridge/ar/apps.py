from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class ArConfig(AppConfig):
    name = "intacct_bridge.ar"
    label = "bridge_ar"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which Django allows only once every
        # app is loaded; and registering the families here keeps the registry order records, ap, ar,
        # psa, timesheets
        from intacct_bridge.ar import checks, families  # noqa: F401
        from intacct_bridge.web import nav
        from intacct_bridge.workspaces.setup_check import register_check

        nav.register("Invoices", "ar:invoices", families=("invoices",), order=40)
        nav.register("Payments", "ar:payments", families=("payments",), order=41)
        nav.register("Adjustments", "ar:adjustments", families=("adjustments",), order=42)
        nav.register(
            "Billing settings", "ar:settings", families=("invoices", "payments", "adjustments"), order=43
        )
        register_check(("payments", "adjustments"), checks.test_connection_check)

    def demo_setup(self, workspace: Any) -> None:
        """The demo workspace: the chart imported now, AR 1200 and Undeposited Funds 1010 chosen,
        the Intacct invoice image on, adjustments on — so payments work from the first page view."""
        from intacct_bridge.ar import config
        from intacct_bridge.ar.models import ArSettings
        from intacct_bridge.records.models import Account
        from intacct_bridge.sync import service

        settings = ArSettings.of(workspace)
        if settings.undeposited_account_id is not None:
            return
        if not Account.objects.filter(workspace=workspace).exists():
            service.import_records(workspace, "accounts", None, by="demo")
        by_number = {a.number: a.pk for a in Account.objects.filter(workspace=workspace)}
        config.save(
            workspace,
            config.SettingsInput(
                ar_account_id=by_number.get("1200"),
                undeposited_account_id=by_number.get("1010"),
                use_intacct_image=True,
                adjustments_enabled=True,
            ),
            by="demo",
        )
