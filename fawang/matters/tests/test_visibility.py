"""Who sees which matters (region scope, own units, own handling), the same 404 for missing and not yours,
and personal data: encrypted at rest, found by keyed hash, masked in lists, logged when revealed."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from fawang.lib import crypto

from .. import access, actions
from ..models import AccessLog, Matter, Person
from .base import MONDAY, MatterTestCase, id_number


class VisibilityTestCase(MatterTestCase):
    def test_region_scope(self) -> None:
        matter = self.submit()
        for user in (self.sm_clerk, self.sm_supervisor, self.sm_handler, self.xm_supervisor, self.sysadmin):
            with self.subTest(user=user.username):
                self.assertEqual(access.get_matter_for_user(user, matter.pk), matter)
        for user in (self.hl_clerk, self.hl_supervisor, self.xy_handler, self.citizen):
            with self.subTest(user=user.username), self.assertRaises(Http404):
                access.get_matter_for_user(user, matter.pk)
        with self.assertRaises(Http404):
            access.get_matter_for_user(self.sm_clerk, matter.pk + 10_000)

    def test_a_matter_transferred_to_another_district_is_seen_there_by_unit(self) -> None:
        matter = self.submit()
        actions.do_transfer(matter.pk, actor=self.sm_handler, unit=self.hl_legal_aid, reason="管辖")
        self.assertEqual(access.get_matter_for_user(self.hl_handler, matter.pk), matter)
        with self.assertRaises(Http404):
            access.get_matter_for_user(self.hl_clerk, matter.pk)  # other Huli units do not

    def test_by_tracking_number(self) -> None:
        matter = self.submit()
        typed = matter.tracking_no.lower()
        self.assertEqual(access.get_matter_by_tracking_no_for_user(self.sm_clerk, typed), matter)
        with self.assertRaises(Http404):
            access.get_matter_by_tracking_no_for_user(self.hl_clerk, matter.tracking_no)
        with self.assertRaises(Http404):
            # A wrong check character (never the right one, which would find the matter).
            wrong = "2" if matter.tracking_no[-1] != "2" else "3"
            access.get_matter_by_tracking_no_for_user(self.sm_clerk, matter.tracking_no[:-1] + wrong)

    def test_the_public_see_only_their_own(self) -> None:
        matter = self.submit()
        with self.assertRaises(Http404):
            access.get_own_matter(self.citizen, matter.tracking_no)
        Matter.objects.filter(pk=matter.pk).update(submitted_by=self.citizen)
        self.assertEqual(access.get_own_matter(self.citizen, matter.tracking_no), matter)

    def test_visible_to_is_one_query(self) -> None:
        self.submit()
        user = self.sm_clerk
        list(Matter.objects.visible_to(user)[:1])  # warms the per-request caches on the user
        with CaptureQueriesContext(connection) as ctx:
            list(Matter.objects.visible_to(user).select_related("service_item", "unit")[:20])
        self.assertEqual(len(ctx.captured_queries), 1)


class PersonalDataTestCase(MatterTestCase):
    def test_id_number_is_encrypted_at_rest_and_found_by_hash(self) -> None:
        number = id_number(born="19590101", seq="100")
        self.assertTrue(number.endswith("X"))  # typed in lower case below
        matter = self.submit(person=self.person(id_number=number.lower()))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id_number, id_number_hash FROM matters_person WHERE id = %s", [matter.person_id]
            )
            raw, digest = cursor.fetchone()
        self.assertNotIn(number, raw)
        self.assertNotIn(number[6:14], raw)
        self.assertTrue(raw.startswith("gAAAAA"))  # a Fernet token
        self.assertEqual(crypto.decrypt(raw), number)
        self.assertEqual(len(digest), 64)
        self.assertNotEqual(digest, hashlib.sha256(number.encode()).hexdigest())  # keyed, not a plain hash
        self.assertEqual(Person.objects.by_id_number(number).get(), matter.person)
        self.assertEqual(Person.objects.by_id_number(number.lower()).get(), matter.person)
        person = Person.objects.get(pk=matter.person_id)
        self.assertEqual(person.id_number, number)
        self.assertEqual(person.id_number_masked, number[:6] + "********" + number[-4:])
        self.assertEqual(person.phone_masked, "139****5678")

    def test_the_encrypted_column_cannot_be_searched_by_mistake(self) -> None:
        from django.core.exceptions import FieldError

        with self.assertRaises(FieldError):
            list(Person.objects.filter(id_number=id_number()))

    def test_other_matters_of_the_same_person(self) -> None:
        a = self.submit()
        b = self.submit(self.mediation, person=self.person(phone="13700000001"))
        found = Matter.objects.filter(person__in=Person.objects.by_id_number(id_number())).order_by("pk")
        self.assertEqual(list(found), [a, b])

    def test_reveal_writes_the_access_log(self) -> None:
        matter = self.submit()
        with self.assertRaises(ValidationError) as ctx:
            actions.reveal_person(matter.person_id, actor=self.sm_handler, purpose=" ", matter=matter)
        self.assertEqual(ctx.exception.messages, ["请说明查看个人信息的事由。"])
        person = actions.reveal_person(
            matter.person_id, actor=self.sm_handler, purpose="审查经济困难状况", matter=matter, ip="127.0.0.1"
        )
        self.assertEqual(person.id_number, id_number())
        log = AccessLog.objects.get(matter=matter)
        self.assertEqual(
            (log.user, log.username, log.person_id, log.matter_id, log.purpose, log.ip),
            (self.sm_handler, "sm_handler", matter.person_id, matter.pk, "审查经济困难状况", "127.0.0.1"),
        )
        with self.assertRaises(PermissionDenied):
            actions.reveal_person(matter.person_id, actor=self.sm_admin, purpose="好奇", matter=matter)
        self.assertEqual(AccessLog.objects.filter(matter=matter).count(), 1)

    def test_person_visible_through_their_matters(self) -> None:
        matter = self.submit()
        self.assertEqual(access.get_person_for_user(self.sm_clerk, matter.person_id), matter.person)
        with self.assertRaises(Http404):
            access.get_person_for_user(self.hl_clerk, matter.person_id)

    def test_linking_an_account_shows_all_the_persons_matters(self) -> None:
        a = self.submit()
        b = self.submit(self.mediation)
        self.assertFalse(Matter.objects.of_public_user(self.citizen).exists())
        with self.assertRaises(PermissionDenied):
            actions.do_link_account(
                a.person_id, actor=self.sm_handler, user=self.citizen, unit=self.hl_legal_aid
            )
        actions.do_link_account(a.person_id, actor=self.sm_clerk, user=self.citizen, unit=self.station)
        self.assertEqual(set(Matter.objects.of_public_user(self.citizen)), {a, b})
        with self.assertRaises(ValidationError) as ctx:
            actions.do_link_account(a.person_id, actor=self.sm_clerk, user=self.sm_handler, unit=self.station)
        self.assertEqual(ctx.exception.messages, ["只能关联公众用户账号。"])
        # In-app notices now reach the account.
        actions.do_accept(a.pk, actor=self.sm_handler, now=MONDAY)
        self.assertEqual(
            [m.user for m in self.messages(a, "matter.accepted") if m.channel == "inapp"], [self.citizen]
        )


class TimelineTestCase(MatterTestCase):
    def test_the_person_sees_visible_events_as_sentences(self) -> None:
        matter = self.submit()
        actions.do_comment(matter.pk, actor=self.sm_handler, text="内部：核查收入。")
        actions.do_request_materials(
            matter.pk, actor=self.sm_handler, missing=["身份证明", "工资凭证"], now=MONDAY
        )
        actions.do_supply_materials(matter.pk, actor=self.sm_clerk, now=MONDAY)
        actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler, now=MONDAY)
        actions.do_complete(matter.pk, actor=self.sm_handler, result="已代理仲裁。", now=MONDAY)
        self.assertEqual(
            [e.summary for e in matter.visible_events()],
            [
                "已提交，由思明区法律援助中心办理",
                "请补正以下材料：身份证明、工资凭证",
                "已补正材料",
                "思明区法律援助中心已受理",
                "已指派承办人",
                "已办结。办理结果：已代理仲裁。",
            ],
        )
        self.assertEqual({e.actor_label for e in matter.visible_events()}, {"思明区法律援助中心"})
