from typing import Any

from django.apps import AppConfig


class PsaConfig(AppConfig):
    name = "intacct_bridge.psa"
    label = "bridge_psa"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Projects and tasks"

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which Django allows only once every
        # app is loaded; and registering the families here keeps the registry order records, ap, ar,
        # psa, timesheets
        from intacct_bridge.psa import checks, families  # noqa: F401
        from intacct_bridge.psa.events import connect
        from intacct_bridge.web.nav import register
        from intacct_bridge.workspaces.setup_check import register_check

        connect()
        register("Projects", "psa:projects", families=("projects", "tasks"), order=40)
        register_check(("projects",), checks.test_connection_check)

    def demo_setup(self, workspace: Any) -> None:
        """The demo workspace's PSA settings: connected today, projects filed as Contract."""
        from intacct_bridge.psa.models import PsaSettings

        PsaSettings.of(workspace)
