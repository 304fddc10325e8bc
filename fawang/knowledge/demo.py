"""Demo knowledge entries: a guide, FAQs, 以案释法 cases and publicity articles, written by the demo units.

Plain, accurate content citing articles of laws in data/laws/ (cited as 《…》第…条, so the citations are
extracted and linked when the laws are imported). Cases are composites with invented names (化名).
Idempotent: an entry is matched by (unit, title) and updated in place; citations are re-synced each run, so
running it again after `import_laws` links citations that could not be resolved before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.orgs.models import Speciality, Unit

from . import actions
from .models import KnowledgeEntry

AID = "《中华人民共和国法律援助法》"
LCL = "《中华人民共和国劳动合同法》"
LAB = "《中华人民共和国劳动法》"
LDA = "《中华人民共和国劳动争议调解仲裁法》"
MED = "《中华人民共和国人民调解法》"
CIV = "《中华人民共和国民法典》"
DV = "《中华人民共和国反家庭暴力法》"


@dataclass(frozen=True)
class DemoEntry:
    unit: str
    kind: str
    topic: str  # Speciality code
    title: str
    body: str
    local: bool = False
    items: tuple[str, ...] = ()  # ServiceItem codes the entry answers (shown on their 办事指南)


ENTRIES = [
    DemoEntry(
        "厦门市法律援助中心",
        KnowledgeEntry.Kind.GUIDE,
        "general",
        "申请法律援助办事指南",
        f"""一、哪些事项可以申请
因经济困难没有委托代理人的，请求国家赔偿，请求社会保险待遇或者社会救助，请求给付赡养费、抚养费、扶养费，请求确认劳动关系或者支付劳动报酬，请求工伤事故、交通事故、医疗事故等人身损害赔偿的，可以向法律援助机构申请法律援助（{AID}第三十一条）。刑事案件的犯罪嫌疑人、被告人因经济困难或者其他原因没有委托辩护人的，本人及其近亲属也可以申请（{AID}第二十四条）。

二、不受经济困难条件限制的情形
遭受虐待、遗弃或者家庭暴力的受害人主张相关权益，因见义勇为行为主张相关民事权益，英雄烈士近亲属为维护英雄烈士的人格权益等，申请法律援助不受经济困难条件的限制（{AID}第三十二条）。

三、需要准备的材料
1. 申请人的身份证明；代为申请的，还需代理人的身份证明和代理权限证明。
2. 经济困难状况的说明。申请人应当如实说明经济困难状况，法律援助机构可以通过信息共享查询，或者由申请人进行个人诚信承诺（{AID}第四十一条）。
3. 与所申请法律援助事项有关的材料，例如劳动合同、工资条、病历、判决书等。
无固定生活来源的未成年人、老年人、残疾人，社会救助、司法救助或者优抚对象，申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员，有材料证明身份的，免予核查经济困难状况（{AID}第四十二条）。

四、办理时限
法律援助机构自收到申请之日起七日内审查并作出是否给予法律援助的决定；决定给予的，自作出决定之日起三日内指派法律援助人员；决定不给予的，书面告知并说明理由。材料不齐全的，会一次性告知需要补充的材料（{AID}第四十三条）。

五、对决定有异议怎么办
对不予法律援助、终止法律援助的决定有异议的，可以向设立该法律援助机构的司法行政部门提出，司法行政部门自收到异议之日起五日内审查并作出决定（{AID}第四十九条）。

六、在哪里申请
可以到各区、县公共法律服务中心的法律援助窗口申请，也可以拨打 12348 公共法律服务热线咨询，或者在本平台在线提交申请。""",
        items=("legal_aid",),
    ),
    DemoEntry(
        "思明区司法局",
        KnowledgeEntry.Kind.FAQ,
        "labour",
        "单位拖欠工资怎么办？",
        f"""问：公司已经两个月没发工资了，我该怎么办？

答：工资应当以货币形式按月支付给劳动者本人，不得克扣或者无故拖欠（{LAB}第五十条）。用人单位应当按照劳动合同约定和国家规定，及时足额支付劳动报酬（{LCL}第三十条）。遇到拖欠工资，可以按下面的办法维权：

1. 收集证据：劳动合同、工牌、考勤记录、工资条、银行流水、与单位的聊天记录等，能证明劳动关系和欠薪数额的材料都要保存好。

2. 投诉：向当地劳动保障监察部门投诉。用人单位未及时足额支付劳动报酬的，由劳动行政部门责令限期支付；逾期不支付的，责令按应付金额百分之五十以上百分之一百以下的标准向劳动者加付赔偿金（{LCL}第八十五条）。

3. 调解和仲裁：可以向调解组织申请调解，也可以向劳动争议仲裁委员会申请仲裁；对仲裁裁决不服的，除法律另有规定外，可以向人民法院起诉（{LDA}第五条）。劳动争议仲裁不收费（{LDA}第五十三条）。劳动关系存续期间因拖欠劳动报酬发生争议的，申请仲裁不受一年时效的限制；劳动关系终止的，应当自终止之日起一年内提出（{LDA}第二十七条）。

4. 支付令：用人单位拖欠或者未足额支付劳动报酬的，劳动者可以依法向当地人民法院申请支付令（{LCL}第三十条）。

5. 解除合同并要求经济补偿：用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同（{LCL}第三十八条），并可以要求支付经济补偿（{LCL}第四十六条）。

请求支付劳动报酬、因经济困难没有委托代理人的，可以申请法律援助；进城务工人员申请支付劳动报酬的，免予核查经济困难状况（{AID}第四十二条）。""",
        items=("legal_aid", "consultation"),
    ),
    DemoEntry(
        "湖里区司法局",
        KnowledgeEntry.Kind.FAQ,
        "labour",
        "入职没签劳动合同，可以要求双倍工资吗？",
        f"""问：我入职三个多月了，单位一直没和我签书面劳动合同，我能要求什么？

答：建立劳动关系，应当订立书面劳动合同；已建立劳动关系但未同时订立的，应当自用工之日起一个月内订立（{LCL}第十条）。

用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资（{LCL}第八十二条）。也就是说，从用工满一个月的次日起，到补签合同的前一日为止，最长十一个月，每月可以要求用人单位多支付一倍工资。

建议保留能证明劳动关系的材料，如工资发放记录、考勤记录、工作证、招聘登记表等。双方协商不成的，可以向劳动争议仲裁委员会申请仲裁，仲裁不收费（{LDA}第五十三条）。请注意仲裁时效一般为一年（{LDA}第二十七条），不要拖延。""",
    ),
    DemoEntry(
        "厦门市司法局",
        KnowledgeEntry.Kind.FAQ,
        "general",
        "人民调解要收费吗？调解协议有没有法律效力？",
        f"""问：邻居家漏水把我家天花板泡坏了，社区说可以找人民调解委员会调解，要花钱吗？调解达成的协议算数吗？

答：人民调解委员会调解民间纠纷，不收取任何费用（{MED}第四条）。

经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行；人民调解委员会会对协议的履行情况进行监督（{MED}第三十一条）。

如果担心对方不履行，双方可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。人民法院依法确认调解协议有效后，一方拒绝履行或者未全部履行的，对方可以向人民法院申请强制执行（{MED}第三十三条）。

可以到所在街道（镇）、社区（村）的人民调解委员会申请调解，也可以拨打 12348 咨询。""",
        items=("mediation",),
    ),
    DemoEntry(
        "思明区法律援助中心",
        KnowledgeEntry.Kind.CASE,
        "labour",
        "以案释法：进城务工人员讨薪获法律援助",
        f"""【基本案情】
老李（化名）等六名工人在某装修工程中务工，工程完工后，包工头以“上家没有结款”为由，拖欠六人工资共计四万余元，拖了半年多。老李一行来到区公共法律服务中心求助。

【办理过程】
工作人员告知，进城务工人员申请支付劳动报酬的，有材料证明身份即可免予核查经济困难状况（{AID}第四十二条）。中心当天受理申请，并在七日内作出给予法律援助的决定，指派法律援助律师承办（{AID}第四十三条）。律师帮助工人们整理了考勤记录、工友证言和微信聊天记录，先组织调解，调解不成后代为申请劳动争议仲裁。最终仲裁委员会支持了工人们的请求，款项已全部执行到位。

【以案释法】
1. 用人单位应当及时足额支付劳动报酬，拖欠的，劳动者可以依法申请支付令（{LCL}第三十条）。
2. 劳动关系存续期间因拖欠劳动报酬发生争议的，申请仲裁不受一年时效的限制；劳动关系终止的，应当自终止之日起一年内提出（{LDA}第二十七条）。本案工人们在工程结束后及时求助，没有耽误时效。
3. 劳动争议仲裁不收费（{LDA}第五十三条），法律援助免费，讨薪维权不用担心费用。

（本案为根据常见情况编写的示例，人物均为化名。）""",
    ),
    DemoEntry(
        "湖里区司法局",
        KnowledgeEntry.Kind.CASE,
        "injury",
        "以案释法：高空坠物伤人，找不到是谁扔的怎么办？",
        f"""【基本案情】
王女士（化名）路过某小区楼下时，被楼上坠落的花盆砸伤，住院治疗花费两万余元。事发后，无法查清花盆是从哪一户坠落的。

【法律分析】
禁止从建筑物中抛掷物品。从建筑物中抛掷物品或者从建筑物上坠落的物品造成他人损害的，由侵权人依法承担侵权责任；经调查难以确定具体侵权人的，除能够证明自己不是侵权人的外，由可能加害的建筑物使用人给予补偿，补偿后有权向侵权人追偿（{CIV}第一千二百五十四条）。

物业服务企业等建筑物管理人应当采取必要的安全保障措施防止此类事情发生；未采取必要措施的，应当依法承担未履行安全保障义务的侵权责任。发生此类情形的，公安等机关应当依法及时调查，查清责任人（{CIV}第一千二百五十四条）。

【办理结果】
王女士先报警，由公安机关调查；仍无法确定具体侵权人后，在人民调解委员会主持下，与可能加害的住户和物业服务企业达成了补偿协议。

【提示】
遇到高空坠物伤害，应及时报警、就医并保存病历和票据；可以申请人民调解，也可以向人民法院起诉。

（本案为根据常见情况编写的示例，人物均为化名。）""",
    ),
    DemoEntry(
        "厦门市司法局",
        KnowledgeEntry.Kind.PUBLICITY,
        "family",
        "遭受家庭暴力，可以向谁求助？",
        f"""被老公打、被家人长期辱骂恐吓、被限制出门，都不是“家务事”。家庭成员之间以殴打、捆绑、残害、限制人身自由以及经常性谩骂、恐吓等方式实施的身体、精神等侵害行为，都属于家庭暴力（{DV}第二条）。

一、向身边的组织求助
受害人及其法定代理人、近亲属可以向加害人或者受害人所在单位、居民委员会、村民委员会、妇女联合会等单位投诉、反映或者求助，有关单位应当给予帮助、处理（{DV}第十三条）。

二、报警或者起诉
受害人及其法定代理人、近亲属也可以向公安机关报案，或者依法向人民法院起诉（{DV}第十三条）。遇到正在发生的家庭暴力，请立即拨打 110。

三、申请人身安全保护令
因遭受家庭暴力或者面临家庭暴力的现实危险，可以向人民法院申请人身安全保护令；本人无法申请的，近亲属、公安机关、妇女联合会、居民委员会、村民委员会、救助管理机构可以代为申请（{DV}第二十三条）。保护令可以禁止对方实施家庭暴力，禁止骚扰、跟踪、接触申请人及其近亲属，责令对方迁出申请人住所等（{DV}第二十九条）。

四、申请法律援助
家庭暴力受害人主张相关权益申请法律援助的，不受经济困难条件的限制（{AID}第三十二条）。""",
    ),
    DemoEntry(
        "厦门市公共法律服务中心",
        KnowledgeEntry.Kind.PUBLICITY,
        "general",
        "12348 公共法律服务热线能帮您做什么",
        f"""12348 是司法行政机关的公共法律服务热线，由法律专业人员接听，具体服务时间以当地公布的为准。

可以咨询的问题：婚姻家庭、劳动争议、债权债务、交通事故、邻里纠纷、房屋租赁等日常生活中遇到的法律问题。

可以办理或者转办的服务：申请法律援助的条件和材料、人民调解的申请方式、公证和司法鉴定的办理指引等。热线座席会为您登记，需要线下办理的，转到就近的公共法律服务中心、工作站或者工作室。

法律援助是国家建立的为经济困难公民和符合法定条件的其他当事人无偿提供法律咨询、代理、刑事辩护等法律服务的制度（{AID}第二条）。拿不准自己能不能申请的，可以先打 12348 问一问。

温馨提示：热线提供的是法律咨询意见，具体案件的处理以有关机关的决定为准。""",
        items=("consultation",),
        local=True,
    ),
]


@dataclass
class DemoResult:
    created: int = 0
    updated: int = 0
    citations: int = 0


@transaction.atomic
def load_knowledge_demo() -> DemoResult:
    """Create or update the demo entries (published); raises Unit.DoesNotExist before load_demo has run."""
    actor = User.objects.filter(username="sysadmin").first()
    topics = {s.code: s for s in Speciality.objects.all()}
    items = {i.code: i for i in ServiceItem.objects.all()}
    result = DemoResult()
    for d in ENTRIES:
        unit = Unit.objects.select_related("region").get(name=d.unit)
        fields: dict[str, Any] = {
            "kind": d.kind,
            "title": d.title,
            "body": d.body,
            "topic": topics.get(d.topic),
            "region": unit.region if d.local else None,
            "service_items": [items[code] for code in d.items if code in items],
        }
        existing = KnowledgeEntry.objects.filter(unit=unit, title=d.title).first()
        if existing is None:
            entry = actions.create_entry(actor=actor, unit_id=unit.pk, **fields)
            result.created += 1
        else:
            entry = actions.update_entry(existing.pk, actor=actor, **fields)
            result.updated += 1
        if not entry.is_published:
            actions.publish(entry.pk, actor=actor)
        result.citations += entry.citations.count()
    return result
