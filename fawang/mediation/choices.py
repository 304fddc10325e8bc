"""The words of people's mediation (人民调解法) the line's records are kept in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeType(models.TextChoices):
    """Kinds of 民间纠纷 (人民调解法 第二条)."""

    FAMILY = "family", _("婚姻家庭纠纷")
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    LAND = "land", _("房屋宅基地、山林土地纠纷")
    CONTRACT = "contract", _("合同、借款纠纷")
    DAMAGE = "damage", _("损害赔偿纠纷")
    LABOUR = "labour", _("劳务、劳动纠纷")
    PROPERTY = "property", _("物业纠纷")
    TRAFFIC = "traffic", _("道路交通事故纠纷")
    MEDICAL = "medical", _("医疗纠纷")
    OTHER = "other", _("其他民间纠纷")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class RiskReason(models.TextChoices):
    """Why a dispute found in screening is risky."""

    THREATS = "threats", _("扬言报复、威胁")
    VIOLENCE = "violence", _("有过肢体冲突或暴力行为")
    GROUP = "group", _("群体性纠纷")
    PETITION = "petition", _("多次信访、越级上访")
    AMOUNT = "amount", _("涉及金额较大")


class WarningKind(models.TextChoices):
    """人民调解法 第二十五条: 可能激化的纠纷 — 民转刑、群体性事件、重复信访."""

    CRIMINAL = "criminal", _("可能民转刑")
    GROUP = "group", _("可能引发群体性事件")
    PETITION = "petition", _("重复信访")


# Which screening reasons raise which warning (a high risk with one of these raises it).
WARNING_OF_REASON: dict[str, str] = {
    RiskReason.THREATS: WarningKind.CRIMINAL,
    RiskReason.VIOLENCE: WarningKind.CRIMINAL,
    RiskReason.GROUP: WarningKind.GROUP,
    RiskReason.PETITION: WarningKind.PETITION,
}


class ScreeningRound(models.TextChoices):
    MONTHLY = "monthly", _("每月例行排查")
    HOLIDAY = "holiday", _("节假日前排查")
    SENSITIVE = "sensitive", _("敏感时期排查")
    DAILY = "daily", _("日常走访发现")


class CaseSource(models.TextChoices):
    APPLICATION = "application", _("当事人申请")
    SCREENING = "screening", _("排查发现")
    INITIATIVE = "initiative", _("主动调解")
    REFERRAL = "referral", _("委托移送")


class ReferrerKind(models.TextChoices):
    """访调对接、诉调对接、警调对接."""

    COURT = "court", _("人民法院（诉调对接）")
    POLICE = "police", _("公安派出所（警调对接）")
    PETITION = "petition", _("信访部门（访调对接）")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class Consent(models.TextChoices):
    """第十七条: 当事人一方明确拒绝调解的，不得调解."""

    PENDING = "pending", _("尚未征询")
    AGREES = "agrees", _("同意调解")
    REFUSES = "refuses", _("明确拒绝调解")


class CommitteeKind(models.TextChoices):
    VILLAGE = "village", _("村（居）人民调解委员会")
    TOWN = "town", _("乡镇（街道）人民调解委员会")
    INDUSTRY = "industry", _("行业性人民调解委员会")
    PROFESSION = "profession", _("专业性人民调解委员会")


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")
