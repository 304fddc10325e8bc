"""Local documents move from the items' 设定依据 to 地方依据 of their region (issue 14, item 7).

The seed wrote 厦司〔2019〕43号 (a 厦门市司法局 document) and 仙政办〔2017〕134号 (a 仙游县人民政府办公室 document) into
the items' national 设定依据, so a 思明区 receipt cited a 仙游县 document. Each part of an item's basis naming one of
them becomes a RegionalBasis of 厦门市 (3502) or 仙游县 (350322); the rest stays. An item whose basis an admin
rewrote without these documents is left alone. The reverse puts the parts back.
"""

from django.db import migrations

LOCAL = {"厦司〔2019〕43号": "3502", "仙政办〔2017〕134号": "350322"}


def _parts(text):
    return [p.strip() for p in text.strip().rstrip("。").split("；") if p.strip()]


def move(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    RegionalBasis = apps.get_model("catalog", "RegionalBasis")
    for item in ServiceItem.objects.all():
        kept = []
        moved = []
        for part in _parts(item.legal_basis):
            code = next((c for doc, c in LOCAL.items() if part.startswith(doc)), None)
            if code is None:
                kept.append(part)
            else:
                moved.append((code, part))
        if not moved:
            continue
        for order, (code, part) in enumerate(moved):
            RegionalBasis.objects.get_or_create(
                service_item=item, region_code=code, text=part + "。", defaults={"order": order}
            )
        item.legal_basis = "；".join(kept) + "。" if kept else ""
        item.save(update_fields=["legal_basis"])


def back(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    RegionalBasis = apps.get_model("catalog", "RegionalBasis")
    for item in ServiceItem.objects.all():
        rows = list(RegionalBasis.objects.filter(service_item=item, region_code__in=LOCAL.values()))
        if not rows:
            continue
        parts = _parts(item.legal_basis) + [p for row in rows for p in _parts(row.text)]
        item.legal_basis = "；".join(parts) + "。"
        item.save(update_fields=["legal_basis"])
        RegionalBasis.objects.filter(pk__in=[row.pk for row in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_regional_basis")]
    operations = [migrations.RunPython(move, back)]
