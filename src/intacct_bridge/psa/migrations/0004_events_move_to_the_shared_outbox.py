from django.db import migrations


class Migration(migrations.Migration):
    """Project and task events now live in the shared outbox (bridge_sync.Event)."""

    dependencies = [("bridge_psa", "0003_event_origin"), ("bridge_sync", "0006_event")]

    operations = [migrations.DeleteModel(name="PsaEvent")]
