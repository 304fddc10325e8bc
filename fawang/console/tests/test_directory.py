"""The console's directory pages: what each persona sees, the forms and their Chinese messages, and
query counts on the list pages."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.lib import codes
from fawang.orgs.models import AdvisorAssignment, CreditRecord, Membership, Practitioner, Unit, Window
from fawang.regions.models import Region
from fawang.test import HULI, SIMING, XIAMEN, BaseTestCase
from fawang.testing.world import world

T = TypeVar("T", bound=Model)


def first(qs: QuerySet[T]) -> T:
    row = qs.first()
    assert row is not None
    return row


class VisibilityTestCase(BaseTestCase):
    def test_siming_supervisor_sees_siming_units_only(self) -> None:
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(reverse("console:unit_list"), {"kind": "bureau"})
        self.assertContains(response, "思明区司法局")
        self.assertNotContains(response, "湖里区司法局")
        self.assertNotContains(response, "厦门市司法局")
        hl_unit = world().unit("huli.centre")
        self.assertEqual(self.client.get(reverse("console:unit_detail", args=[hl_unit.pk])).status_code, 404)
        hl_lawyer = Practitioner.objects.filter(unit__region_id=HULI).first()
        assert hl_lawyer is not None
        self.assertEqual(
            self.client.get(reverse("console:practitioner_detail", args=[hl_lawyer.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("console:staff_detail", args=[self.hl_clerk.pk])).status_code, 404
        )
        self.assertEqual(self.client.get(reverse("console:region_detail", args=[HULI])).status_code, 404)

    def test_siming_supervisor_staff_list(self) -> None:
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(reverse("console:staff_list"))
        self.assertContains(response, "sm_clerk")
        self.assertContains(response, "sm_advisor")
        self.assertNotContains(response, "hl_clerk")
        self.assertNotContains(response, "xm_supervisor")
        self.assertContains(
            self.client.get(reverse("console:staff_detail", args=[self.sm_clerk.pk])),
            "厦港街道公共法律服务工作站",
        )

    def test_city_supervisor_sees_all_six_districts(self) -> None:
        self.client.force_login(self.xm_supervisor)
        response = self.client.get(reverse("console:unit_list"), {"kind": "bureau"})
        districts = Region.objects.filter(parent_id=XIAMEN)
        self.assertEqual(districts.count(), 6)
        for district in districts:
            self.assertContains(response, f"{district.name}司法局")
        self.assertNotContains(response, "仙游县司法局")
        response = self.client.get(reverse("console:region_detail", args=[XIAMEN]))
        for district in districts:
            self.assertContains(response, reverse("console:region_detail", args=[district.code]))
        hl_unit = world().unit("huli.centre")
        self.assertEqual(self.client.get(reverse("console:unit_detail", args=[hl_unit.pk])).status_code, 200)

    def test_xianyou_handler_sees_nothing_of_xiamen(self) -> None:
        self.client.force_login(self.xy_handler)
        response = self.client.get(reverse("console:unit_list"), {"q": "厦门"})
        self.assertContains(response, "没有符合条件的机构。")
        self.assertEqual(response.context["page_obj"].paginator.count, 0)
        self.assertEqual(self.client.get(reverse("console:region_detail", args=[XIAMEN])).status_code, 404)
        xm_unit = world().unit("xiamen.centre")
        self.assertEqual(self.client.get(reverse("console:unit_detail", args=[xm_unit.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("console:staff_list")), "sm_clerk")

    def test_home_counts_what_is_in_scope(self) -> None:
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(reverse("console:home"))
        kpis = response.context["kpis"]
        siming = Unit.objects.filter(codes.under("region_id", SIMING))
        self.assertEqual(kpis["centres"], 1)
        self.assertEqual(kpis["stations"], siming.filter(kind=Unit.Kind.STATION).count())
        self.assertEqual(kpis["rooms"], siming.filter(kind=Unit.Kind.ROOM).count())
        self.assertEqual(
            kpis["practitioners"], Practitioner.objects.filter(codes.under("unit__region_id", SIMING)).count()
        )
        villages = Region.objects.filter(codes.under("code", SIMING), level=Region.Level.VILLAGE)
        self.assertEqual(kpis["villages"], villages.count())
        self.assertEqual(
            kpis["covered"], AdvisorAssignment.objects.current().filter(region__in=villages).count()
        )
        self.assertContains(response, "监督管理员")
        self.assertContains(response, "思明区司法局")

    def test_home_renders_with_few_queries(self) -> None:
        self.client.force_login(self.xm_supervisor)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(reverse("console:home")).status_code, 200)
        self.assertLessEqual(len(queries), 12)

    def test_breadcrumb_stops_at_what_the_user_may_see(self) -> None:
        town = Region.objects.filter(parent_id=SIMING).order_by("code").first()
        assert town is not None
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(reverse("console:region_detail", args=[town.code]))
        self.assertEqual([a.code for a in response.context["ancestors"]], [SIMING])
        self.assertNotContains(response, reverse("console:region_detail", args=[XIAMEN]))
        self.client.force_login(self.xm_supervisor)
        response = self.client.get(reverse("console:region_detail", args=[town.code]))
        self.assertEqual([a.code for a in response.context["ancestors"]], [XIAMEN, SIMING])

    def test_region_search_is_scoped(self) -> None:
        self.client.force_login(self.sm_supervisor)
        self.assertEqual(
            self.client.get(reverse("console:region_list"), {"q": HULI}).context["page_obj"].paginator.count,
            0,
        )
        response = self.client.get(reverse("console:region_list"), {"q": "鼓浪屿"})
        self.assertContains(response, "鼓浪屿")
        response = self.client.get(reverse("console:region_list"))
        self.assertEqual([region.code for region, _units in response.context["roots"]], [SIMING])

    def test_unit_filters_keep_their_values(self) -> None:
        self.client.force_login(self.sm_supervisor)
        town = Region.objects.filter(parent_id=SIMING).order_by("code").first()
        assert town is not None
        response = self.client.get(
            reverse("console:unit_list"), {"level": "5", "region": town.code, "function": "mediation"}
        )
        units = list(response.context["page_obj"])
        self.assertTrue(units)
        self.assertTrue(all(u.region.parent_id == town.code and u.kind == Unit.Kind.ROOM for u in units))
        self.assertContains(response, f'value="{town.code}"')
        self.assertContains(response, '<option value="5" selected>')
        response = self.client.get(reverse("console:unit_list"), {"region": "12a"})
        self.assertContains(response, "区划代码应为 2、4、6、9 或 12 位数字。")


class ListQueryCountTestCase(BaseTestCase):
    """The number of queries of a list page does not grow with the rows on the page."""

    def count(self, url: str, params: dict[str, str]) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return len(queries), len(response.context["page_obj"].object_list)

    def assert_flat(self, url: str, many: dict[str, str], few: dict[str, str]) -> int:
        n_many, rows_many = self.count(url, many)
        n_few, rows_few = self.count(url, few)
        self.assertGreater(rows_many, rows_few)
        self.assertGreater(rows_few, 0)
        self.assertEqual(n_many, n_few)
        return n_many

    def setUp(self) -> None:
        self.client.force_login(self.xm_supervisor)
        self.client.get(reverse("console:home"))  # the session's first write is not what is measured

    def test_unit_list(self) -> None:
        n = self.assert_flat(reverse("console:unit_list"), {}, {"kind": "bureau"})
        with self.assertNumQueries(n):
            self.client.get(reverse("console:unit_list"), {"page": "2"})
        self.assertLessEqual(n, 10)

    def test_practitioner_list(self) -> None:
        n = self.assert_flat(reverse("console:practitioner_list"), {}, {"kind": "notary"})
        self.assertLessEqual(n, 11)

    def test_staff_list(self) -> None:
        self.assert_flat(reverse("console:staff_list"), {}, {"role": "supervisor"})

    def test_advisor_list(self) -> None:
        self.assert_flat(reverse("console:advisor_list"), {}, {"q": "鼓浪屿"})
        town = Region.objects.filter(parent_id=SIMING).order_by("code").first()
        assert town is not None
        n_town, rows = self.count(reverse("console:advisor_list"), {"town": town.code})
        self.assertGreater(rows, 1)
        self.assertLessEqual(n_town, 12)


class UnitEditTestCase(BaseTestCase):
    station: ClassVar[Unit]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.station = first(
            Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=SIMING).order_by("region_id")
        )

    def form_data(self, **changes: object) -> dict[str, object]:
        data: dict[str, object] = {
            "address": "厦港街道便民服务中心一楼",
            "phone": "0592-2345678",
            "opening_hours": "工作日 8:30-17:30",
            "description": "",
            "functions": list(self.station.functions.values_list("pk", flat=True)),
        }
        data.update(changes)
        return data

    def test_unit_admin_edits_the_unit(self) -> None:
        self.client.force_login(self.sm_admin)
        url = reverse("console:unit_edit", args=[self.station.pk])
        self.assertContains(self.client.get(url), "服务时间")
        response = self.client.post(url, self.form_data(require_2fa="on", opening_hours="工作日 9:00-17:00"))
        self.assertRedirects(response, reverse("console:unit_detail", args=[self.station.pk]))
        unit = Unit.objects.get(pk=self.station.pk)
        self.assertEqual((unit.opening_hours, unit.require_2fa), ("工作日 9:00-17:00", True))

    def test_invalid_phone_is_explained_in_chinese(self) -> None:
        self.client.force_login(self.sm_admin)
        response = self.client.post(
            reverse("console:unit_edit", args=[self.station.pk]), self.form_data(phone="12ab")
        )
        self.assertContains(response, "请输入正确的电话号码，例如 0592-1234567、12348 或 11 位手机号码。")
        self.assertNotEqual(Unit.objects.get(pk=self.station.pk).phone, "12ab")

    def test_supervisor_may_look_but_not_edit(self) -> None:
        self.client.force_login(self.sm_supervisor)
        detail = self.client.get(reverse("console:unit_detail", args=[self.station.pk]))
        self.assertNotContains(detail, reverse("console:unit_edit", args=[self.station.pk]))
        self.assertEqual(
            self.client.get(reverse("console:unit_edit", args=[self.station.pk])).status_code, 403
        )
        response = self.client.post(
            reverse("console:unit_edit", args=[self.station.pk]), self.form_data(address="改")
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotEqual(Unit.objects.get(pk=self.station.pk).address, "改")

    def test_windows_are_added_and_disabled(self) -> None:
        self.client.force_login(self.sm_admin)
        add = reverse("console:unit_window_add", args=[self.station.pk])
        response = self.client.post(add, {"number": "7", "kind": "legal_aid", "name": "法律援助窗口"})
        self.assertRedirects(response, reverse("console:unit_edit", args=[self.station.pk]))
        window = Window.objects.get(unit=self.station, number=7)
        response = self.client.post(add, {"number": "7", "kind": "reception"})
        self.assertContains(response, "7 号窗口已存在，请换一个窗口号。", status_code=400)
        self.client.post(reverse("console:window_set_active", args=[window.pk]), {"active": "0"})
        self.assertFalse(Window.objects.get(pk=window.pk).is_active)


class PractitionerCreditTestCase(BaseTestCase):
    lawyer: ClassVar[Practitioner]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.lawyer = first(
            Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING).order_by("pk")
        )

    def test_supervisor_records_credit_and_staff_see_internal_records_marked(self) -> None:
        self.client.force_login(self.sm_supervisor)
        url = reverse("console:practitioner_credit_add", args=[self.lawyer.pk])
        response = self.client.post(
            url,
            {
                "kind": "penalty",
                "title": "训诫：执业档案不完整",
                "authority": "思明区司法局",
                "decided_on": "2025-05-06",
                "detail": "",
            },
        )
        self.assertRedirects(response, reverse("console:practitioner_detail", args=[self.lawyer.pk]))
        record = CreditRecord.objects.get(practitioner=self.lawyer, title="训诫：执业档案不完整")
        self.assertEqual((record.is_public, record.recorded_by), (False, self.sm_supervisor))
        # A member of the bureau without the credit capability sees the record, marked internal.
        reader = User.objects.create_user("bureau-handler", kind=User.Kind.STAFF)
        Membership.objects.create(user=reader, unit=self.unit("siming.bureau"), role=Membership.Role.HANDLER)
        self.client.force_login(reader)
        detail = self.client.get(reverse("console:practitioner_detail", args=[self.lawyer.pk]))
        self.assertContains(detail, "训诫：执业档案不完整")
        self.assertContains(detail, '<span class="badge badge-muted">内部</span>', html=True)
        self.assertNotContains(detail, "添加信用记录")

    def test_a_bureau_records_on_a_law_firms_credit_file_from_its_page(self) -> None:
        firm = self.lawyer.unit
        assert firm is not None
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("console:unit_detail", args=[firm.pk]))
        self.assertContains(page, "添加信用记录")
        url = reverse("console:unit_credit_add", args=[firm.pk])
        self.assertContains(page, f'action="{url}"')
        form = {"kind": "penalty", "title": "警告：未按规定办理年度考核备案", "authority": "思明区司法局"}
        future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        response = self.client.post(url, {**form, "decided_on": future, "is_public": "on"})
        self.assertContains(response, "决定日期不能晚于今天。", status_code=400)
        response = self.client.post(url, {**form, "decided_on": "2025-05-06", "is_public": "on"})
        self.assertRedirects(response, reverse("console:unit_detail", args=[firm.pk]))
        record = CreditRecord.objects.get(unit=firm, title=form["title"])
        self.assertEqual((record.is_public, record.recorded_by), (True, self.sm_supervisor))
        # The firm's own administrator sees its file but may not write to it.
        admin = User.objects.create_user("firm-admin", kind=User.Kind.STAFF)
        Membership.objects.create(user=admin, unit=firm, role=Membership.Role.UNIT_ADMIN)
        self.client.force_login(admin)
        page = self.client.get(reverse("console:unit_detail", args=[firm.pk]))
        self.assertContains(page, form["title"])
        self.assertNotContains(page, "添加信用记录")
        response = self.client.post(
            url, {**form, "title": "表彰", "kind": "reward", "decided_on": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CreditRecord.objects.filter(title="表彰").exists())
        # A service point has no credit file at all.
        self.client.force_login(self.sm_supervisor)
        station = first(Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=SIMING))
        self.assertNotContains(self.client.get(reverse("console:unit_detail", args=[station.pk])), "信用记录")

    def test_future_dates_and_clerks_are_refused(self) -> None:
        self.client.force_login(self.sm_supervisor)
        url = reverse("console:practitioner_credit_add", args=[self.lawyer.pk])
        future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        response = self.client.post(
            url, {"kind": "reward", "title": "表彰", "authority": "司法局", "decided_on": future}
        )
        self.assertContains(response, "决定日期不能晚于今天。", status_code=400)
        # A centre's clerk does not reach law firms and their lawyers (docs/authority.md): not found.
        self.client.force_login(self.sm_clerk)
        response = self.client.post(
            url, {"kind": "reward", "title": "表彰", "authority": "司法局", "decided_on": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(CreditRecord.objects.filter(title="表彰").exists())

    def test_practitioner_filters(self) -> None:
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(
            reverse("console:practitioner_list"),
            {"kind": "lawyer", "status": "practising", "q": self.lawyer.name},
        )
        self.assertIn(self.lawyer, list(response.context["page_obj"]))
        self.assertTrue(all(p.kind == "lawyer" for p in response.context["page_obj"]))


class AdvisorTestCase(BaseTestCase):
    def test_coverage_by_town_and_uncovered_filter(self) -> None:
        town = Region.objects.filter(parent_id=SIMING).order_by("code").first()
        assert town is not None
        village = town.children.order_by("code").first()
        assert village is not None
        AdvisorAssignment.objects.current().filter(region=village).update(ended_on=dt.date(2025, 1, 1))
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(reverse("console:advisor_list"), {"uncovered": "on"})
        self.assertEqual([row["parent_id"] for row in response.context["page_obj"]], [town.code])
        row = response.context["page_obj"][0]
        self.assertEqual((row["total"] - row["covered"], row["uncovered"]), (1, 1))
        response = self.client.get(reverse("console:advisor_list"), {"town": town.code, "uncovered": "on"})
        self.assertEqual([v.code for v in response.context["page_obj"]], [village.code])
        self.assertContains(response, reverse("console:advisor_appoint", args=[village.code]))
        hl_town = Region.objects.filter(parent_id=HULI).order_by("code").first()
        assert hl_town is not None
        self.assertEqual(
            self.client.get(reverse("console:advisor_list"), {"town": hl_town.code}).status_code, 404
        )

    def test_appoint_through_the_page(self) -> None:
        town = Region.objects.filter(parent_id=SIMING).order_by("code").first()
        assert town is not None
        village = town.children.order_by("code").first()
        assert village is not None
        old = AdvisorAssignment.objects.current().get(region=village)
        lawyer = first(
            Practitioner.objects.filter(kind="lawyer", unit__region_id=SIMING).exclude(pk=old.practitioner_id)
        )
        assert lawyer is not None
        self.client.force_login(self.sm_supervisor)
        url = reverse("console:advisor_appoint", args=[village.code])
        self.assertContains(self.client.get(url), old.practitioner.name)
        response = self.client.post(
            url, {"practitioner": lawyer.pk, "started_on": "2025-09-01", "schedule": "每周二下午"}
        )
        self.assertRedirects(response, f"{reverse('console:advisor_list')}?town={town.code}")
        self.assertEqual(AdvisorAssignment.objects.current().get(region=village).practitioner, lawyer)
        hl_lawyer = Practitioner.objects.filter(kind="lawyer", unit__region_id=HULI).first()
        assert hl_lawyer is not None
        response = self.client.post(url, {"practitioner": hl_lawyer.pk, "started_on": "2025-10-01"})
        self.assertContains(response, "选择一个有效的选项", status_code=400)
        # The demo handler reaches the village through the street station's rooms, but holds no appointing role;
        # the centre's 12348 agent does not reach the village at all.
        self.client.force_login(self.sm_handler)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(User.objects.get(username="sm_agent"))
        self.assertEqual(self.client.get(url).status_code, 404)


class StaffAdminTestCase(BaseTestCase):
    station: ClassVar[Unit]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.station = first(
            Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=SIMING).order_by("region_id")
        )

    def data(self, **changes: object) -> dict[str, object]:
        data: dict[str, object] = {
            "unit": self.station.pk,
            "role": "window_clerk",
            "title": "",
            "username": "sm_newbie",
            "display_name": "郑新",
            "phone": "13912345678",
            "password": "Nanputuo-bells-1924",
        }
        data.update(changes)
        return data

    def test_admin_creates_staff_and_sees_the_password_once(self) -> None:
        self.client.force_login(self.sm_admin)
        response = self.client.post(reverse("console:staff_create"), self.data())
        self.assertContains(response, "Nanputuo-bells-1924")
        self.assertContains(response, "初始密码只显示这一次")
        self.assertIn("no-store", response.get("Cache-Control", ""))
        user = User.objects.get(username="sm_newbie")
        self.assertEqual(
            list(user.memberships.values_list("unit_id", "role")), [(self.station.pk, "window_clerk")]
        )
        self.assertNotContains(
            self.client.get(reverse("console:staff_detail", args=[user.pk])), "Nanputuo-bells-1924"
        )

    def test_validation_messages_are_chinese(self) -> None:
        self.client.force_login(self.sm_admin)
        response = self.client.post(
            reverse("console:staff_create"), self.data(password="12345", phone="123", username="sm_clerk")
        )
        self.assertContains(response, "请输入正确的 11 位手机号码。", status_code=400)
        self.assertContains(response, "用户名“sm_clerk”已被使用。", status_code=400)
        self.assertContains(response, "密码太短，至少需要 10 个字符。", status_code=400)
        self.assertContains(response, "这个密码太常见了。", status_code=400)
        self.assertFalse(User.objects.filter(display_name="郑新").exists())

    def test_system_admin_and_outside_units_are_not_offered(self) -> None:
        self.client.force_login(self.sm_admin)
        response = self.client.get(reverse("console:staff_create"))
        self.assertNotContains(response, 'value="system_admin"')
        hl_station = Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=HULI).first()
        assert hl_station is not None
        self.assertNotContains(response, hl_station.name)
        response = self.client.post(reverse("console:staff_create"), self.data(role="system_admin"))
        self.assertEqual(response.status_code, 400)
        response = self.client.post(reverse("console:staff_create"), self.data(unit=hl_station.pk))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(User.objects.filter(username="sm_newbie").exists())

    def test_only_unit_admins_manage_staff(self) -> None:
        self.client.force_login(self.sm_supervisor)
        self.assertEqual(self.client.get(reverse("console:staff_create")).status_code, 403)
        response = self.client.post(
            reverse("console:staff_grant", args=[self.sm_clerk.pk]),
            {"unit": self.station.pk, "role": "handler"},
        )
        self.assertEqual(response.status_code, 403)
        m = Membership.objects.filter(user=self.sm_clerk).first()
        assert m is not None
        self.assertEqual(self.client.post(reverse("console:membership_revoke", args=[m.pk])).status_code, 403)
        self.assertIsNone(Membership.objects.get(pk=m.pk).ended_at)

    def test_grant_pause_and_revoke(self) -> None:
        self.client.force_login(self.sm_admin)
        detail = reverse("console:staff_detail", args=[self.sm_clerk.pk])
        response = self.client.post(
            reverse("console:staff_grant", args=[self.sm_clerk.pk]),
            {"unit": self.station.pk, "role": "handler", "title": "调解员"},
        )
        self.assertRedirects(response, detail)
        m = Membership.objects.get(user=self.sm_clerk, unit=self.station, role=Membership.Role.HANDLER)
        self.client.post(reverse("console:membership_set_active", args=[m.pk]), {"active": "0"})
        self.assertFalse(Membership.objects.get(pk=m.pk).is_active)
        self.client.post(reverse("console:membership_revoke", args=[m.pk]))
        # Ended, not deleted: kept as history on the staff page, with who ended it.
        ended = Membership.objects.get(pk=m.pk)
        self.assertEqual((ended.is_active, ended.ended_by), (False, self.sm_admin))
        page = self.client.get(detail)
        self.assertContains(page, "已撤销")
        # The page shows the day in Asia/Shanghai: between 16:00 and 24:00 UTC that is already tomorrow.
        self.assertContains(page, f"{timezone.localtime(ended.ended_at):%Y-%m-%d} · {self.sm_admin}")
        # Ended roles cannot be paused or resumed; granting the role again makes a new membership.
        response = self.client.post(
            reverse("console:membership_set_active", args=[m.pk]), {"active": "1"}, follow=True
        )
        self.assertContains(response, "撤销，不能再调整；如需恢复，请重新授予角色。")
        self.client.post(
            reverse("console:staff_grant", args=[self.sm_clerk.pk]),
            {"unit": self.station.pk, "role": "handler"},
        )
        rows = Membership.objects.filter(
            user=self.sm_clerk, unit=self.station, role=Membership.Role.HANDLER
        ).order_by("pk")
        self.assertEqual([(r.pk == m.pk, r.ended_at is None) for r in rows], [(True, False), (False, True)])
        hl_role = Membership.objects.get(user=self.hl_clerk, unit_id=world().unit_pk("huli.centre"))
        self.assertEqual(
            self.client.post(reverse("console:membership_revoke", args=[hl_role.pk])).status_code, 404
        )

    def test_admin_cannot_lock_themselves_out(self) -> None:
        self.client.force_login(self.sm_admin)
        own = Membership.objects.get(user=self.sm_admin, role=Membership.Role.UNIT_ADMIN)
        response = self.client.post(reverse("console:membership_revoke", args=[own.pk]), follow=True)
        self.assertContains(response, "不能调整您本人的角色，请由其他管理员办理。")
        response = self.client.post(
            reverse("console:membership_set_active", args=[own.pk]), {"active": "0"}, follow=True
        )
        self.assertContains(response, "不能调整您本人的角色，请由其他管理员办理。")
        self.assertTrue(Membership.objects.get(pk=own.pk).is_active)
