"""Referrals made before matters could be referred name their centre through their shift: copy it onto the row, so
that every referral has its centre (the on-duty queue and the duty log look there)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    DutyReferral = apps.get_model("hotline", "DutyReferral")
    DutyShift = apps.get_model("hotline", "DutyShift")
    DutyReferral.objects.filter(unit__isnull=True, shift__isnull=False).update(
        unit=Subquery(DutyShift.objects.filter(pk=OuterRef("shift_id")).values("unit_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("hotline", "0007_referral_from_matters_and_followup_dialing")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
