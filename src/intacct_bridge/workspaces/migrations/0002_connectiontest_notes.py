from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bridge_workspaces", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="connectiontest",
            name="notes",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
