from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "intacct_bridge.jobs"
    label = "bridge_jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the Huey tasks in every process. Huey's own autodiscovery runs only in its
        # `run_huey` command; our `run` and `worker` start consumers directly, and a consumer that
        # has not imported the tasks cannot run a queued sync or fire the periodic scheduler.
        from intacct_bridge.jobs import tasks  # noqa: F401
