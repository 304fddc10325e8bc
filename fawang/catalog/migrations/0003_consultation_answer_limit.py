"""Time the answer of a consultation: 3 working days from submission (the seeded commitment).

A consultation is taken in by its answer (咨询答复即受理, fawang.matters.actions.workflow.do_comment), so the
commitment "疑难咨询 3 个工作日内答复" is a limit on the accept step: without it an online question nobody
answers was never warned about or escalated. The complete limit stays for a consultation accepted explicitly
and answered later. An item whose accept limit an admin has already set is left alone; matters already
submitted keep the clock they started with (none), so deploying this raises no flood of old warnings.
"""

from django.db import migrations

BASIS = "本平台服务承诺（可由管理员调整）：网上、热线提出的疑难咨询 3 个工作日内答复，答复即受理"


def time_the_answer(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    ServiceItem.objects.filter(code="consultation", accept_limit__isnull=True).update(
        accept_limit=3, accept_limit_unit="workdays", accept_basis=BASIS
    )


def untime_the_answer(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    ServiceItem.objects.filter(code="consultation", accept_basis=BASIS).update(
        accept_limit=None, accept_basis=""
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_seed_service_items")]
    operations = [migrations.RunPython(time_the_answer, untime_the_answer)]
