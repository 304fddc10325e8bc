"""Administrative divisions: 省 / 市 / 县 / 乡镇(街道) / 村(居), addressed by their statistical code."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.lib import codes

if TYPE_CHECKING:
    from fawang.accounts.models import User


# Which regions a staff user may see is decided by their memberships, which live above regions (in orgs). Orgs
# registers the filter here from its AppConfig.ready(): ``scope(user, field)`` -> a Q on a region-code field.
_scope: Callable[[User, str], models.Q] | None = None


def set_scope(scope: Callable[[User, str], models.Q]) -> None:
    global _scope
    _scope = scope


class RegionQuerySet(models.QuerySet["Region"]):
    def under(self, prefix: str) -> RegionQuerySet:
        """The region ``prefix`` and everything below it: one indexed range condition."""
        return self.filter(codes.under("code", prefix))

    def visible_to(self, user: User) -> RegionQuerySet:
        if _scope is None:
            raise RuntimeError("no region scope registered (fawang.orgs is not installed?)")
        return self.filter(_scope(user, "code"))


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("地级")
        COUNTY = 3, _("县级")
        TOWN = 4, _("乡级（乡镇、街道）")
        VILLAGE = 5, _("村级（村、社区）")

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        primary_key=True,
        help_text=_("国家统计局统计用区划代码，2/4/6/9/12 位；代码前缀即上下级关系。"),
    )
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(
        _("层级"),
        choices=Level.choices,
        db_index=True,
        help_text=_(
            "省级、地级、县级、乡级（乡镇、街道）、村级（村、社区），与区划代码的长度 2/4/6/9/12 位对应。"
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("直接上级区划；与代码前缀一致（例如 350322 的上级为 3503）。省级为空。"),
    )
    full_name = models.CharField(
        _("全称"), max_length=200, help_text=_("自省级起的完整名称，例如 福建省莆田市仙游县鲤城街道。")
    )
    population = models.PositiveBigIntegerField(
        _("常住人口"), null=True, blank=True, help_text=_("第七次全国人口普查（2020）常住人口，县级及以上。")
    )
    population_urban = models.PositiveBigIntegerField(
        _("城镇人口"),
        null=True,
        blank=True,
        help_text=_("第七次全国人口普查（2020）城镇常住人口，县级及以上。"),
    )
    population_rural = models.PositiveBigIntegerField(
        _("乡村人口"),
        null=True,
        blank=True,
        help_text=_("第七次全国人口普查（2020）乡村常住人口，县级及以上。"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name or self.name

    def ancestors(self) -> list[Region]:
        """Province first, excluding self: one query by the codes the own code spells."""
        prefixes = [self.code[:n] for n in codes.CODE_LENGTHS if n < len(self.code)]
        return list(Region.objects.filter(code__in=prefixes).order_by("level"))

    def ancestor_codes(self) -> list[str]:
        return [self.code[:n] for n in codes.CODE_LENGTHS if n <= len(self.code)]
