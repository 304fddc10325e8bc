"""What the supervision app keeps of its own: daily facts (a rollup of the matters, rebuilt from them), the
rollup's watermark, and the early warnings (风险预警) with their audited loop.

No business line imports this app; it reads the matters and writes only these tables.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.catalog.models import Channel, ServiceItem
from fawang.lib.supervision import warning_source
from fawang.orgs.models import Speciality, Unit
from fawang.regions.models import Region


def _dim(model: type[models.Model], label: Any, *, null: bool = False, help_text: Any = "") -> Any:
    # Facts are a copy of the matters' numbers: no database constraint, so a rebuild never waits on the
    # dimension tables and a deleted unit or item never blocks (its facts go with the next rebuild). No index of
    # its own either: every reader asks for a region range over a period (the tables' composite indexes), and a
    # full rebuild at 10M matters writes millions of rows, each an entry in every index.
    return models.ForeignKey(
        model,
        verbose_name=label,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        null=null,
        blank=null,
        help_text=help_text,
    )


class DailyFact(models.Model):
    """One day's numbers of one combination of region (down to the village) × service item × topic × channel ×
    handling unit. Each number counts the event of its own day (a matter received on Monday and completed on
    Friday is in Monday's ``received`` and Friday's ``completed``). Written only by ``rollup``."""

    day = models.DateField(_("日期"), help_text=_("北京时间的自然日。"))
    region = _dim(Region, _("所涉区划"), help_text=_("事项所涉的区划（细至村、社区）。"))
    service_item = _dim(ServiceItem, _("服务事项"), help_text=_("事项的服务事项。"))
    topic = _dim(Speciality, _("所涉领域"), null=True, help_text=_("事项所涉的法律领域；未分类的为空。"))
    channel = models.CharField(
        _("受理渠道"),
        max_length=8,
        choices=Channel.choices,
        help_text=_("事项的受理渠道（窗口、热线、网站等）。"),
    )
    unit = _dim(Unit, _("办理机构"), help_text=_("办理事项的机构；投诉计入被投诉的机构。"))
    received = models.PositiveIntegerField(_("受理登记"), default=0, help_text=_("当日提交的事项数。"))
    accepted = models.PositiveIntegerField(
        _("受理"), default=0, help_text=_("当日受理的事项数（按受理时间）。")
    )
    completed = models.PositiveIntegerField(
        _("办结"), default=0, help_text=_("当日办结或关闭的事项数（按办结时间）。")
    )
    on_time = models.PositiveIntegerField(
        _("按时办结"), default=0, help_text=_("当日办结、最后一个计时环节未因超期被督办的事项数。")
    )
    overdue = models.PositiveIntegerField(
        _("超期"), default=0, help_text=_("当日超过办理时限（被超期督办）的事项数。")
    )
    rated = models.PositiveIntegerField(
        _("评价"), default=0, help_text=_("当日收到的评价数；满意率 = 好评 ÷ 评价。")
    )
    good = models.PositiveIntegerField(_("好评"), default=0, help_text=_("非常满意、满意、基本满意。"))
    bad = models.PositiveIntegerField(_("差评"), default=0, help_text=_("不满意、非常不满意。"))
    complaints = models.PositiveIntegerField(
        _("投诉"), default=0, help_text=_("当日提交的投诉数，计入被投诉事项的区划、事项、领域、渠道和机构。")
    )

    class Meta:
        verbose_name = _("每日统计")
        verbose_name_plural = _("每日统计")
        indexes = [
            # A dashboard reads a region range over a period.
            models.Index(fields=["day", "region"], name="fact_day_region"),
            models.Index(fields=["region", "day"], name="fact_region_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_id}"


class MonthFact(models.Model):
    """The coarser rollup the dashboards read for whole months: the daily facts summed by calendar month, with the
    region cut to the town (乡镇街道) level (``area``: the first nine digits of the code) — villages and days are
    gone, so a county's or city's year is a few thousand rows however many matters lie behind it. Made from the
    daily facts by ``rollup`` (rebuilt with them, and the months of the days a refresh touches)."""

    month = models.DateField(_("月份"), help_text=_("该月 1 日。"))
    area = models.CharField(
        _("区划（至乡镇街道）"),
        max_length=9,
        help_text=_("区划代码的前九位（至乡镇、街道），村（社区）合并到所在乡镇。"),
    )
    service_item = _dim(ServiceItem, _("服务事项"), help_text=_("事项的服务事项。"))
    topic = _dim(Speciality, _("所涉领域"), null=True, help_text=_("事项所涉的法律领域；未分类的为空。"))
    channel = models.CharField(
        _("受理渠道"), max_length=8, choices=Channel.choices, help_text=_("事项的受理渠道。")
    )
    unit = _dim(Unit, _("办理机构"), help_text=_("办理事项的机构；投诉计入被投诉的机构。"))
    received = models.PositiveIntegerField(
        _("受理登记"), default=0, help_text=_("当月每日统计“受理登记”之和：当月提交的事项数。")
    )
    accepted = models.PositiveIntegerField(_("受理"), default=0, help_text=_("当月每日统计“受理”之和。"))
    completed = models.PositiveIntegerField(_("办结"), default=0, help_text=_("当月每日统计“办结”之和。"))
    on_time = models.PositiveIntegerField(
        _("按时办结"), default=0, help_text=_("当月每日统计“按时办结”之和；按时办结率 = 按时办结 ÷ 办结。")
    )
    overdue = models.PositiveIntegerField(_("超期"), default=0, help_text=_("当月每日统计“超期”之和。"))
    rated = models.PositiveIntegerField(_("评价"), default=0, help_text=_("当月每日统计“评价”之和。"))
    good = models.PositiveIntegerField(
        _("好评"), default=0, help_text=_("当月好评数（非常满意、满意、基本满意）。")
    )
    bad = models.PositiveIntegerField(_("差评"), default=0, help_text=_("当月差评数（不满意、非常不满意）。"))
    complaints = models.PositiveIntegerField(_("投诉"), default=0, help_text=_("当月每日统计“投诉”之和。"))

    class Meta:
        verbose_name = _("月度统计")
        verbose_name_plural = _("月度统计")
        indexes = [models.Index(fields=["area", "month"], name="monthfact_area_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area}"


class CountyMonthSums(models.Model):
    """What the district months and the units' district months share: a calendar month of a county and the
    monthly facts' nine numbers summed over it."""

    month = models.DateField(_("月份"), help_text=_("该月 1 日。"))
    district = models.CharField(
        _("区县"),
        max_length=6,
        help_text=_("区划代码的前六位（至区、县）；乡镇、村（社区）合并到所在区县。"),
    )
    received = models.PositiveIntegerField(
        _("受理登记"), default=0, help_text=_("当月月度统计“受理登记”之和：当月提交的事项数。")
    )
    accepted = models.PositiveIntegerField(_("受理"), default=0, help_text=_("当月月度统计“受理”之和。"))
    completed = models.PositiveIntegerField(_("办结"), default=0, help_text=_("当月月度统计“办结”之和。"))
    on_time = models.PositiveIntegerField(
        _("按时办结"), default=0, help_text=_("当月月度统计“按时办结”之和；按时办结率 = 按时办结 ÷ 办结。")
    )
    overdue = models.PositiveIntegerField(_("超期"), default=0, help_text=_("当月月度统计“超期”之和。"))
    rated = models.PositiveIntegerField(_("评价"), default=0, help_text=_("当月月度统计“评价”之和。"))
    good = models.PositiveIntegerField(
        _("好评"), default=0, help_text=_("当月好评数（非常满意、满意、基本满意）。")
    )
    bad = models.PositiveIntegerField(_("差评"), default=0, help_text=_("当月差评数（不满意、非常不满意）。"))
    complaints = models.PositiveIntegerField(_("投诉"), default=0, help_text=_("当月月度统计“投诉”之和。"))

    class Meta:
        abstract = True


class DistrictMonthFact(CountyMonthSums):
    """The coarsest rollup, for long periods of a county, a city or the province: the monthly facts summed by
    calendar month × county (区县: the first six digits of the code) × item × topic × channel — towns, villages and
    handling units are gone, so a city's year is a few hundred rows however many matters and units lie behind it.
    Made from the monthly facts by ``rollup``, with them (rebuild, and the months of the days a refresh touches)."""

    service_item = _dim(ServiceItem, _("服务事项"), help_text=_("事项的服务事项。"))
    topic = _dim(Speciality, _("所涉领域"), null=True, help_text=_("事项所涉的法律领域；未分类的为空。"))
    channel = models.CharField(
        _("受理渠道"), max_length=8, choices=Channel.choices, help_text=_("事项的受理渠道。")
    )

    class Meta:
        verbose_name = _("区县月度统计")
        verbose_name_plural = _("区县月度统计")
        indexes = [
            models.Index(fields=["district", "month"], name="districtfact_district_month"),
            # A page's few months of a city's several counties: the months first (about 7 times fewer rows read
            # than the county range across every month at 10M matters).
            models.Index(fields=["month", "district"], name="districtfact_month_district"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district}"


class DistrictDayFact(models.Model):
    """The daily facts summed by day × county (区县: the first six digits of the code) alone — towns, villages,
    items, topics, channels and units are gone, so a city's day is a handful of rows — for a county's or city's
    figures read day by day with no breakdown or filter (the trend, the days a period covers of a month in part).
    Made from the daily facts by ``rollup``, with them (rebuild, and the days a refresh touches)."""

    day = models.DateField(_("日期"), help_text=_("北京时间的自然日。"))
    district = models.CharField(
        _("区县"),
        max_length=6,
        help_text=_("区划代码的前六位（至区、县）；乡镇、村（社区）合并到所在区县。"),
    )
    received = models.PositiveIntegerField(
        _("受理登记"), default=0, help_text=_("当日该区县每日统计“受理登记”之和：当日提交的事项数。")
    )
    accepted = models.PositiveIntegerField(_("受理"), default=0, help_text=_("当日每日统计“受理”之和。"))
    completed = models.PositiveIntegerField(_("办结"), default=0, help_text=_("当日每日统计“办结”之和。"))
    on_time = models.PositiveIntegerField(
        _("按时办结"), default=0, help_text=_("当日每日统计“按时办结”之和；按时办结率 = 按时办结 ÷ 办结。")
    )
    overdue = models.PositiveIntegerField(_("超期"), default=0, help_text=_("当日每日统计“超期”之和。"))
    rated = models.PositiveIntegerField(_("评价"), default=0, help_text=_("当日每日统计“评价”之和。"))
    good = models.PositiveIntegerField(
        _("好评"), default=0, help_text=_("当日好评数（非常满意、满意、基本满意）。")
    )
    bad = models.PositiveIntegerField(_("差评"), default=0, help_text=_("当日差评数（不满意、非常不满意）。"))
    complaints = models.PositiveIntegerField(_("投诉"), default=0, help_text=_("当日每日统计“投诉”之和。"))

    class Meta:
        verbose_name = _("区县每日统计")
        verbose_name_plural = _("区县每日统计")
        # A page reads a few days of a few counties: the days first.
        indexes = [models.Index(fields=["day", "district"], name="districtday_day_district")]

    def __str__(self) -> str:
        return f"{self.day} {self.district}"


class DistrictUnitMonthFact(CountyMonthSums):
    """The monthly facts summed by calendar month × county × handling unit (no town, village, item, topic or
    channel), for the ranking of the units of a county's or city's whole months. Made from the monthly facts by
    ``rollup``, with them (rebuild, and the months of the days a refresh touches)."""

    unit = _dim(Unit, _("办理机构"), help_text=_("办理事项的机构；投诉计入被投诉的机构。"))

    class Meta:
        verbose_name = _("区县机构月度统计")
        verbose_name_plural = _("区县机构月度统计")
        # As the district months': a page reads a few months of a few counties.
        indexes = [models.Index(fields=["month", "district"], name="districtunit_month_district")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district} {self.unit_id}"


class RollupState(models.Model):
    """The rollup's watermark: the incremental update looks at what changed since ``refreshed_at``."""

    name = models.CharField(
        _("名称"),
        max_length=20,
        unique=True,
        default="facts",
        help_text=_(
            "状态的用途：facts 为每日统计的更新水位，warnings 为风险预警上次计算的时间（每小时至多一次）。"
        ),
    )
    refreshed_at = models.DateTimeField(
        _("上次更新时间"),
        null=True,
        blank=True,
        help_text=_("上次增量更新（或预警计算）的时间；下次只处理此后变动的事项。"),
    )
    rebuilt_at = models.DateTimeField(
        _("上次重建时间"), null=True, blank=True, help_text=_("上次从全部事项重建统计的时间。")
    )
    rows = models.PositiveIntegerField(
        _("统计行数"), default=0, help_text=_("最近一次更新后每日统计的行数。")
    )
    version = models.CharField(
        _("统计版本"),
        max_length=32,
        blank=True,
        default="",
        help_text=_(
            "每次重建或更新统计时换一个新的随机值（与统计同一事务写入）；看板按区划、统计期和此版本缓存算好的数字，"
            "版本一变缓存即不再使用。"
        ),
    )

    class Meta:
        verbose_name = _("统计更新状态")
        verbose_name_plural = _("统计更新状态")

    def __str__(self) -> str:
        return self.name


class Warning(models.Model):
    """风险预警: a hotspot, a drop in time limits kept or in satisfaction, raised for the supervisors of a region.
    The loop — acknowledge, assign, note the action taken, close — goes through ``actions`` and each step writes
    an audit row."""

    class Kind(models.TextChoices):
        HOTSPOT = "hotspot", _("热点问题")
        TIME_LIMIT = "time_limit", _("按时办结率下降")
        SATISFACTION = "satisfaction", _("满意率下降")
        PLAN = "plan", _("工作计划任务逾期")
        # Raised by a business line itself (registered in fawang.lib.supervision: 矛盾纠纷预警 …) and taken in here.
        LINE = "line", _("条线预警")

    class Status(models.TextChoices):
        OPEN = "open", _("待签收")
        ACKNOWLEDGED = "acknowledged", _("已签收")
        ASSIGNED = "assigned", _("已交办")
        CLOSED = "closed", _("已办结")

    OPEN_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED, Status.ASSIGNED)

    kind = models.CharField(
        _("预警类型"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("热点问题、按时办结率下降、满意率下降或工作计划任务逾期。"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "预警所在的区划（热点可细至乡镇、村；比率下降按区县）；所在区县、市、省司法局的督导人员收到通知。"
        ),
    )
    topic = models.ForeignKey(
        Speciality,
        verbose_name=_("所涉领域"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("热点问题所涉的法律领域；其他类型为空。"),
    )
    period_start = models.DateField(
        _("统计起始日"), help_text=_("据以预警的统计期起始日：热点为最近 7 天，比率下降为最近 30 天。")
    )
    period_end = models.DateField(
        _("统计截止日"), help_text=_("统计期截止日；同类型、区划、领域的预警每个统计期只有一条。")
    )
    title = models.CharField(
        _("标题"), max_length=120, help_text=_("预警标题，如“某地劳动争议类事项异常增多：n 件，预期 e 件”。")
    )
    observed = models.FloatField(
        _("实际值"), help_text=_("热点：统计期内的件数；比率下降：最近 30 天的比率；计划逾期：逾期任务数。")
    )
    expected = models.FloatField(
        _("预期值"), help_text=_("热点：按本地历史和各地同期趋势预期的件数；比率下降：此前 90 天的比率。")
    )
    p_value = models.FloatField(
        _("显著性 p 值"),
        null=True,
        blank=True,
        help_text=_("单侧检验的 p 值，小于 0.001 才预警；计划逾期为空。"),
    )
    explanation = models.JSONField(
        _("成因分析"), default=dict, blank=True, help_text=_("上升最多的词语、机构、事项、渠道和示例事项。")
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("待签收、已签收、已交办、已办结；每一步都留审计记录。"),
    )
    due_at = models.DateTimeField(_("处置期限"), help_text=_("预警后 7 天内处置办结。"))
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("交办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("交办处置的下级单位。"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("交办单位中的责任人；目前交办只指定单位，此项不填。"),
    )
    action_taken = models.TextField(
        _("处置情况"), blank=True, help_text=_("处置过程中登记的情况和办结说明。")
    )
    acknowledged_at = models.DateTimeField(
        _("签收时间"),
        null=True,
        blank=True,
        help_text=_("督导人员签收预警的时间（未签收直接交办的，交办时一并记为签收）。"),
    )
    closed_at = models.DateTimeField(
        _("办结时间"), null=True, blank=True, help_text=_("预警处置办结的时间。")
    )
    created_at = models.DateTimeField(
        _("预警时间"), default=timezone.now, help_text=_("系统发出预警的时间。")
    )
    source = models.CharField(
        _("来源条线"),
        max_length=40,
        blank=True,
        help_text=_("条线自己发出的预警（如人民调解的矛盾纠纷预警）的登记名；本应用算出的预警为空。"),
    )
    source_pk = models.PositiveBigIntegerField(
        _("条线预警编号"), null=True, blank=True, help_text=_("该预警在来源条线中的记录编号。")
    )

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Raising the same warning again (the next scheduler pass) finds the one raised.
            models.UniqueConstraint(
                fields=["kind", "region", "topic", "period_end"], name="warning_once_per_period"
            ),
            # A line's warning is taken in once, whichever worker's pass sees it first.
            models.UniqueConstraint(
                fields=["source", "source_pk"], condition=~models.Q(source=""), name="warning_once_per_source"
            ),
        ]
        indexes = [models.Index(fields=["status", "region"], name="warning_status_region")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def kind_label(self) -> str:
        """The line's own name of a warning it raised (矛盾纠纷预警), else the kind's label."""
        if self.source:
            found = warning_source(self.source)
            if found is not None:
                return str(found.label)
        return str(self.get_kind_display())

    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


class WorkPlan(models.Model):
    """工作计划: a 司法局's plan for a year and a region, broken down into tasks (分解任务) with owners, deadlines and
    progress (进度时间表). Written only through ``plans`` (each change audited)."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("计划所覆盖的区划；每个区划每年一份计划。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("计划所属的年度。"))
    title = models.CharField(
        _("计划名称"), max_length=120, help_text=_("计划名称，如“2026 年公共法律服务体系建设工作计划”。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("制定计划的工作人员。"),
    )
    created_at = models.DateTimeField(_("制定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        ordering = ["-year", "region_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_plan_per_region_year")]

    def __str__(self) -> str:
        return self.title


class PlanTask(models.Model):
    """One task of a plan (分解任务): what, who (责任单位), from when to when, and how far along. A task with an
    ``indicator`` measures its own progress from the figures (the daily facts or the KPI board) over its time span
    and for its region; one without is moved by hand (进度 %)."""

    class Indicator(models.TextChoices):
        RECEIVED = "received", _("受理登记件数")
        COMPLETED = "completed", _("办结件数")
        ON_TIME_RATE = "on_time_rate", _("按时办结率")
        SATISFACTION = "satisfaction", _("满意率")
        STATION_COVERAGE = "station_coverage", _("乡镇（街道）工作站覆盖率")
        ROOM_COVERAGE = "room_coverage", _("村（居）工作室覆盖率")
        ADVISOR_COVERAGE = "advisor_coverage", _("一村（居）一法律顾问覆盖率")
        STAFF_PER_10K = "staff_per_10k", _("每万名常住人口专业法律服务人员数")

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        DONE = "done", _("已完成")

    plan = models.ForeignKey(
        WorkPlan,
        verbose_name=_("工作计划"),
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text=_("此任务所属的工作计划。"),
    )
    title = models.CharField(_("任务"), max_length=200, help_text=_("分解任务的内容。"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("任务区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("计划区划或其下级区划。"),
    )
    owner = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("负责完成此任务的单位。"),
    )
    starts_on = models.DateField(_("开始日期"), help_text=_("任务开始日期；按指标计算进度时从此日起统计。"))
    due_on = models.DateField(
        _("完成期限"), help_text=_("任务完成期限；逾期未完成的发出工作计划任务逾期预警。")
    )
    indicator = models.CharField(
        _("考核指标"),
        max_length=20,
        choices=Indicator.choices,
        blank=True,
        help_text=_("选定后按统计数据自动计算进度；不选则手工填写进度。"),
    )
    target = models.FloatField(
        _("目标值"),
        null=True,
        blank=True,
        help_text=_("件数填件数；比率填百分数（如 95）；每万人人数填人数（如 1.5）。"),
    )
    manual_progress = models.PositiveSmallIntegerField(
        _("进度（%）"), default=0, help_text=_("无考核指标时手工填写的完成百分比；标记完成时为 100。")
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, help_text=_("进行中或已完成。")
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True, help_text=_("标记任务完成的时间。"))
    notes = models.TextField(
        _("进展情况"), blank=True, help_text=_("每次更新进度时追加的说明（带填写人和时间）。")
    )

    class Meta:
        verbose_name = _("计划任务")
        verbose_name_plural = _("计划任务")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="plan_task_open_due")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_on < today


class ReportNote(models.Model):
    """The text blocks of a region's monthly or yearly report the supervisor writes (总体评价、存在问题、下步工作),
    printed in the PDF beside the figures. One per region and period; written through ``reports`` (audited)."""

    class Kind(models.TextChoices):
        MONTH = "month", _("月度报告")
        YEAR = "year", _("年度报告")

    region = models.ForeignKey(
        Region,
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("报告所属的区划。"),
    )
    kind = models.CharField(
        _("报告类型"), max_length=5, choices=Kind.choices, help_text=_("月度报告或年度报告。")
    )
    period_start = models.DateField(
        _("统计起始日"), help_text=_("报告期的第一天（当月 1 日或当年 1 月 1 日）。")
    )
    summary = models.TextField(_("总体评价"), blank=True, help_text=_("报告中“总体评价”一节的文字。"))
    problems = models.TextField(_("存在问题"), blank=True, help_text=_("报告中“存在问题”一节的文字。"))
    next_steps = models.TextField(_("下步工作"), blank=True, help_text=_("报告中“下步工作”一节的文字。"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编写人"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("最后编写报告文字的工作人员。"),
    )
    updated_at = models.DateTimeField(
        _("编写时间"), default=timezone.now, help_text=_("最后编写报告文字的时间。")
    )

    class Meta:
        verbose_name = _("报告文字")
        verbose_name_plural = _("报告文字")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "period_start"], name="one_note_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.period_start}"
