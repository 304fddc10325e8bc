from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0003_matter_list_due_order_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(fields=["-submitted_at", "-id"], name="matter_list_recent"),
        ),
    ]
