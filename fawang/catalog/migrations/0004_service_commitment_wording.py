"""Public wording of the platform's service commitments (issue 14, item 8).

The seeded time limits without a legal basis cite "本平台服务承诺（可由管理员调整）"; the note in brackets was meant
for administrators but is printed on the public guides and on receipts. The commitments read "本平台服务承诺" now
(that an admin may edit them is the catalogue's business, not the public's). Every basis and guide text still
holding the note loses it, whatever else an admin wrote around it; nothing else changes. No reverse: the old words
were wrong.
"""

from django.db import migrations

NOTE = "（可由管理员调整）"
FIELDS = ("accept_basis", "assign_basis", "complete_basis", "guide_conditions", "guide_procedure", "legal_basis")


def drop_admin_note(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    for item in ServiceItem.objects.all():
        changed = [f for f in FIELDS if NOTE in getattr(item, f)]
        for f in changed:
            setattr(item, f, getattr(item, f).replace(NOTE, ""))
        if changed:
            item.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_consultation_answer_limit")]
    operations = [migrations.RunPython(drop_admin_note, migrations.RunPython.noop)]
