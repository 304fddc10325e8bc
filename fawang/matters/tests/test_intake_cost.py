"""What one intake POST costs in queries, and the copies that save most of them: the catalogue's
(fawang/catalog/cache.py) and the signed-in user's memberships (fawang/orgs/scoping.py). A changed routing rule,
service item or unit, and a revoked membership, take effect at the next request, in this process and in others.

The tests elsewhere run with the copy off (REFERENCE_CACHE_SECONDS = 0); these turn it on, as production has it.
"""

from __future__ import annotations

from typing import Any
from unittest import skipUnless

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.catalog import cache as catalog_cache
from fawang.catalog.models import RoutingRule
from fawang.lib import memo
from fawang.orgs import scoping
from fawang.orgs.models import Membership, Unit

from ..models import Matter
from .base import MatterTestCase, id_number


@override_settings(REFERENCE_CACHE_SECONDS=60)
class IntakeCostTestCase(MatterTestCase):
    url = reverse("matters:intake")

    def setUp(self) -> None:
        # Another test's rows (rolled back since) must not be remembered here.
        catalog_cache.forget()
        cache.delete(catalog_cache.VERSION_KEY)
        scoping.forget()
        cache.delete(scoping.VERSION_KEY)
        # Nor what these tests remember reach tests that run with the copies off.
        self.addCleanup(catalog_cache.forget)
        self.addCleanup(scoping.forget)
        self.addCleanup(memo.forget)
        self.client = Client()
        self.client.force_login(self.sm_clerk)
        self.sent = 0

    def post(self, item_id: int, **extra: Any) -> Any:
        self.sent += 1
        data = {
            "idempotency_key": f"{self.sent:032x}",
            "channel": "window",
            "name": "陈美玲",
            "phone": f"139{self.sent:08d}",
            "id_number": id_number(seq=f"{self.sent:03d}"),
            "address": "",
            "region": "350203001",
            "req-TOTAL_FORMS": "1",
            "req-INITIAL_FORMS": "0",
            "req-MIN_NUM_FORMS": "1",
            "req-MAX_NUM_FORMS": "10",
            "req-0-service_item": str(item_id),
            "req-0-description": "邻里之间因排水管道渗漏引发纠纷，申请调解。",
            **extra,
        }
        return self.client.post(self.url, data)

    def last_matter(self) -> Matter:
        return Matter.objects.select_related("unit").latest("pk")

    def test_an_intake_post_costs_a_fixed_number_of_queries(self) -> None:
        # The first of each loads the copies (the catalogue, the region, the topic the classifier names).
        self.assertEqual(self.post(self.mediation.pk).status_code, 302)
        self.assertEqual(self.post(self.consultation.pk).status_code, 302)
        # The user (the session is read from the cache: settings.SESSION_ENGINE); then in one transaction (a
        # savepoint in tests): the person look-up and insert, the matter, its event, the SMS to the person. The memberships, the service item, its route and the region
        # come from the process's copies: no membership, catalogue, rule, unit or region query (the catalogue's
        # and the memberships' version tokens are one read of the shared cache each: a query more each where
        # that cache is the database table, bench_matters), no list of the units a row may name by hand (no row
        # names one), and no line asked whether a matter being made has a home visit.
        with self.assertNumQueries(8):
            response = self.post(self.mediation.pk)
        self.assertEqual(response.status_code, 302)
        matter = self.last_matter()
        self.assertEqual((matter.service_item, matter.unit.name), (self.mediation, "厦港街道人民调解委员会"))
        # An item handled where it is taken in (no routing at all) costs the same.
        with self.assertNumQueries(8):
            self.assertEqual(self.post(self.consultation.pk).status_code, 302)
        matter = self.last_matter()
        self.assertEqual((matter.unit, matter.intake_unit), (self.sm_centre, self.sm_centre))

    @override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "fawang_cache"}
        },
        SESSION_ENGINE="django.contrib.sessions.backends.db",
    )
    def test_the_version_tokens_are_one_read_of_a_database_cache(self) -> None:
        # Without Redis the shared cache is a table (settings.CACHES), and the sessions are read from their own
        # table (settings.SESSION_ENGINE): the memberships' and the catalogue's tokens are read together, one query
        # of the cache for both.
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.assertEqual(self.post(self.mediation.pk).status_code, 302)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.post(self.mediation.pk).status_code, 302)
        reads = [q["sql"] for q in ctx.captured_queries if "fawang_cache" in q["sql"]]
        self.assertEqual(len(reads), 1)
        self.assertIn(scoping.VERSION_KEY, reads[0])
        self.assertIn(catalog_cache.VERSION_KEY, reads[0])
        # A change is still seen at the next request.
        cache.set(catalog_cache.VERSION_KEY, "changed elsewhere", timeout=None)
        RoutingRule.objects.bulk_create(
            [RoutingRule(service_item=self.mediation, region=self.region("350203"), unit=self.sm_centre)]
        )
        cache.set(catalog_cache.VERSION_KEY, "changed again", timeout=None)
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit, self.sm_centre)

    def test_a_changed_routing_rule_takes_effect_at_once(self) -> None:
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit.name, "厦港街道人民调解委员会")
        rule = RoutingRule.objects.create(
            service_item=self.mediation, region=self.region("350203"), unit=self.sm_centre
        )
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit, self.sm_centre)
        rule.is_active = False
        rule.save()
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit.name, "厦港街道人民调解委员会")
        # The unit a rule names, stopped: the rule no longer routes there.
        rule.is_active = True
        rule.save()
        self.sm_centre.is_active = False
        self.sm_centre.save()
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit.name, "厦港街道人民调解委员会")

    def test_a_stopped_service_item_is_refused_at_once(self) -> None:
        self.assertEqual(self.post(self.mediation.pk).status_code, 302)
        self.mediation.is_active = False
        self.mediation.save()
        before = Matter.objects.count()
        response = self.post(self.mediation.pk)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "选择一个有效的选项", status_code=400)
        self.assertEqual(Matter.objects.count(), before)

    def test_a_change_made_by_another_process_is_seen_by_its_token(self) -> None:
        self.post(self.mediation.pk)
        # A rule written where this process's signals do not fire (another process; here a bulk insert, which
        # sends none): the copy still routes as before ...
        RoutingRule.objects.bulk_create(
            [RoutingRule(service_item=self.mediation, region=self.region("350203"), unit=self.sm_centre)]
        )
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit.name, "厦港街道人民调解委员会")
        # ... until the shared token changes, as the other process's save makes it: the next request reloads.
        cache.set(catalog_cache.VERSION_KEY, "changed elsewhere", timeout=None)
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit, self.sm_centre)
        # A token the shared cache lost counts as a change too.
        RoutingRule.objects.filter(
            unit=self.sm_centre
        ).delete()  # signals fire: undo the bump to test the loss
        self.post(self.mediation.pk)
        self.assertEqual(self.last_matter().unit.name, "厦港街道人民调解委员会")

    def test_a_revoked_membership_counts_at_the_next_request(self) -> None:
        self.assertEqual(self.post(self.consultation.pk).status_code, 302)
        before = Matter.objects.count()
        held = list(Membership.objects.active().filter(user=self.sm_clerk))
        self.assertTrue(held)
        for membership in held:
            membership.is_active = False  # paused by a unit administrator
            membership.save()
        # No longer staff: the console is not there for them (staff_required), and nothing is taken in.
        self.assertEqual(self.post(self.consultation.pk).status_code, 404)
        self.assertEqual(Matter.objects.count(), before)
        for membership in held:
            membership.is_active = True
            membership.save()
        self.assertEqual(self.post(self.consultation.pk).status_code, 302)
        # The unit stopped: its memberships no longer count either.
        for membership in held:
            membership.unit.is_active = False
            membership.unit.save()
        self.assertEqual(self.post(self.consultation.pk).status_code, 404)
        self.assertEqual(Matter.objects.count(), before + 1)

    def test_a_membership_ended_by_another_process_counts_by_its_token(self) -> None:
        self.assertEqual(self.post(self.consultation.pk).status_code, 302)
        before = Matter.objects.count()
        # Ended where this process's signals do not fire (another process; here a bulk update, which sends
        # none): the copy is still this process's ...
        Membership.objects.filter(user=self.sm_clerk).update(is_active=False)
        self.assertEqual(self.post(self.consultation.pk).status_code, 302)
        # ... until the shared token changes, as the other process's save makes it: the next request queries.
        cache.set(scoping.VERSION_KEY, "changed elsewhere", timeout=None)
        self.assertEqual(self.post(self.consultation.pk).status_code, 404)
        # A token the shared cache lost counts as a change too.
        Membership.objects.filter(user=self.sm_clerk).update(is_active=True)
        cache.delete(scoping.VERSION_KEY)
        self.assertEqual(self.post(self.consultation.pk).status_code, 302)
        self.assertEqual(Matter.objects.count(), before + 2)

    def test_the_units_a_row_may_name_are_listed_when_the_form_is_shown_again(self) -> None:
        # A row without its description: the form comes back with the list of units to name by hand.
        response = self.post(self.mediation.pk, **{"req-0-description": ""})
        self.assertContains(response, "请填写事项描述。", status_code=400)
        self.assertContains(response, "厦港街道人民调解委员会", status_code=400)
        # A row naming a unit is checked against the same list: one the clerk may route to is taken ...
        named = self.unit("siming.xiagang.committee")
        response = self.post(
            self.mediation.pk, **{"req-0-unit": str(named.pk), "req-0-unit_reason": "当事人要求"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.last_matter().unit, named)
        # ... a unit that is not on it (a law firm receives no work this way) is refused.
        firm = Unit.objects.filter(kind=Unit.Kind.LAW_FIRM).first()
        self.assertIsNotNone(firm)
        assert firm is not None
        response = self.post(
            self.mediation.pk, **{"req-0-unit": str(firm.pk), "req-0-unit_reason": "当事人要求"}
        )
        self.assertContains(response, "选择一个有效的选项", status_code=400)


class PersonLookUpTestCase(MatterTestCase):
    """Intake finds the person by ID number, or by name and phone among the records without one, whatever the
    number of persons: the look-up reads an index, never the whole table (on PostgreSQL at 200,000 persons the
    table scan cost 22 ms of every intake; bench_matters)."""

    @skipUnless(connection.vendor == "postgresql", "the plan is PostgreSQL's")
    def test_the_look_up_is_answered_from_indexes(self) -> None:
        from ..actions.intake import resolve_person

        with CaptureQueriesContext(connection) as ctx:
            resolve_person(self.person(name="陈建华", phone="13700000001", id_number=id_number(seq="321")))
        look_up = next(q["sql"] for q in ctx.captured_queries if 'FROM "matters_person"' in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL enable_seqscan = off"
            )  # with a few rows a scan is cheapest; is there another way?
            cursor.execute("EXPLAIN " + look_up)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertNotIn("Seq Scan", plan)
        self.assertIn("person_by_name_phone", plan)
        self.assertIn("person_unique_id_number", plan)

    def test_the_record_with_the_id_number_comes_before_records_found_by_name_and_phone(self) -> None:
        from ..actions.intake import resolve_person
        from ..models import Person

        # Registered by name and phone first (a lower id), then by ID number with another phone.
        by_phone = Person.objects.create(name="陈建华", phone="13700000002")
        Person.objects.create(name="陈建华", phone="13700000002")
        by_id = Person.objects.create(name="陈建华", phone="13900000003", id_number=id_number(seq="322"))
        found = resolve_person(
            self.person(name="陈建华", phone="13700000002", id_number=id_number(seq="322"))
        )
        self.assertEqual(found.pk, by_id.pk)
        self.assertEqual(found.phone, "13700000002")  # the phone given now is recorded on it
        # Without an ID number: the first of the records found by name and phone.
        self.assertEqual(
            resolve_person(self.person(name="陈建华", phone="13700000002", id_number="")).pk, by_phone.pk
        )
        # An ID number no record has: the first record found by name and phone gets it.
        found = resolve_person(
            self.person(name="陈建华", phone="13700000002", id_number=id_number(seq="323"))
        )
        self.assertEqual(found.pk, by_phone.pk)
        self.assertEqual(Person.objects.get(pk=by_phone.pk).id_number, id_number(seq="323"))
        self.assertEqual(Person.objects.filter(name="陈建华").count(), 3)
