"""A citizen sees only their own matters: another citizen's (or a staff-registered) matter is a 404."""

from __future__ import annotations

from django.urls import reverse

from fawang.matters.models import Matter

from .. import actions
from .base import CitizenTestCase


class MyMattersTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice = self.make_citizen("13711115555", name="林晓燕", seq="501")
        self.bob = self.make_citizen("13711116666", name="郑敏", seq="502")
        region = self.region("350203001")
        self.mine = actions.do_ask(
            actor=self.alice, question="离婚后孩子抚养费怎么算？", region=region
        ).matters[0]
        self.theirs = actions.do_ask(actor=self.bob, question="邻居漏水不赔怎么办？", region=region).matters[
            0
        ]
        # A matter taken in at a window for someone with Alice's number is not hers online: it is not linked.
        self.window = self.submit(person=self.person(name="林晓燕", phone="13711115555"))
        self.client.force_login(self.alice)

    def test_the_list_shows_only_own_matters(self) -> None:
        page = self.client.get(reverse("me:matters"))
        self.assertContains(page, "离婚后孩子抚养费怎么算？")
        self.assertContains(page, reverse("me:matter", args=[self.mine.pk]))
        self.assertNotContains(page, "邻居漏水")
        self.assertNotContains(page, reverse("me:matter", args=[self.window.pk]))

    def test_other_matters_are_404(self) -> None:
        for matter in (self.theirs, self.window):
            for name in ("me:matter", "me:follow_up", "me:rate", "me:resolve"):
                with self.subTest(matter=matter.pk, name=name):
                    url = reverse(name, args=[matter.pk])
                    response = (
                        self.client.post(url, {"text": "x"}) if name != "me:matter" else self.client.get(url)
                    )
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get(reverse("me:matter", args=[999999])).status_code, 404)
        self.assertEqual(self.theirs.events.filter(note="x").count(), 0)

    def test_a_matter_linked_by_staff_shows_up(self) -> None:
        from fawang.matters.actions import do_link_account

        do_link_account(self.window.person_id, actor=self.sm_clerk, user=self.alice, unit=self.sm_centre)
        self.assertContains(
            self.client.get(reverse("me:matters")), reverse("me:matter", args=[self.window.pk])
        )

    def test_list_query_count_is_flat(self) -> None:
        for i in range(3):
            actions.do_ask(actor=self.alice, question=f"问题{i}", region=self.region("350203001"))
        self.client.get(reverse("me:matters"))  # the first request after signing in also writes the session
        # User, count, page, the consultations' thread events, their unread answers (the session is read from the
        # cache: settings.SESSION_ENGINE).
        with self.assertNumQueries(5):
            self.client.get(reverse("me:matters"))
        self.assertEqual(Matter.objects.filter(submitted_by=self.alice).count(), 4)
