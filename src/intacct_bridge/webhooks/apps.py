from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "intacct_bridge.webhooks"
    label = "bridge_webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # imported here: the sender loads models, which Django allows only once every app is loaded
        from intacct_bridge.web import nav
        from intacct_bridge.webhooks import tasks

        tasks.connect()
        nav.register("Webhooks", "webhooks:list", order=95)
