"""司法鉴定 done properly: the licensed categories (业务范围) of each appraisal institution and of each appraiser
(全国人民代表大会常务委员会关于司法鉴定管理问题的决定 第二条: 法医类、物证类、声像资料; 环境损害 registered
since), and a request's category with the licensed institution it is entrusted to (委托).

Categories are decisions of the 司法行政机关 (登记、许可), recorded here by the 司法局 that covers the institution;
the directory and the entrustment read them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.matters.models import Matter
from fawang.orgs.models import Practitioner, Unit


class Category(models.TextChoices):
    FORENSIC_CLINICAL = "forensic_clinical", _("法医临床鉴定")
    FORENSIC_PATHOLOGY = "forensic_pathology", _("法医病理鉴定")
    FORENSIC_PSYCHIATRY = "forensic_psychiatry", _("法医精神病鉴定")
    FORENSIC_GENETICS = "forensic_genetics", _("法医物证鉴定")
    FORENSIC_TOXICOLOGY = "forensic_toxicology", _("法医毒物鉴定")
    DOCUMENTS = "documents", _("文书鉴定")
    TRACES = "traces", _("痕迹鉴定")
    MICRO_EVIDENCE = "micro_evidence", _("微量物证鉴定")
    AUDIO_VISUAL = "audio_visual", _("声像资料、电子数据鉴定")
    ENVIRONMENT = "environment", _("环境损害鉴定")


# The four classes the categories belong to (登记管理的鉴定类别).
CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        str(_("法医类")),
        (
            Category.FORENSIC_CLINICAL,
            Category.FORENSIC_PATHOLOGY,
            Category.FORENSIC_PSYCHIATRY,
            Category.FORENSIC_GENETICS,
            Category.FORENSIC_TOXICOLOGY,
        ),
    ),
    (str(_("物证类")), (Category.DOCUMENTS, Category.TRACES, Category.MICRO_EVIDENCE)),
    (str(_("声像资料")), (Category.AUDIO_VISUAL,)),
    (str(_("环境损害")), (Category.ENVIRONMENT,)),
)


def class_of(category: str) -> str:
    return next((name for name, members in CLASSES if category in members), "")


class InstitutionCategory(models.Model):
    """One licensed category (业务范围) of an appraisal institution."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("司法鉴定机构"), on_delete=models.CASCADE, related_name="appraisal_categories"
    )
    category = models.CharField(
        _("鉴定类别"),
        max_length=24,
        choices=Category.choices,
        help_text=_(
            "司法局登记的该机构可从事的鉴定类别（法医类、物证类、声像资料、环境损害等）；只有具备该类别的机构能接受此类鉴定委托。"
        ),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("鉴定机构业务范围")
        verbose_name_plural = _("鉴定机构业务范围")
        ordering = ["unit_id", "category"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "category"], name="one_category_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.get_category_display()}"


class AppraiserCategory(models.Model):
    """One category a 司法鉴定人's licence (执业证) covers."""

    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("司法鉴定人"),
        on_delete=models.CASCADE,
        related_name="appraisal_categories",
    )
    category = models.CharField(
        _("执业类别"),
        max_length=24,
        choices=Category.choices,
        help_text=_("鉴定人执业证载明的类别，须在其所在机构的业务范围之内；机构的业务范围缩小时随之删除。"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("鉴定人执业类别")
        verbose_name_plural = _("鉴定人执业类别")
        ordering = ["practitioner_id", "category"]
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "category"], name="one_category_per_appraiser"),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner_id} {self.get_category_display()}"


class AppraisalRequest(models.Model):
    """A 司法鉴定 request's own data: the category asked for and the licensed institution it was entrusted to."""

    matter = models.OneToOneField(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, primary_key=True, related_name="appraisal"
    )
    category = models.CharField(
        _("鉴定类别"), max_length=24, choices=Category.choices, blank=True, help_text=_("空：受理时确认。")
    )
    entrusted_to = models.ForeignKey(
        Unit,
        verbose_name=_("受委托鉴定机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "接受委托的司法鉴定机构，须具备所申请的鉴定类别并位于事项所在的地级市；为空表示尚未委托。"
        ),
    )
    entrusted_at = models.DateTimeField(
        _("委托时间"), null=True, blank=True, help_text=_("委托鉴定机构的时间。")
    )
    aid_matter = models.ForeignKey(
        Matter,
        verbose_name=_("法律援助事项"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "申请时该当事人已获得法律援助的事项：鉴定费依法减收或者免收（法律援助法 第五十三条第二款）。"
        ),
    )
    entrusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委托经办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("办理委托的工作人员。"),
    )

    class Meta:
        verbose_name = _("司法鉴定申请")
        verbose_name_plural = _("司法鉴定申请")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.get_category_display()}"
