from __future__ import annotations

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.accounts.models import User
from fawang.notify.models import Message
from fawang.test import HULI, SIMING, XIANYOU

from .helpers import OutboxTestCase

OTP = "您的登录验证码是 483920，5 分钟内有效。"
FAIL_PERMANENTLY = {"sms": {"BACKEND": "fawang.notify.senders.FailingSender", "OPTIONS": {"permanent": True}}}


class OutboxListTestCase(OutboxTestCase):
    url = reverse("notify:outbox")

    def test_staff_see_only_messages_of_their_regions(self) -> None:
        self.send(body="思明区的消息")
        self.send(body="湖里区的消息", region_code=HULI)
        self.send(body="仙游县的消息", region_code=XIANYOU)
        self.send(body="没有区划的消息", region_code="")

        self.client.force_login(self.sm_clerk)
        r = self.client.get(self.url)
        self.assertContains(r, "思明区的消息")
        self.assertNotContains(r, "湖里区的消息")
        self.assertNotContains(r, "仙游县的消息")
        self.assertNotContains(r, "没有区划的消息")

        self.client.force_login(self.hl_clerk)
        r = self.client.get(self.url)
        self.assertContains(r, "湖里区的消息")
        self.assertNotContains(r, "思明区的消息")

        self.client.force_login(self.xm_supervisor)
        r = self.client.get(self.url)
        self.assertContains(r, "思明区的消息")
        self.assertContains(r, "湖里区的消息")
        self.assertNotContains(r, "仙游县的消息")

        self.client.force_login(self.sysadmin)
        self.assertContains(self.client.get(self.url), "没有区划的消息")

    def test_it_masks_phone_numbers_and_one_time_codes(self) -> None:
        self.send(kind="otp.login", subject="验证码 483920", body=OTP)
        self.client.force_login(self.sm_supervisor)
        r = self.client.get(self.url)
        self.assertContains(r, "您的登录验证码是 ******，* 分钟内有效。")
        self.assertContains(r, "登录验证码")
        self.assertContains(r, "138****0000")
        self.assertNotContains(r, "483920")
        self.assertNotContains(r, "13800000000")

    def test_it_escapes_html_in_bodies(self) -> None:
        self.send(subject="<b>标题</b>", body="<script>alert('x')</script>")
        self.client.force_login(self.sm_supervisor)
        r = self.client.get(self.url)
        self.assertNotContains(r, "<script>alert")
        self.assertNotContains(r, "<b>标题</b>")
        self.assertContains(r, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")

    def test_it_says_that_no_gateway_is_configured(self) -> None:
        message = self.send()
        self.client.force_login(self.sm_clerk)
        r = self.client.get(self.url)
        self.assertContains(r, "未配置短信网关：消息保存在本地发件箱。")
        self.assertContains(r, "本地保存")
        r = self.client.get(reverse("notify:message_detail", args=[message.pk]))
        self.assertContains(r, "未配置发送网关：这条消息没有真正发出，保存在本地发件箱中")

    @override_settings(
        NOTIFY_SENDERS={c: "fawang.notify.tests.helpers.ExplodingSender" for c in Message.Channel}
    )
    def test_no_notice_when_every_channel_has_a_gateway(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.assertNotContains(self.client.get(self.url), "未配置短信网关")

    def test_filters(self) -> None:
        self.send(body="受理通知")
        self.send(body="站内受理通知", channel="inapp", user=self.citizen)
        self.send(kind="otp.login", body="验证码 1")
        with override_settings(NOTIFY_SENDERS=FAIL_PERMANENTLY):
            self.send(body="发不出去的短信", phone="13900000000")
        self.client.force_login(self.sm_supervisor)

        r = self.client.get(self.url, {"status": "dead"})
        self.assertContains(r, "发不出去的短信")
        self.assertNotContains(r, "受理通知")
        r = self.client.get(self.url, {"channel": "inapp"})
        self.assertContains(r, "站内受理通知")
        self.assertNotContains(r, "发不出去的短信")
        r = self.client.get(self.url, {"kind": "otp"})
        self.assertContains(r, "验证码 *")
        self.assertNotContains(r, "受理通知")
        r = self.client.get(self.url, {"phone": "139 0000 0000"})
        self.assertContains(r, "发不出去的短信")
        self.assertNotContains(r, "受理通知")
        r = self.client.get(self.url, {"date_from": "2000-01-01", "date_to": "2000-01-31"})
        self.assertContains(r, "没有符合条件的消息。")

    def test_invalid_filters_are_explained(self) -> None:
        self.client.force_login(self.sm_supervisor)
        r = self.client.get(self.url, {"phone": "123", "date_from": "2026-02-01", "date_to": "2026-01-01"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "请输入正确的 11 位手机号码。", status_code=400)
        self.assertContains(r, "起始日期不能晚于截止日期。", status_code=400)

    def test_query_count_does_not_depend_on_page_size(self) -> None:
        self.client.force_login(self.sm_supervisor)
        for _ in range(2):
            self.send(user=self.citizen)
        self.client.get(self.url)  # the first request after sign-in writes the session
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertLessEqual(len(few.captured_queries), 8)
        for i in range(60):
            self.send(user=self.citizen, body=f"消息 {i}", dedupe_key=f"k{i}")
        with self.assertNumQueries(len(few.captured_queries)):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["page_obj"].object_list), 50)

    def test_who_may_open_the_outbox(self) -> None:
        self.client.force_login(self.sm_handler)  # a handler's role does not include the outbox
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertNotContains(self.client.get(reverse("console:home")), self.url)
        self.client.force_login(self.sm_clerk)
        self.assertContains(self.client.get(reverse("console:home")), f'href="{self.url}"')
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.client.logout()
        self.assertRedirects(
            self.client.get(self.url),
            f"{reverse('accounts:login')}?next={self.url}",
            fetch_redirect_response=False,
        )


class MessageDetailTestCase(OutboxTestCase):
    def url(self, message: Message) -> str:
        return reverse("notify:message_detail", args=[message.pk])

    def test_other_districts_get_the_same_404_as_a_missing_message(self) -> None:
        message = self.send(body="思明区的消息")
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(self.client.get(self.url(message)).status_code, 404)
        self.assertEqual(self.client.get(reverse("notify:message_detail", args=[999999])).status_code, 404)
        self.client.force_login(self.sm_clerk)
        self.assertContains(self.client.get(self.url(message)), "思明区的消息")

    def test_it_masks_one_time_codes_and_escapes_html(self) -> None:
        message = self.send(kind="otp.login", body=OTP + "<i>x</i>")
        self.client.force_login(self.sm_supervisor)
        r = self.client.get(self.url(message))
        self.assertNotContains(r, "483920")
        self.assertNotContains(r, "13800000000")
        self.assertNotContains(r, "<i>x</i>")
        self.assertContains(r, "&lt;i&gt;x&lt;/i&gt;")
        self.assertContains(r, "正文中的数字已隐藏")
        self.assertNotContains(r, reverse("notify:retry", args=[message.pk]))


@override_settings(NOTIFY_SENDERS=FAIL_PERMANENTLY)
class RetryViewTestCase(OutboxTestCase):
    def test_staff_requeue_a_dead_message(self) -> None:
        message = self.send()
        url = reverse("notify:retry", args=[message.pk])
        self.client.force_login(self.sm_supervisor)
        self.assertContains(self.client.get(reverse("notify:message_detail", args=[message.pk])), url)
        self.assertEqual(self.client.get(url).status_code, 405)
        with override_settings(NOTIFY_SENDERS={}), self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(url, follow=True)
        self.assertRedirects(r, reverse("notify:message_detail", args=[message.pk]))
        self.assertContains(r, "已重新加入发送队列，尝试次数已清零。")
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.SENT)
        self.assertEqual(message.requeued_by, self.sm_supervisor)

    def test_requeue_refusals(self) -> None:
        message = self.send()
        url = reverse("notify:retry", args=[message.pk])
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.sm_handler)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.sm_supervisor)
        with override_settings(NOTIFY_SENDERS={}), self.captureOnCommitCallbacks(execute=True):
            self.client.post(url)
        r = self.client.post(url, follow=True)
        self.assertContains(r, "只有死信消息可以重新发送。")
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 1))
        self.assertEqual(Message.objects.filter(region_code=SIMING).count(), 1)


@override_settings(NOTIFY_SENDERS=FAIL_PERMANENTLY)
class AdminTestCase(OutboxTestCase):
    def test_admin_shows_masked_codes_and_requeues_dead_messages(self) -> None:
        admin = User.objects.create_superuser("root", password="root-pass-2026")
        dead = self.send(body="回访通知")
        otp = self.send(kind="otp.login", body=OTP)
        self.client.force_login(admin)
        r = self.client.get(reverse("admin:notify_message_change", args=[otp.pk]))
        self.assertContains(r, "您的登录验证码是 ******，* 分钟内有效。")
        self.assertNotContains(r, "483920")
        # The recipient's number is a person's data: masked as in the console's lists.
        self.assertContains(r, "138****0000")
        self.assertNotContains(r, "13800000000")
        self.assertEqual(self.client.get(reverse("admin:notify_message_add")).status_code, 403)
        changelist = reverse("admin:notify_message_changelist")
        with override_settings(NOTIFY_SENDERS={}), self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                changelist,
                {"action": "requeue_dead", "_selected_action": [dead.pk, otp.pk]},
                follow=True,
            )
        self.assertContains(r, "已重新加入发送队列 1 条。")
        self.assertContains(r, "验证码等敏感消息不能由工作人员重新发送，请当事人重新获取。")
        dead.refresh_from_db()
        otp.refresh_from_db()
        self.assertEqual((dead.status, otp.status), (Message.Status.SENT, Message.Status.DEAD))
