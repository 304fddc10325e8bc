from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0004_matter_list_recent_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(fields=["unit", "status", "service_item"], name="matter_unit_status_item"),
        ),
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(fields=["service_item", "status", "region"], name="matter_item_status_region"),
        ),
    ]
