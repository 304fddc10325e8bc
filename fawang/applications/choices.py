"""The choices of the online application forms, with their legal basis.

The wording of the legal-aid grounds is the statute's own (中华人民共和国法律援助法, text from the national database
of laws and regulations as shipped in ../shared/data/laws): 第二十四条、第二十九条、第三十一条、第三十三条 for what an
application may be about, 第三十二条 for the cases that are not subject to the economic-difficulty condition, and
第四十二条 for the people whose economic difficulty is not checked when they have material proving it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalAidCategory(models.TextChoices):
    """案由 / 事项类别 of a legal-aid application."""

    # 第三十一条: 下列事项的当事人，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助。
    STATE_COMPENSATION = "state_compensation", _("依法请求国家赔偿")
    SOCIAL_INSURANCE = "social_insurance", _("请求给予社会保险待遇或者社会救助")
    PENSION = "pension", _("请求发给抚恤金")
    MAINTENANCE = "maintenance", _("请求给付赡养费、抚养费、扶养费")
    LABOUR = "labour", _("请求确认劳动关系或者支付劳动报酬")
    CAPACITY = "capacity", _("请求认定公民无民事行为能力或者限制民事行为能力")
    INJURY = "injury", _("请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿")
    ENVIRONMENT = "environment", _("请求环境污染、生态破坏损害赔偿")
    # 第二十四条: 刑事案件的犯罪嫌疑人、被告人 ... 本人及其近亲属可以向法律援助机构申请法律援助。
    CRIMINAL_DEFENCE = "criminal_defence", _("刑事辩护（犯罪嫌疑人、被告人）")
    # 第二十九条: 被害人、自诉人、附带民事诉讼原告人及其法定代理人或者近亲属。
    CRIMINAL_VICTIM = "criminal_victim", _("刑事案件被害人、自诉人、附带民事诉讼原告人的代理")
    # 第三十三条: 申诉或者申请再审，法院决定、裁定再审或者检察院提出抗诉的。
    RETRIAL = "retrial", _("申诉、再审案件")
    OTHER = "other", _("法律、法规、规章规定的其他情形")


CRIMINAL_CATEGORIES = frozenset({LegalAidCategory.CRIMINAL_DEFENCE, LegalAidCategory.CRIMINAL_VICTIM})


class LegalAidStage(models.TextChoices):
    """Where the matter stands; decides which legal-aid centre receives it (第三十八条: 诉讼事项向办案机关所在地,
    非诉讼事项向争议处理机关所在地或者事由发生地的法律援助机构提出申请)."""

    LITIGATION = "litigation", _("诉讼（民事、行政诉讼）")
    NON_LITIGATION = "non_litigation", _("非诉讼（协商、调解、仲裁等）")
    CRIMINAL = "criminal", _("刑事诉讼")


class ExemptionGround(models.TextChoices):
    """Grounds that waive the means test."""

    # 第三十二条: 有下列情形之一，当事人申请法律援助的，不受经济困难条件的限制。
    HERO_KIN = "hero_kin", _("英雄烈士近亲属为维护英雄烈士的人格权益")
    GOOD_SAMARITAN = "good_samaritan", _("因见义勇为行为主张相关民事权益")
    RETRIAL_ACQUITTAL = "retrial_acquittal", _("再审改判无罪请求国家赔偿")
    ABUSE_VICTIM = "abuse_victim", _("遭受虐待、遗弃或者家庭暴力的受害人主张相关权益")
    OTHER_CASE = "other_case", _("法律、法规、规章规定的其他情形")
    # 第四十二条: 法律援助申请人有材料证明属于下列人员之一的，免予核查经济困难状况。
    DEPENDENT_GROUP = "dependent_group", _("无固定生活来源的未成年人、老年人、残疾人等特定群体")
    ASSISTANCE_RECIPIENT = "assistance_recipient", _("社会救助、司法救助或者优抚对象")
    MIGRANT_WORKER = "migrant_worker", _("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员")
    OTHER_PERSON = "other_person", _("法律、法规、规章规定的其他人员")


# 第三十二条: the economic-difficulty condition does not apply at all.
ARTICLE_32 = (
    ExemptionGround.HERO_KIN,
    ExemptionGround.GOOD_SAMARITAN,
    ExemptionGround.RETRIAL_ACQUITTAL,
    ExemptionGround.ABUSE_VICTIM,
    ExemptionGround.OTHER_CASE,
)
# 第四十二条: economic difficulty is not checked, *given material proving* the person belongs to the group.
ARTICLE_42 = (
    ExemptionGround.DEPENDENT_GROUP,
    ExemptionGround.ASSISTANCE_RECIPIENT,
    ExemptionGround.MIGRANT_WORKER,
    ExemptionGround.OTHER_PERSON,
)
# "Other" grounds must say which law, regulation or rule they rest on.
OTHER_GROUNDS = frozenset({ExemptionGround.OTHER_CASE, ExemptionGround.OTHER_PERSON})


class Relation(models.TextChoices):
    """A household member's relation to the applicant (共同生活的家庭成员)."""

    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    SIBLING = "sibling", _("兄弟姐妹")
    GRANDPARENT = "grandparent", _("祖父母、外祖父母")
    GRANDCHILD = "grandchild", _("孙子女、外孙子女")
    OTHER = "other", _("其他共同生活的亲属")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或者其他组织")


class PartyRole(models.TextChoices):
    OTHER_PARTY = "other_party", _("对方当事人")
    RESPONDENT = "respondent", _("被申请人")


class DisputeType(models.TextChoices):
    """Kinds of 民间纠纷 taken to a people's mediation committee (人民调解法 第二条)."""

    FAMILY = "family", _("婚姻家庭纠纷")
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    LAND = "land", _("房屋宅基地、山林土地纠纷")
    CONTRACT = "contract", _("合同、借款纠纷")
    DAMAGE = "damage", _("损害赔偿纠纷")
    LABOUR = "labour", _("劳务、劳动纠纷")
    PROPERTY = "property", _("物业纠纷")
    TRAFFIC = "traffic", _("道路交通事故纠纷")
    OTHER = "other", _("其他民间纠纷")


class Consent(models.TextChoices):
    """Whether the other side agrees to mediation: 当事人一方明确拒绝调解的，不得调解（人民调解法 第十七条）."""

    AGREES = "agrees", _("对方同意调解")
    UNKNOWN = "unknown", _("尚不清楚")
    REFUSES = "refuses", _("对方明确拒绝调解")


class NotaryType(models.TextChoices):
    """公证事项 (公证法 第十一条)."""

    CONTRACT = "contract", _("合同")
    INHERITANCE = "inheritance", _("继承")
    ENTRUSTMENT = "entrustment", _("委托、声明、赠与、遗嘱")
    PROPERTY_DIVISION = "property_division", _("财产分割")
    TENDER = "tender", _("招标投标、拍卖")
    FAMILY_STATUS = "family_status", _("婚姻状况、亲属关系、收养关系")
    PERSONAL_FACTS = (
        "personal_facts",
        _("出生、生存、死亡、身份、经历、学历、学位、职务、职称、有无违法犯罪记录"),
    )
    ARTICLES = "articles", _("公司章程")
    EVIDENCE = "evidence", _("保全证据")
    DOCUMENTS = "documents", _("文书上的签名、印鉴、日期，文书的副本、影印本与原本相符")
    OTHER = "other", _("其他公证事项")


class UsePlace(models.TextChoices):
    DOMESTIC = "domestic", _("在中国境内使用")
    ABROAD = "abroad", _("在境外使用")


class AppraisalType(models.TextChoices):
    """Kinds of 司法鉴定: 法医类、物证类、声像资料 (全国人民代表大会常务委员会关于司法鉴定管理问题的决定 第二条) and
    环境损害, added to the registered kinds afterwards."""

    FORENSIC_CLINICAL = "forensic_clinical", _("法医临床鉴定（伤残等级、损伤程度等）")
    FORENSIC_PATHOLOGY = "forensic_pathology", _("法医病理鉴定")
    FORENSIC_PSYCHIATRY = "forensic_psychiatry", _("法医精神病鉴定")
    FORENSIC_GENETICS = "forensic_genetics", _("法医物证鉴定（亲子鉴定等）")
    FORENSIC_TOXICOLOGY = "forensic_toxicology", _("法医毒物鉴定")
    DOCUMENTS = "documents", _("文书鉴定（笔迹、印章等）")
    TRACES = "traces", _("痕迹鉴定")
    MICRO_EVIDENCE = "micro_evidence", _("微量物证鉴定")
    AUDIO_VISUAL = "audio_visual", _("声像资料、电子数据鉴定")
    ENVIRONMENT = "environment", _("环境损害鉴定")
    OTHER = "other", _("其他鉴定事项")


class Commissioner(models.TextChoices):
    """Who commissions the appraisal: in litigation usually the authority handling the case."""

    SELF = "self", _("本人委托")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    POLICE = "police", _("公安机关")
    LAWYER = "lawyer", _("律师")
    OTHER = "other", _("其他机关或者组织")


class LawyerService(models.TextChoices):
    """Kinds of lawyer service (律师法 第二十八条)."""

    CONSULTATION = "consultation", _("解答法律询问、面谈咨询")
    DOCUMENTS = "documents", _("代写诉讼文书和其他法律文书")
    LITIGATION = "litigation", _("代理民事、行政诉讼或者刑事辩护")
    NON_LITIGATION = "non_litigation", _("非诉讼法律服务（合同审查、出具法律意见等）")
    MEDIATION = "mediation", _("代理参加调解、仲裁")
    ADVISER = "adviser", _("担任法律顾问")
    OTHER = "other", _("其他律师服务")
