"""Seed the service items the source documents name (厦司〔2019〕43号, 仙政办〔2017〕134号), with their time limits.

Limits with a legal basis cite it. 法律援助法 counts in 日 (七日, 三日, 五日), not 工作日: the limits are seeded in
natural days as the law says (the last day moves to the next working day when it is a rest day, 民法典 第二百零三条);
a province whose regulation counts in 工作日 edits the unit in the admin. Limits without a legal basis are the
platform's service commitments (服务承诺制、限时办结制, 厦司〔2019〕43号 第（十七）项) and say so. Existing items are left
alone, so admins' edits survive re-running.
"""

from django.db import migrations

ALL_ONLINE = ["web", "app", "wechat"]

LEGAL_AID_LAW = "《中华人民共和国法律援助法》"
COMMITMENT = "本平台服务承诺（可由管理员调整）"

ITEMS = [
    {
        "code": "consultation",
        "name": "法律咨询",
        "business_line": "consultation",
        "summary": "就婚姻家庭、劳动、债务、房产等法律问题提供免费咨询解答。",
        "unit_kind": "centre",
        "unit_level": 3,
        "handled_at_intake": True,
        "complete": (3, "workdays", COMMITMENT + "：一般咨询即时解答，疑难咨询 3 个工作日内答复"),
        "channels": ["window", "hotline", *ALL_ONLINE, "visit"],
        "conditions": "公民、法人和其他组织均可咨询，无需预约。",
        "procedure": "到公共法律服务中心（工作站、工作室）窗口、拨打 12348 热线或在网上提问；一般问题当场解答，疑难问题登记后由律师或法律服务工作者限期答复。",
        "legal_basis": "厦司〔2019〕43号 第（四）项（“3+X”基本职能：法律咨询）；仙政办〔2017〕134号 二（一）。",
        "materials": [],
    },
    {
        "code": "legal_aid",
        "name": "法律援助申请",
        "business_line": "legal_aid",
        "summary": "经济困难公民和符合法定条件的其他当事人申请免费的代理、刑事辩护等法律服务。",
        "unit_kind": "legal_aid",
        "unit_level": 3,
        "accept": (
            7,
            "days",
            LEGAL_AID_LAW + "第四十三条第一款：自收到申请之日起七日内审查并作出是否给予法律援助的决定",
        ),
        "assign": (
            3,
            "days",
            LEGAL_AID_LAW + "第四十三条第一款：决定给予法律援助的，自作出决定之日起三日内指派",
        ),
        "channels": ["window", *ALL_ONLINE, "mail", "proxy", "visit"],
        "requires_id_number": True,
        "conditions": "经济困难的公民和符合法定条件的其他当事人（法律援助法 第二条、第三十一条）；无固定生活来源的未成年人、老年人、残疾人，社会救助、司法救助或者优抚对象，申请支付劳动报酬或者工伤赔偿的进城务工人员等免予核查经济困难状况（第四十二条）。",
        "procedure": "向争议处理机关所在地或者事由发生地的法律援助机构提出申请（第三十八条）；材料不齐全的，一次性告知需要补充的材料，逾期未补充的视为撤回申请（第四十三条第二款）；七日内作出是否给予法律援助的决定，给予的三日内指派法律援助人员，不给予的书面告知理由（第四十三条第一款）；对不予法律援助的决定有异议的，可以向设立该法律援助机构的司法行政部门提出（第四十九条）。",
        "legal_basis": LEGAL_AID_LAW + "第二条、第三十一条、第三十八条、第四十一条至第四十三条、第四十九条。",
        "materials": [
            ("法律援助申请表", "申请人签名或者捺印", True),
            ("申请人身份证明", "居民身份证或者其他有效身份证件", True),
            ("经济困难状况说明", "可以通过信息共享查询，或者由申请人作出个人诚信承诺（第四十一条）", True),
            ("与所申请法律援助事项有关的材料", "起诉状、判决书、劳动合同、工资凭证等", True),
            ("代理人身份证明及代理关系证明", "由法定代理人或者近亲属代为申请时提交（第四十条）", False),
        ],
    },
    {
        "code": "legal_aid_objection",
        "name": "法律援助异议审查",
        "business_line": "legal_aid",
        "summary": "对法律援助机构不予法律援助、终止法律援助的决定有异议的，由设立该机构的司法行政部门审查。",
        "unit_kind": "bureau",
        "unit_level": 3,
        "complete": (5, "days", LEGAL_AID_LAW + "第四十九条第二款：自收到异议之日起五日内审查并作出决定"),
        "channels": ["window", *ALL_ONLINE, "mail", "proxy"],
        "requires_id_number": True,
        "conditions": "法律援助申请人、受援人对不予法律援助、终止法律援助的决定有异议。",
        "procedure": "向设立该法律援助机构的司法行政部门提出异议；司法行政部门五日内作出维持或者责令改正的决定；对维持决定不服的，可以依法申请行政复议或者提起行政诉讼（第四十九条）。",
        "legal_basis": LEGAL_AID_LAW + "第四十九条。",
        "materials": [
            ("异议申请", "写明异议的事实和理由", True),
            ("不予或者终止法律援助的决定书", "", True),
        ],
    },
    {
        "code": "mediation",
        "name": "人民调解申请",
        "business_line": "mediation",
        "summary": "邻里、婚姻家庭、损害赔偿等民间纠纷，向人民调解委员会申请免费调解。",
        "unit_kind": "mediation",
        "unit_level": 4,
        "accept": (3, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE, "visit"],
        "conditions": "当事人可以向人民调解委员会申请调解；当事人一方明确拒绝调解的，不得调解（人民调解法 第十七条）。",
        "procedure": "提出申请 → 人民调解委员会受理并指定人民调解员 → 调解 → 达成协议的制作调解协议书（第二十八条）；调解不成的终止调解，并告知当事人可以依法通过仲裁、行政、司法等途径维护权利（第二十六条）。",
        "legal_basis": "《中华人民共和国人民调解法》第十七条、第二十六条、第二十八条。",
        "materials": [
            ("当事人身份证明", "", True),
            ("纠纷相关证据材料", "", False),
        ],
    },
    {
        "code": "notary",
        "name": "公证办理",
        "business_line": "notary",
        "summary": "申办各类公证事项，或者咨询公证所需材料。",
        "unit_kind": "notary",
        "unit_level": 3,
        "accept": (2, "workdays", COMMITMENT + "：预约与材料预审"),
        "channels": ["window", "hotline", *ALL_ONLINE, "proxy"],
        "requires_id_number": True,
        "conditions": "自然人、法人或者其他组织向公证机构提出申请（公证法 第二条）。",
        "procedure": "网上或者窗口预约并预审材料 → 到公证机构提交申请 → 审查 → 出具公证书。",
        "legal_basis": "《中华人民共和国公证法》。",
        "materials": [
            ("申请人身份证明", "", True),
            ("与公证事项有关的证明材料", "", True),
        ],
    },
    {
        "code": "appraisal",
        "name": "司法鉴定咨询与申请",
        "business_line": "appraisal",
        "summary": "咨询司法鉴定事项，或者向司法鉴定机构提出鉴定委托。",
        "unit_kind": "appraisal",
        "unit_level": 2,
        "accept": (3, "workdays", COMMITMENT + "：答复咨询或者转交鉴定机构"),
        "channels": ["window", "hotline", *ALL_ONLINE],
        "conditions": "诉讼中的司法鉴定一般由办案机关委托；当事人可以咨询鉴定事项、机构和收费。",
        "procedure": "咨询登记 → 答复或者转交司法鉴定机构 → 鉴定机构决定是否受理。",
        "legal_basis": "《全国人民代表大会常务委员会关于司法鉴定管理问题的决定》。",
        "materials": [],
    },
    {
        "code": "lawyer",
        "name": "律师服务预约",
        "business_line": "lawyer",
        "summary": "预约律师面谈、代写法律文书或者了解律师服务。",
        "unit_kind": "centre",
        "unit_level": 3,
        "accept": (1, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE],
        "conditions": "公民、法人和其他组织均可预约。",
        "procedure": "提交预约 → 公共法律服务中心一个工作日内确认时间和律师 → 按约面谈。",
        "legal_basis": "厦司〔2019〕43号 第（四）项（“X”拓展职能：律师服务）。",
        "materials": [],
    },
    {
        "code": "publicity",
        "name": "法治宣传活动预约",
        "business_line": "publicity",
        "summary": "村（居）、学校、企业预约普法讲座和法治宣传活动。",
        "unit_kind": "judicial_office",
        "unit_level": 4,
        "accept": (3, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE],
        "conditions": "村（居）委会、学校、企业、社会组织等。",
        "procedure": "提交预约（时间、地点、人数、主题）→ 司法所三个工作日内确认 → 开展活动。",
        "legal_basis": "厦司〔2019〕43号 第（六）项；仙政办〔2017〕134号 二（六）。",
        "materials": [],
    },
    {
        "code": "resettlement",
        "name": "安置帮教",
        "business_line": "resettlement",
        "summary": "刑满释放人员申请就业指导、技能培训、临时救助等帮教服务。",
        "unit_kind": "judicial_office",
        "unit_level": 4,
        "accept": (3, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE, "visit"],
        "requires_id_number": True,
        "conditions": "刑满释放人员及其近亲属。",
        "procedure": "提出申请 → 户籍地或者居住地司法所受理 → 制定帮教方案并落实。",
        "legal_basis": "仙政办〔2017〕134号 二（五）。",
        "materials": [("释放证明书", "", True)],
    },
    {
        "code": "corrections",
        "name": "社区矫正报到与咨询",
        "business_line": "corrections",
        "summary": "社区矫正对象报到，或者咨询社区矫正事务。",
        "unit_kind": "judicial_office",
        "unit_level": 4,
        "accept": (1, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE],
        "requires_id_number": True,
        "conditions": "判处管制、宣告缓刑、裁定假释的社区矫正对象，应当自判决、裁定生效之日起十日内到执行地社区矫正机构报到（社区矫正法 第二十一条）。",
        "procedure": "持法律文书到执行地司法所报到 → 登记 → 告知矫正规定。",
        "legal_basis": "《中华人民共和国社区矫正法》第二十一条。",
        "materials": [
            ("判决书、裁定书或者决定书", "", True),
            ("居民身份证", "", True),
        ],
    },
    {
        "code": "remote_visit",
        "name": "监所远程探视预约",
        "business_line": "remote_visit",
        "summary": "服刑人员、在押人员的亲属预约远程视频探视。",
        "unit_kind": "prison",
        "unit_level": 3,
        "accept": (2, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE],
        "requires_id_number": True,
        "conditions": "服刑人员、在押人员的近亲属。",
        "procedure": "提交预约 → 监所审核 → 确认探视时间 → 到公共法律服务中心远程探视室探视。",
        "legal_basis": "厦司〔2019〕43号 第（四）项（“X”拓展职能：监所远程探视）。",
        "materials": [("亲属关系证明", "", True)],
    },
    {
        "code": "complaint",
        "name": "投诉",
        "business_line": "complaint",
        "summary": "对服务事项的办理、服务机构或者工作人员的投诉，由主管司法行政机关处理。",
        "unit_kind": "bureau",
        "unit_level": 3,
        "accept": (2, "workdays", COMMITMENT),
        "complete": (15, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE, "mail"],
        "conditions": "服务对象及其他公民、法人和其他组织。",
        "procedure": "提交投诉 → 被投诉机构的主管司法行政机关受理 → 调查核实 → 答复投诉人。",
        "legal_basis": "厦司〔2019〕43号 第（八）项（服务投诉）、第（九）项（监督功能）。",
        "materials": [],
    },
    {
        "code": "other",
        "name": "其他事项",
        "business_line": "other",
        "summary": "不属于以上事项的求助，由受理机构先行登记，再分流转办。",
        "unit_kind": "centre",
        "unit_level": 3,
        "handled_at_intake": True,
        "accept": (2, "workdays", COMMITMENT),
        "channels": ["window", "hotline", *ALL_ONLINE, "mail", "visit"],
        "conditions": "",
        "procedure": "登记 → 受理机构答复或者转办有关机构。",
        "legal_basis": "厦司〔2019〕43号 第（十一）项（前台统一受理，后台分流转办）。",
        "materials": [],
    },
]


def seed(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    Material = apps.get_model("catalog", "Material")
    for order, spec in enumerate(ITEMS):
        if ServiceItem.objects.filter(code=spec["code"]).exists():
            continue
        fields = {
            "name": spec["name"],
            "business_line": spec["business_line"],
            "summary": spec["summary"],
            "unit_kind": spec["unit_kind"],
            "unit_level": spec["unit_level"],
            "handled_at_intake": spec.get("handled_at_intake", False),
            "channels": spec["channels"],
            "requires_id_number": spec.get("requires_id_number", False),
            "guide_conditions": spec["conditions"],
            "guide_procedure": spec["procedure"],
            "legal_basis": spec["legal_basis"],
            "order": order,
        }
        for step in ("accept", "assign", "complete"):
            if step in spec:
                amount, unit, basis = spec[step]
                fields.update({f"{step}_limit": amount, f"{step}_limit_unit": unit, f"{step}_basis": basis})
        item = ServiceItem.objects.create(code=spec["code"], **fields)
        for i, (name, description, required) in enumerate(spec["materials"]):
            Material.objects.create(
                service_item=item, name=name, description=description, is_required=required, order=i
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_service_items")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
