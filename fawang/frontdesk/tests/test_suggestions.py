"""便民箱: a suggestion from a room's public page goes to its town station, is answered within the limit and shown
on the page only if the author agreed; paper slips entered by staff; bad input keeps what was typed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fawang.audit.models import AuditEvent
from fawang.matters.tests.base import MatterTestCase
from fawang.notify.models import Message
from fawang.orgs.models import Unit

from ..actions import suggestions as actions
from ..models import Suggestion


class SuggestionBoxTestCase(MatterTestCase):
    room: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.room = Unit.objects.filter(kind=Unit.Kind.ROOM, parent=cls.station).order_by("pk")[0]

    def test_an_anonymous_suggestion_goes_to_the_station_and_its_answer_is_published(self) -> None:
        url = reverse("suggest:box", args=[self.room.pk])
        response = self.client.post(url, {"body": "工作室周三<b>经常</b>没人。", "may_publish": "1"})
        self.assertRedirects(response, url)
        made = Suggestion.objects.get()
        self.assertEqual(
            (made.unit, made.point, made.source, made.name), (self.station, self.room, "online", "")
        )
        self.assertGreater(made.due_at, made.created_at)
        self.assertTrue(
            AuditEvent.objects.filter(action="frontdesk.suggest", target_id=str(made.pk)).exists()
        )
        self.assertContains(self.client.get(url), "暂无公开的答复。")
        with self.assertRaises(PermissionDenied):
            actions.do_answer_suggestion(made.pk, actor=self.hl_clerk, answer="好")
        actions.do_answer_suggestion(made.pk, actor=self.sm_clerk, answer="已调整为每周三、周五驻点。")
        self.assertFalse(Message.objects.filter(kind="suggestion.answered").exists())  # anonymous, no number
        page = self.client.get(url)
        self.assertContains(page, "已调整为每周三、周五驻点。")
        self.assertContains(page, "工作室周三&lt;b&gt;经常&lt;/b&gt;没人。")

    def test_an_answer_without_consent_stays_unpublished(self) -> None:
        made = actions.do_suggest(self.room.pk, body="希望增加周末服务。", name="老陈", phone="13912345678")
        actions.do_answer_suggestion(made.pk, actor=self.sm_clerk, answer="已记录。")
        page = self.client.get(reverse("suggest:box", args=[self.room.pk]))
        self.assertNotContains(page, "已记录。")
        # The author left a number: the answer reaches them by SMS.
        (sms,) = Message.objects.filter(kind="suggestion.answered")
        self.assertEqual((sms.channel, sms.phone), ("sms", "13912345678"))
        self.assertIn("已记录。", sms.body)

    def test_bad_input_is_said_in_chinese_and_kept(self) -> None:
        url = reverse("suggest:box", args=[self.room.pk])
        response = self.client.post(url, {"body": "建议延长开放时间", "phone": "12345"})
        self.assertContains(response, "请输入正确的 11 位手机号码。", status_code=400)
        self.assertContains(response, "建议延长开放时间", status_code=400)
        response = self.client.post(url, {"body": "  "})
        self.assertContains(response, "请填写意见或建议。", status_code=400)
        self.assertFalse(Suggestion.objects.exists())
        self.assertEqual(self.client.get(reverse("suggest:box", args=[self.sm_bureau.pk])).status_code, 404)

    def test_staff_enter_paper_slips_and_answer_in_the_console(self) -> None:
        self.client.force_login(self.sm_clerk)
        response = self.client.post(
            reverse("frontdesk:suggestion_paper"), {"point": self.station.pk, "body": "纸质：窗口太少。"}
        )
        made = Suggestion.objects.get()
        self.assertRedirects(response, reverse("frontdesk:suggestion", args=[made.pk]))
        self.assertEqual((made.source, made.entered_by, made.unit), ("paper", self.sm_clerk, self.station))
        self.assertContains(self.client.get(reverse("frontdesk:suggestions")), "纸质：窗口太少。")
        self.client.post(
            reverse("frontdesk:suggestion_answer", args=[made.pk]), {"answer": "已增开一个窗口。"}
        )
        made.refresh_from_db()
        self.assertEqual((made.status, made.answered_by), ("answered", self.sm_clerk))
        with self.assertRaisesMessage(ValidationError, "该意见已答复。"):
            actions.do_answer_suggestion(made.pk, actor=self.sm_clerk, answer="再答")
        self.client.force_login(self.hl_clerk)
        self.assertEqual(self.client.get(reverse("frontdesk:suggestion", args=[made.pk])).status_code, 404)
