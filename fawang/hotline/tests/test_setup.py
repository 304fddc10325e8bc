"""热线系统设置: the centre's admin sets service hours, IVR texts and the callback rule, queues with IVR keys, and
the telephone and 联动 systems (a new token or secret shown once, never stored in the clear); every change is
audited, and the PBX reads the IVR menu from the CTI address."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.calendar import workdays
from fawang.orgs.models import Membership, Unit

from .. import cti
from ..models import CallbackTask, CentreSettings, CtiSystem, HotlineQueue
from .base import HotlineTestCase


class SetupTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = User.objects.create_user("xm_centre_admin", kind=User.Kind.STAFF, display_name="郑主任")
        Membership.objects.create(user=self.admin, unit=self.xm_centre, role=Membership.Role.UNIT_ADMIN)
        self.client.force_login(self.admin)

    def test_settings_change_the_callback_clock_and_are_audited(self) -> None:
        page = self.client.get(reverse("hotline:setup"))
        self.assertContains(page, "热线系统设置")
        self.assertContains(page, "测试呼叫中心")
        response = self.client.post(
            reverse("hotline:setup_settings"),
            {
                "service_hours": "每日 08:00–20:00",
                "ivr_welcome": "您好，12348 为您服务。",
                "ivr_after_hours": "请留言。",
                "callback_hours": 4,
                "callback_max_attempts": 2,
            },
            follow=True,
        )
        self.assertContains(response, "已保存热线中心设置。")
        settings = CentreSettings.objects.get(unit=self.xm_centre)
        self.assertEqual((settings.callback_hours, settings.callback_max_attempts), (4, 2))
        row = AuditEvent.objects.get(action="hotline.settings")
        self.assertEqual((row.after["callback_hours"], row.unit_id), (4, self.xm_centre.pk))
        # A missed call now has 4 working hours.
        self.ring("late")
        self.hangup("late", seconds=10, cause="noAnswer")
        task = CallbackTask.objects.get(call__call_id="late")
        assert task.call.ended_at is not None
        self.assertEqual(task.due_at, workdays.add_workhours(task.call.ended_at, 4))
        # Bad input is refused in Chinese, nothing changes.
        bad = self.client.post(
            reverse("hotline:setup_settings"),
            {"service_hours": "x", "callback_hours": 0, "callback_max_attempts": 2},
        )
        self.assertContains(bad, "回拨时限应为 1 至 72 个工作小时。", status_code=400)
        settings.refresh_from_db()
        self.assertEqual(settings.callback_hours, 4)

    def test_queues_and_the_ivr_menu_the_pbx_reads(self) -> None:
        for name, digit in (("法律咨询", "1"), ("法律援助", "2")):
            self.client.post(
                reverse("hotline:setup_queue_add"),
                {"name": name, "digit": digit, "menu_text": f"{name}请按 {digit}"},
            )
        taken = self.client.post(
            reverse("hotline:setup_queue_add"), {"name": "人民调解", "digit": "1", "menu_text": ""}
        )
        self.assertContains(taken, "该按键已被其他启用的队列使用。", status_code=400)
        self.assertEqual(HotlineQueue.objects.filter(unit=self.xm_centre).count(), 2)
        aid = HotlineQueue.objects.get(name="法律援助")
        self.client.post(reverse("hotline:setup_queue_active", args=[aid.pk]), {"active": "0"})
        aid.refresh_from_db()
        self.assertFalse(aid.is_active)
        self.assertEqual(
            AuditEvent.objects.filter(action__in=["hotline.add_queue", "hotline.queue_active"]).count(), 3
        )
        menu = self.pbx.get(reverse("api:hotline_cti", args=[self.token])).json()
        self.assertEqual(menu["menu"], [{"digit": "1", "queue": "法律咨询", "text": "法律咨询请按 1"}])
        self.assertEqual(menu["centre"], "厦门市公共法律服务中心")
        self.assertIn("12348", menu["welcome"])
        self.assertEqual(self.pbx.get(reverse("api:hotline_cti", args=["wrong"])).status_code, 401)

    def test_a_new_system_shows_its_token_and_secret_once_and_rotation_replaces_them(self) -> None:
        response = self.client.post(
            reverse("hotline:setup_system_add"), {"name": "新呼叫中心", "signed": "on"}
        )
        self.assertEqual(response.status_code, 200)
        issued = response.context["issued"]
        system = issued["system"]
        token = issued["path"].rstrip("/").rsplit("/", 1)[1]
        self.assertContains(response, "只显示这一次")
        self.assertContains(response, issued["secret"])
        self.assertEqual(
            (system.unit, system.purpose, system.secret), (self.xm_centre, "cti", issued["secret"])
        )
        self.assertEqual(system.token_hash, cti.token_hash(token))
        self.assertNotContains(self.client.get(reverse("hotline:setup")), issued["secret"])
        # Rotating the token: the old address stops at once; the audit row names what changed, not the value.
        rotated = self.client.post(reverse("hotline:setup_system_rotate", args=[system.pk]), {"token": "1"})
        new_token = rotated.context["issued"]["path"].rstrip("/").rsplit("/", 1)[1]
        self.assertNotEqual(new_token, token)
        self.assertEqual(
            self.pbx.post(
                reverse("api:hotline_cti", args=[token]), "{}", content_type="application/json"
            ).status_code,
            401,
        )
        row = AuditEvent.objects.get(action="hotline.rotate_system")
        self.assertIn("推送令牌", row.note)
        self.assertNotIn(new_token, str(row.after) + row.note)
        # Stopping a system: its events are refused.
        self.client.post(
            reverse("hotline:setup_system_edit", args=[system.pk]), {"name": "新呼叫中心", "dial_url": ""}
        )
        system.refresh_from_db()
        self.assertFalse(system.is_active)

    def test_a_link_system_for_12345(self) -> None:
        h12345 = Unit.objects.filter(kind=Unit.Kind.HOTLINE, hotline_number="12345").order_by("pk").first()
        assert h12345 is not None
        self.client.force_login(self.sysadmin)
        response = self.client.post(
            reverse("hotline:setup_system_add"),
            {"name": "12345 新工单系统", "partner": h12345.pk, "signed": "on"},
        )
        self.assertEqual(response.status_code, 200, response.content[:2000])
        system = response.context["issued"]["system"]
        self.assertEqual((system.unit, system.purpose), (h12345, "link"))
        self.assertIn("/api/v1/hotline/link/", response.context["issued"]["path"])

    def test_only_the_centres_admin_sets_it_up(self) -> None:
        self.client.force_login(self.xm_agent)
        self.assertEqual(self.client.get(reverse("hotline:setup")).status_code, 403)
        self.client.force_login(self.xm_supervisor)
        self.assertEqual(self.client.get(reverse("hotline:setup")).status_code, 403)
        self.client.force_login(self.sm_admin)  # 思明区's admin does not reach the city's centre: 404
        other = CtiSystem.objects.get(pk=self.system.pk)
        self.assertEqual(
            self.client.post(
                reverse("hotline:setup_system_rotate", args=[other.pk]), {"secret": "1"}
            ).status_code,
            404,
        )
        self.assertFalse(AuditEvent.objects.filter(action="hotline.rotate_system").exists())
        self.assertLess(abs(other.created_at - timezone.now()), dt.timedelta(days=1))
