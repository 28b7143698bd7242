from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_child_external_id_child_child_external_id_unique")]

    operations = [
        migrations.AddIndex(
            model_name="child",
            index=models.Index(fields=["created_at", "id"], name="child_created_idx"),
        ),
    ]
