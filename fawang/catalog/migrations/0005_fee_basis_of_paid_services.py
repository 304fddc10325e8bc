"""收费标准 of 公证, 司法鉴定 and 律师服务 (issue 14, item 9).

The seed left them at the field's default "免费", which is wrong: these services are paid by official fee rules.
The texts name the basis, checked against the statutes (shared/data/laws, from flk.npc.gov.cn) and the documents:

- 公证: 公证法 第三十四条 (当事人应当按照规定支付公证费; 对符合法律援助条件的当事人，公证机构应当按照规定减免
  公证费) and 第四十六条 (收费标准由省、自治区、直辖市人民政府价格主管部门会同同级司法行政部门制定);
  法律援助法 第五十三条第二款 (公证机构、司法鉴定机构应当对受援人减收或者免收公证费、鉴定费).
- 司法鉴定: since 国家发展改革委、教育部、司法部、国家新闻出版广电总局《关于下放教材及部分服务价格定价权限有关
  问题的通知》(发改价格〔2015〕1199号) each province sets its own 司法鉴定收费标准 (司法部办公厅《关于进一步加强
  司法鉴定收费管理的通知》 urged the provinces still without one to set it); the national 《司法鉴定收费管理办法》
  (国家发展改革委、司法部, 2009) no longer sets the amounts;
  法律援助法 第五十三条第二款 for 受援人.
- 律师服务: 律师法 第二十五条 (律师事务所统一接受委托、签订书面委托合同、统一收取费用) and 第五十九条 (律师收费办法
  由国务院价格主管部门会同国务院司法行政部门制定), which is 国家发展改革委、司法部《律师服务收费管理办法》
  (2006): 政府指导价 for the litigation services it lists, 市场调节价 for the rest, each province's own rules
  within it.

An item whose fees an admin has already changed from "免费" is left alone. No reverse: "免费" was wrong.
"""

from django.db import migrations

FEES = {
    "notary": (
        "按照省、自治区、直辖市价格主管部门会同同级司法行政部门制定的公证收费标准收取公证费（公证法 第三十四条、"
        "第四十六条）；符合法律援助条件的当事人，公证机构按照规定减收或者免收公证费（公证法 第三十四条，"
        "法律援助法 第五十三条）。具体收费项目和金额请向公证机构询问。"
    ),
    "appraisal": (
        "咨询和转交不收费。司法鉴定按照省、自治区、直辖市价格主管部门会同同级司法行政部门制定的司法鉴定收费标准"
        "收费；法律援助的受援人，司法鉴定机构应当减收或者免收鉴定费（法律援助法 第五十三条）。"
        "具体收费项目和金额请向司法鉴定机构询问。"
    ),
    "lawyer": (
        "预约不收费。委托律师代理诉讼、代写法律文书等律师服务，由律师事务所与委托人签订书面委托合同并统一收费"
        "（律师法 第二十五条），按照国家发展改革委、司法部《律师服务收费管理办法》和本省律师服务收费规定，"
        "实行政府指导价或者市场调节价；符合法律援助条件的，可以申请免费的法律援助。"
    ),
}


def name_the_fee_basis(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    for code, fees in FEES.items():
        ServiceItem.objects.filter(code=code, guide_fees="免费").update(guide_fees=fees)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_service_commitment_wording")]
    operations = [migrations.RunPython(name_the_fee_basis, migrations.RunPython.noop)]
