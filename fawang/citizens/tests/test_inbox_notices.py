"""Issue 14, item 4: the notices of a matter the person applied for online (a legal-aid application, whose applicant
is a person record staff have not linked to the account) reach the account's inbox, not only the SMS; and /me/
links the inbox with the number of unread messages."""

from __future__ import annotations

from django.urls import reverse

from fawang.matters import actions as matter_actions
from fawang.notify.models import Message

from .base import CitizenTestCase


class InboxNoticesTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.make_citizen("13711117777")
        self.client.force_login(self.user)

    def apply_online(self) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            result = matter_actions.do_submit(
                actor=self.user,
                person=self.person(name="林晓燕", phone="13711117777"),
                requests=[
                    matter_actions.MatterRequest(
                        self.legal_aid, "公司拖欠工资，申请法律援助。", self.region("350203001")
                    )
                ],
                channel="web",
            )
        matter = result.matters[0]
        self.assertIsNone(matter.person.user_id)  # not linked: staff link it after checking identity
        return matter.pk

    def test_the_applications_notices_are_in_the_inbox(self) -> None:
        pk = self.apply_online()
        sent = Message.objects.filter(kind="matter.submitted", related_id=str(pk))
        self.assertEqual(sorted(m.channel for m in sent), ["inapp", "sms"])
        self.assertEqual(sent.get(channel="inapp").user, self.user)
        page = self.client.get(reverse("notify_inbox:inbox"))
        self.assertContains(page, "法律援助申请")
        self.assertEqual(page.context["unread"], 1)

    def test_me_links_the_inbox_with_the_unread_count(self) -> None:
        page = self.client.get(reverse("me:home"))
        self.assertContains(page, f'href="{reverse("notify_inbox:inbox")}"')
        self.apply_online()
        page = self.client.get(reverse("me:home"))
        self.assertContains(page, "我的消息（1 条未读）")
