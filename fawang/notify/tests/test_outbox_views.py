from __future__ import annotations

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.accounts.models import User
from fawang.notify.models import Message
from fawang.test import HULI, SIMING, XIANYOU
from fawang.testing.world import world

from .helpers import OutboxTestCase

OTP = "您的登录验证码是 483920，5 分钟内有效。"
FAIL_PERMANENTLY = {"sms": {"BACKEND": "fawang.notify.senders.FailingSender", "OPTIONS": {"permanent": True}}}


class OutboxListTestCase(OutboxTestCase):
    url = reverse("notify:outbox")

    def test_messages_about_no_matter_stay_with_the_bureau_of_their_region(self) -> None:
        self.send(body="思明区的消息")
        self.send(body="湖里区的消息", region_code=HULI)
        self.send(body="仙游县的消息", region_code=XIANYOU)
        self.send(body="没有区划的消息", region_code="")

        # A window clerk of a 思明区 station reads no region's messages: the region of a unit grants nothing.
        self.client.force_login(self.sm_clerk)
        r = self.client.get(self.url)
        for body in ("思明区的消息", "湖里区的消息", "仙游县的消息", "没有区划的消息"):
            self.assertNotContains(r, body)

        self.client.force_login(self.sm_supervisor)
        r = self.client.get(self.url)
        self.assertContains(r, "思明区的消息")
        self.assertNotContains(r, "湖里区的消息")

        self.client.force_login(self.hl_supervisor)
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

    def test_messages_about_a_matter_are_seen_by_who_sees_the_matter(self) -> None:
        # Issue 12: a law firm of 思明区 read every 思明区 message. Now it reads those about matters sent to it.
        from fawang.catalog.models import ServiceItem
        from fawang.matters import actions as matter_actions
        from fawang.matters.models import Matter
        from fawang.matters.tests.base import id_number
        from fawang.orgs.models import Membership, Unit

        firm = Unit.objects.filter(kind="law_firm", region__code__startswith=SIMING).order_by("pk").first()
        assert firm is not None
        firm_clerk = User.objects.create_user("firm_clerk_outbox", kind=User.Kind.STAFF)
        Membership.objects.create(user=firm_clerk, unit=firm, role=Membership.Role.WINDOW_CLERK)
        station = world().unit("siming.xiagang.station")

        def matter(unit: Unit | None, seq: str) -> Matter:
            made = matter_actions.do_submit(
                actor=self.sm_clerk,
                person=matter_actions.PersonData(
                    name="张三", phone="13912345678", id_number=id_number(seq=seq)
                ),
                requests=[
                    matter_actions.MatterRequest(
                        service_item=ServiceItem.objects.get(code="consultation"),
                        description="咨询。",
                        region=self.region("350203001"),
                    )
                ],
                channel="window",
                intake_unit=station,
            ).matters[0]
            if unit is not None:  # sent to the firm (转办 is tested in matters; here only where it sits)
                Matter.objects.filter(pk=made.pk).update(unit=unit)
                made.refresh_from_db()
            return made

        at_firm, elsewhere = matter(firm, "701"), matter(None, "702")
        self.send(body="律所事项的消息", related=at_firm)
        self.send(body="其他事项的消息", related=elsewhere)
        self.client.force_login(firm_clerk)
        r = self.client.get(self.url)
        self.assertContains(r, "律所事项的消息")
        self.assertNotContains(r, "其他事项的消息")
        other = Message.objects.get(body="其他事项的消息")
        self.assertEqual(self.client.get(reverse("notify:message_detail", args=[other.pk])).status_code, 404)
        # The clerk who took both in sees both (the first responder sees the matter); so does the bureau.
        for user in (self.sm_clerk, self.sm_supervisor):
            self.client.force_login(user)
            r = self.client.get(self.url)
            self.assertContains(r, "律所事项的消息")
            self.assertContains(r, "其他事项的消息")
        self.client.force_login(self.hl_supervisor)
        self.assertNotContains(self.client.get(self.url), "律所事项的消息")

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
        self.client.force_login(self.sm_supervisor)
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
        self.client.force_login(self.sm_supervisor)
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
        self.client.force_login(self.sm_handler)  # a legal-aid centre: no region's messages
        self.assertEqual(self.client.post(url).status_code, 404)
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
