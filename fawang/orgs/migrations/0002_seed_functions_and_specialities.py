"""Seed the unit functions ("3+X", 厦司〔2019〕43号 第四条) and the legal areas used for specialities and topics."""

from django.db import migrations

FUNCTIONS = [
    # code, name, basic
    ("legal_aid", "法律援助", True),
    ("mediation", "人民调解", True),
    ("consultation", "法律咨询", True),
    ("lawyer", "律师服务", False),
    ("notary", "公证", False),
    ("appraisal", "司法鉴定", False),
    ("special_mediation", "专业调解", False),
    ("exam", "法律职业资格考试", False),
    ("resettlement", "安置帮教", False),
    ("remote_visit", "监所远程探视", False),
    ("publicity", "法治宣传", False),
    ("grassroots", "基层法律服务", False),
    ("corrections", "社区矫正", False),
]

SPECIALITIES = [
    ("family", "婚姻家庭"),
    ("labour", "劳动纠纷"),
    ("traffic", "交通事故"),
    ("debt", "债权债务"),
    ("criminal", "刑事辩护"),
    ("contract", "合同纠纷"),
    ("property", "房产纠纷"),
    ("tort", "侵权"),
    ("company", "公司法"),
    ("medical", "医疗纠纷"),
    ("demolition", "拆迁安置"),
    ("administrative", "行政诉讼"),
    ("construction", "建设工程"),
    ("ip", "知识产权"),
    ("general", "综合咨询"),
    ("injury", "人身损害"),
    ("foreign", "涉外法律"),
    ("maritime", "海事海商"),
    ("consumer", "消费权益"),
    ("security", "抵押担保"),
]


def seed(apps, schema_editor):
    Function = apps.get_model("orgs", "Function")
    Speciality = apps.get_model("orgs", "Speciality")
    for order, (code, name, basic) in enumerate(FUNCTIONS):
        Function.objects.update_or_create(
            code=code, defaults={"name": name, "is_basic": basic, "order": order}
        )
    for order, (code, name) in enumerate(SPECIALITIES):
        Speciality.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
