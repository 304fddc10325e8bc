"""Units form a tree through ``parent`` (主管单位), kept as a materialized ``tree_path``.

Existing units without a parent get one where the regions can say it: a district's 公共法律服务中心, 法律援助中心 and
司法所 (and a lower 司法局) go under the nearest 司法局 above them; a town's 人民调解委员会 and 工作站 under the
town's 司法所; a village's 工作室 under its town's 工作站. Then every unit's path is written, top down.
"""

from django.db import migrations, models

PATH_WIDTH = 8
UNDER_BUREAU = ("centre", "legal_aid", "judicial_office", "bureau")
UNDER_OFFICE = ("mediation", "station")


def _parent_code(code):
    for length in (9, 6, 4, 2):
        if len(code) > length:
            return code[:length]
    return None


def fill_tree(apps, schema_editor):
    Unit = apps.get_model("orgs", "Unit")
    units = list(Unit.objects.order_by("pk").values("pk", "kind", "region_id", "parent_id"))
    first: dict[tuple[str, str], int] = {}
    for u in units:
        first.setdefault((u["kind"], u["region_id"]), u["pk"])

    def bureau_above(code, *, same_level):
        code = code if same_level else _parent_code(code)
        while code:
            if ("bureau", code) in first:
                return first[("bureau", code)]
            code = _parent_code(code)
        return None

    for u in units:
        if u["parent_id"] is not None:
            continue
        parent = None
        kind, code = u["kind"], u["region_id"]
        if kind == "bureau":
            parent = bureau_above(code, same_level=False)
        elif kind in UNDER_BUREAU:
            parent = bureau_above(code, same_level=True)
        elif kind in UNDER_OFFICE:
            parent = first.get(("judicial_office", code))
        elif kind == "room":
            town = _parent_code(code)
            parent = first.get(("station", town)) if town else None
        if parent is not None and parent != u["pk"]:
            u["parent_id"] = parent
            Unit.objects.filter(pk=u["pk"]).update(parent_id=parent)

    by_pk = {u["pk"]: u for u in units}
    paths: dict[int, str] = {}

    def path_of(pk, seen=()):
        if pk in paths:
            return paths[pk]
        parent = by_pk[pk]["parent_id"]
        prefix = "" if parent is None or parent in seen or parent not in by_pk else path_of(parent, (*seen, pk))
        paths[pk] = prefix + str(pk).zfill(PATH_WIDTH)
        return paths[pk]

    for u in units:
        Unit.objects.filter(pk=u["pk"]).update(tree_path=path_of(u["pk"]))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_membership_ended_at_and_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="tree_path",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="由主管单位链上各单位编号组成，保存时自动维护；用于一次查出某单位及其下属单位。",
                max_length=160,
                verbose_name="层级路径",
            ),
        ),
        migrations.RunPython(fill_tree, migrations.RunPython.noop),
    ]
