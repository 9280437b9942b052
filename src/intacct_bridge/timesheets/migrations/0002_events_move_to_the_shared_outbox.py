from django.db import migrations


class Migration(migrations.Migration):
    """Time events now live in the shared outbox (bridge_sync.Event)."""

    dependencies = [("bridge_time", "0001_initial"), ("bridge_sync", "0006_event")]

    operations = [migrations.DeleteModel(name="TimeEvent")]
