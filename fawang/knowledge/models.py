"""Statutes article by article (LawRefBook/Laws, from flk.npc.gov.cn): one Law row per version of a document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fawang.orgs.authority import unit_ids_filter

from .numbers import article_anchor

if TYPE_CHECKING:
    from fawang.accounts.models import User


class Law(models.Model):
    class Level(models.TextChoices):
        CONSTITUTION = "宪法", _("宪法")
        LAW = "法律", _("法律")
        ADMINISTRATIVE = "行政法规", _("行政法规")
        INTERPRETATION = "司法解释", _("司法解释")
        DEPARTMENTAL = "部门规章", _("部门规章")
        LOCAL = "地方性法规", _("地方性法规")
        OTHER = "其他", _("其他")

    class Status(models.TextChoices):
        IN_FORCE = "有效", _("现行有效")
        AMENDED = "已修改", _("已修改")
        REPEALED = "已废止", _("已废止")
        NOT_YET = "尚未生效", _("尚未生效")

    source_id = models.CharField(
        _("来源标识"),
        max_length=255,
        unique=True,
        help_text=_("来源数据中的文件路径（LawRefBook/Laws），重复导入时据此对应同一行。"),
    )
    title = models.CharField(_("标题"), max_length=255, db_index=True)
    subtitle = models.CharField(
        _("分编"), max_length=100, blank=True, help_text=_("分编发布的法律（如民法典各编）的编名。")
    )
    level = models.CharField(
        _("效力位阶"),
        max_length=16,
        choices=Level.choices,
        db_index=True,
        help_text=_(
            "宪法、法律、行政法规、司法解释、部门规章、地方性法规或其他，取自来源数据的分类；法律检索可按位阶筛选。"
        ),
    )
    status = models.CharField(
        _("时效性"),
        max_length=8,
        choices=Status.choices,
        db_index=True,
        help_text=_(
            "由来源的失效标记、施行日期和同一法律的其他版本推定：有更新版本已施行的为已修改，"
            "失效且无更新版本的为已废止。"
        ),
    )
    publish_date = models.DateField(
        _("公布日期"),
        null=True,
        blank=True,
        help_text=_("来源数据载明的公布日期；同一版本链内按此排列新旧版本。"),
    )
    effective_date = models.DateField(
        _("施行日期"),
        null=True,
        blank=True,
        help_text=_("来源数据载明的施行日期；尚未到施行日期的为“尚未生效”。"),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("适用地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("地方性法规的制定地区（能对应到行政区划时）；全国性法律法规为空。"),
    )
    region_name = models.CharField(
        _("地区名称"), max_length=32, blank=True, help_text=_("来源中的地区名，例如 上海、山东。")
    )
    chain_key = models.CharField(
        _("版本链"),
        max_length=255,
        db_index=True,
        help_text=_("同一法律各版本共用的键（规范化标题与分编），按公布日期排列即为版本链。"),
    )
    history = models.TextField(
        _("制定修改沿革"),
        blank=True,
        help_text=_("来源数据中的制定、修正、修订记录，每行一条，在法规页面显示。"),
    )
    content_hash = models.CharField(
        _("内容摘要"), max_length=64, help_text=_("元数据与全部条文的 SHA-256，重复导入时据此判断是否变化。")
    )
    imported_at = models.DateTimeField(
        _("导入时间"), auto_now=True, help_text=_("最近一次导入（manage.py import_laws）写入本行的时间。")
    )

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["title", "subtitle", "-publish_date"]

    def __str__(self) -> str:
        return self.full_title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:law", args=[self.pk])

    @property
    def full_title(self) -> str:
        return f"{self.title}·{self.subtitle}" if self.subtitle else self.title

    @property
    def is_national(self) -> bool:
        return self.level != self.Level.LOCAL

    def versions(self) -> models.QuerySet[Law]:
        """Every version of this law (this one included), newest first."""
        return Law.objects.filter(chain_key=self.chain_key).order_by("-publish_date", "-pk")


class Article(models.Model):
    law = models.ForeignKey(
        Law, verbose_name=_("法律法规"), on_delete=models.CASCADE, related_name="articles"
    )
    seq = models.PositiveIntegerField(_("顺序"), help_text=_("条文在文件中的顺序（来源的 seq）。"))
    label = models.CharField(_("条号"), max_length=32, help_text=_("例如 第四十三条、第一百三十三条之一。"))
    number = models.PositiveIntegerField(_("条序号"), help_text=_("条号的数字（“之一”取本条的数字）。"))
    anchor = models.CharField(
        _("锚点"), max_length=16, help_text=_("页面内的稳定锚点，例如 a43、a133-1，不随重新导入变化。")
    )
    section = models.CharField(_("所在章节"), max_length=255, blank=True, help_text=_("编 / 章 / 节 路径。"))
    text = models.TextField(
        _("条文"), help_text=_("条文全文（不含条号），取自来源数据；检索索引和法律依据引用都用这段文字。")
    )
    content_hash = models.CharField(
        _("内容摘要"),
        max_length=64,
        help_text=_(
            "条文各项（顺序、条号、锚点、章节、全文）的 SHA-256；法规的内容摘要由它们合成，重复导入时据此判断是否变化。"
        ),
    )

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["law", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["law", "anchor"], name="knowledge_article_law_anchor"),
        ]
        indexes = [
            models.Index(fields=["law", "seq"], name="knowledge_article_law_seq"),
            models.Index(fields=["law", "label"], name="knowledge_article_law_label"),
        ]

    def __str__(self) -> str:
        return f"{self.law.full_title} {self.label}"

    def get_absolute_url(self) -> str:
        return f"{self.law.get_absolute_url()}#{self.anchor}"

    @staticmethod
    def anchor_for(label: str, number: int) -> str:
        return article_anchor(label, number)


class KnowledgeEntryQuerySet(models.QuerySet["KnowledgeEntry"]):
    def visible_to(self, user: User) -> KnowledgeEntryQuerySet:
        """Entries written by units the user reaches (staff console)."""
        return self.filter(unit_ids_filter(user, "unit_id"))

    def published(self) -> KnowledgeEntryQuerySet:
        return self.filter(status=KnowledgeEntry.Status.PUBLISHED)


class KnowledgeEntry(models.Model):
    """The platform's own knowledge, written in the staff console: guides, FAQs, cases and publicity articles."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("办事指南")
        FAQ = "faq", _("常见问题")
        CASE = "case", _("典型案例（以案释法）")
        PUBLICITY = "publicity", _("普法文章")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    kind = models.CharField(
        _("类别"),
        max_length=16,
        choices=Kind.choices,
        db_index=True,
        help_text=_("办事指南、常见问题、典型案例（以案释法）或普法文章；门户按类别筛选。"),
    )
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(
        _("正文"),
        help_text=_(
            "纯文本，空一行分段；不支持 HTML。写作《中华人民共和国法律援助法》第四十一条 这样的引用，"
            "保存时自动关联到条文，页面上显示为链接。"
        ),
    )
    topic = models.ForeignKey(
        "orgs.Speciality",
        verbose_name=_("业务领域"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("条目所属的法律领域（与咨询分类同一套领域）；门户和检索按领域筛选。"),
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("编写单位"),
        on_delete=models.PROTECT,
        related_name="knowledge_entries",
        help_text=_("署名单位；同一区划内有编写权限的工作人员可以修改。"),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("适用地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("只适用于本地的条目（例如本地办事地点、本地政策）；全国通用的为空。"),
    )
    service_items = models.ManyToManyField(
        "catalog.ServiceItem",
        verbose_name=_("相关服务事项"),
        blank=True,
        related_name="knowledge_entries",
        help_text=_("本条目解答的服务事项；已发布的条目列在这些事项的办事指南页面上。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("草稿只在工作台可见；发布后在门户展示，并出现在法律检索结果上方。"),
    )
    published_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("最近一次发布的时间，门户按此排序。")
    )
    needs_review = models.BooleanField(
        _("待复核"),
        default=False,
        db_index=True,
        help_text=_("所引用的法律法规被修改或废止时自动标记；编辑核对后点“已复核”清除。"),
    )
    review_note = models.TextField(
        _("复核说明"), blank=True, help_text=_("所引用法规的变化说明（哪部法规已修改或已废止），复核后清空。")
    )
    reviewed_at = models.DateTimeField(
        _("复核时间"), null=True, blank=True, help_text=_("编辑最近一次点“已复核”的时间。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("创建条目的工作人员。"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("最后修改条目的工作人员。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = KnowledgeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("知识条目")
        verbose_name_plural = _("知识条目")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:entry", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class EntryCitation(models.Model):
    """An article a knowledge entry relies on: what a law-change alert follows."""

    class Source(models.TextChoices):
        AUTO = "auto", _("正文引用")
        MANUAL = "manual", _("手工添加")

    entry = models.ForeignKey(
        KnowledgeEntry,
        verbose_name=_("知识条目"),
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("引用条文的知识条目。"),
    )
    article = models.ForeignKey(
        Article, verbose_name=_("条文"), on_delete=models.CASCADE, related_name="entry_citations"
    )
    source = models.CharField(
        _("来源"),
        max_length=8,
        choices=Source.choices,
        default=Source.AUTO,
        help_text=_(
            "保存正文时从“《某法》第某条”自动识别的引用，或编辑手工添加的引用；法规修改或废止时据此提醒复核。"
        ),
    )

    class Meta:
        verbose_name = _("条目引用条文")
        verbose_name_plural = _("条目引用条文")
        constraints = [
            models.UniqueConstraint(fields=["entry", "article"], name="knowledge_entrycitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} → {self.article}"


class SearchFeedback(models.Model):
    """“这条有帮助吗”: a person's answer about one search result (an article, or a guide/FAQ/case shown above
    the articles) for the question they asked.  Written only by ``actions.record_search_feedback``; exported as
    training questions by ``manage.py export_search_feedback`` so later models learn from it."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("公众")
        STAFF = "staff", _("工作人员")

    question = models.CharField(_("问题"), max_length=200, help_text=_("检索时输入的问题原文。"))
    article = models.ForeignKey(
        Article,
        verbose_name=_("条文"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_feedback",
    )
    entry = models.ForeignKey(
        KnowledgeEntry,
        verbose_name=_("知识条目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_feedback",
        help_text=_("被评价的知识条目（办事指南、常见问题、案例）；评价条文时为空。"),
    )
    helpful = models.BooleanField(
        _("有帮助"),
        help_text=_(
            "回答“这条有帮助吗”：有帮助或没有帮助；导出为检索模型的训练数据（manage.py export_search_feedback）。"
        ),
    )
    source = models.CharField(
        _("来源"), max_length=8, choices=Source.choices, help_text=_("反馈来自公众门户还是工作台的法律检索。")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("已登录时记录；公众匿名反馈为空。"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("检索结果反馈")
        verbose_name_plural = _("检索结果反馈")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False) | models.Q(entry__isnull=False),
                name="knowledge_searchfeedback_has_target",
            ),
        ]

    def __str__(self) -> str:
        target = self.article or self.entry
        return f"{self.question} → {target}：{'有帮助' if self.helpful else '没帮助'}"
