from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bridge_sync", "0004_link_entity")]

    operations = [
        migrations.AddField(
            model_name="syncschedule",
            name="family_due",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="run",
            name="trigger",
            field=models.CharField(
                choices=[
                    ("schedule", "Schedule"),
                    ("sync_now", "Sync now"),
                    ("import", "Import"),
                    ("link", "Link"),
                    ("retry", "Retry"),
                    ("push", "Changed in the app"),
                ],
                default="sync_now",
                max_length=10,
            ),
        ),
    ]
