from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bridge_time", "0002_events_move_to_the_shared_outbox")]

    operations = [
        migrations.AddField(
            model_name="projectinvoice",
            name="payment_reported",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
    ]
