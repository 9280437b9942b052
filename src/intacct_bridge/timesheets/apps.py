from typing import Any

from django.apps import AppConfig


class TimesheetsConfig(AppConfig):
    name = "intacct_bridge.timesheets"
    label = "bridge_time"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Timesheets and project invoices"

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which Django allows only once every
        # app is loaded; and registering the families here keeps the registry order records, ap, ar,
        # psa, timesheets
        from intacct_bridge.timesheets import checks, families  # noqa: F401
        from intacct_bridge.web.nav import register
        from intacct_bridge.workspaces.setup_check import register_check

        register("Time", "timesheets:time", families=("timesheets",), order=50)
        register("Project invoices", "timesheets:invoices", families=("project-invoices",), order=55)
        register_check(("timesheets",), checks.test_connection_check)

    def demo_setup(self, workspace: Any) -> None:
        """The demo workspace uses the app for timesheets; its cut-off is 12 weeks back, so the demo
        company's recent weeks can be entered, approved and exported right away."""
        from datetime import timedelta

        from django.utils import timezone

        from intacct_bridge.timesheets.models import TimeSettings

        TimeSettings.objects.get_or_create(
            workspace=workspace, defaults={"cutoff": timezone.localdate() - timedelta(weeks=12)}
        )
