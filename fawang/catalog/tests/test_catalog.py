"""The seeded catalogue, its validation, and the admin that edits it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from fawang.catalog.models import BusinessLine, Channel, ServiceItem
from fawang.test import BaseTestCase


class SeedTestCase(BaseTestCase):
    def test_every_business_line_has_an_item(self) -> None:
        lines = set(ServiceItem.objects.active().values_list("business_line", flat=True))
        self.assertEqual(lines, set(BusinessLine.values))

    def test_legal_aid_limits_cite_the_law(self) -> None:
        item = ServiceItem.objects.get(code="legal_aid")
        self.assertEqual(item.limit("accept"), (7, "days"))
        self.assertEqual(item.limit("assign"), (3, "days"))
        self.assertIsNone(item.limit("complete"))
        self.assertIn("第四十三条第一款", item.accept_basis)
        self.assertIn("第四十三条第一款", item.assign_basis)
        self.assertTrue(item.requires_id_number)
        self.assertEqual(item.limit_display("accept"), "7 自然日")
        objection = ServiceItem.objects.get(code="legal_aid_objection")
        self.assertEqual((objection.limit("complete"), objection.unit_kind), ((5, "days"), "bureau"))
        self.assertIn("第四十九条第二款", objection.complete_basis)
        self.assertEqual(
            list(item.materials.filter(is_required=True).values_list("name", flat=True)),
            ["法律援助申请表", "申请人身份证明", "经济困难状况说明", "与所申请法律援助事项有关的材料"],
        )

    def test_channels_filter_works_on_every_database(self) -> None:
        hotline = set(ServiceItem.objects.offered_on(Channel.HOTLINE).values_list("code", flat=True))
        self.assertIn("consultation", hotline)
        self.assertNotIn("legal_aid", hotline)
        self.assertEqual(
            ServiceItem.objects.get(code="legal_aid").channel_labels,
            ["窗口", "网站", "APP", "微信", "邮寄", "代理", "上门"],
        )

    def test_unknown_channels_are_refused_in_chinese(self) -> None:
        item = ServiceItem.objects.get(code="consultation")
        item.channels = ["window", "fax"]
        with self.assertRaises(ValidationError) as ctx:
            item.full_clean()
        self.assertEqual(ctx.exception.message_dict["channels"], ["未知的渠道：fax。"])

    def test_warn_share_bounds(self) -> None:
        item = ServiceItem.objects.get(code="consultation")
        item.warn_share = 1.5
        with self.assertRaises(ValidationError) as ctx:
            item.full_clean()
        self.assertIn("warn_share", ctx.exception.message_dict)


class AdminTestCase(BaseTestCase):
    def test_admins_edit_items_with_channel_check_boxes(self) -> None:
        self.client.force_login(self.sysadmin)
        item = ServiceItem.objects.get(code="lawyer")
        url = reverse("admin:catalog_serviceitem_change", args=[item.pk])
        response = self.client.get(url)
        self.assertContains(response, "律师服务预约")
        self.assertContains(response, 'type="checkbox" name="channels" value="wechat"')
        changelist = self.client.get(reverse("admin:catalog_serviceitem_changelist"))
        self.assertContains(changelist, "受理7 自然日；指派3 自然日")
