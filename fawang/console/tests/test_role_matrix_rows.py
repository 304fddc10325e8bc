"""The role matrix, part 2: every row of ROWS at five positions (the tables and the personas are in test_role_matrix.py; the parts are
separate modules so that a parallel run spreads them over its workers)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fawang.console.tests.test_role_matrix import (
    LINE_MATRICES,
    PERSONAS,
    POSITIONS,
    RoleMatrixBase,
    Row,
    all_url_names,
    allowed_methods,
    expected_answer,
    rows_in_resolver,
    url_callbacks,
)
from fawang.lib import codes
from fawang.matters.tests.base import id_number
from fawang.orgs.models import Unit
from fawang.testing.world import world


class StaffUrlsMatrixBase(RoleMatrixBase):
    """Every row of ROWS, for every persona, with its object at each of the five positions: the rows are asked in
    two halves (every other row), this module's and test_role_matrix_rows_second.py's, so that a parallel run
    spreads the twenty thousand requests over two workers."""

    def setUp(self) -> None:
        super().setUp()
        self.made: dict[tuple[str, int], Any] = {}
        self.seq = 2000
        self.clients: dict[tuple[str, bool], Client | APIClient] = {}
        self.law_article()  # the law the legal-basis rows cite, outside their rolled-back POSTs

    def object_at(self, kind: str, unit: Unit) -> Any:
        key = (kind, unit.pk)
        if key not in self.made:
            self.made[key] = self.make(kind, unit)
        return self.made[key]

    def make(self, kind: str, unit: Unit) -> Any:  # noqa: C901 -- one short branch per kind of object: a flat dispatch
        import datetime as dt

        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from fawang.catalog.models import ServiceItem
        from fawang.frontdesk.models import (
            Appointment,
            RemoteVisit,
            Schedule,
            ScheduleException,
            Slot,
            WeeklyRule,
        )
        from fawang.knowledge.models import KnowledgeEntry
        from fawang.matters.models import Attachment, Callback, Matter, Rectification
        from fawang.notify.models import Message
        from fawang.orgs.models import Practitioner, Window

        now = timezone.now()
        if kind == "unit":
            return unit
        if kind == "matter":
            self.seq += 1
            return self.matter_at(unit, self.seq)
        if kind == "completed_matter":
            from fawang.matters import actions as matter_actions

            matter = self.object_at("matter", unit)
            matter_actions.do_accept(matter.pk, actor=None)
            matter_actions.do_complete(matter.pk, actor=None, result="已办结。")
            return matter
        if kind == "materials_matter":
            from fawang.matters import actions as matter_actions

            self.seq += 1
            matter = self.matter_at(unit, self.seq)
            matter_actions.do_request_materials(matter.pk, actor=None, missing=["身份证明"])
            return matter
        if kind == "region":
            return unit.region
        if kind == "village":
            from fawang.regions.models import Region

            return (
                Region.objects.filter(codes.under("code", unit.region_id), level=Region.Level.VILLAGE)
                .order_by("code")
                .first()
            )
        if kind == "person":
            return self.object_at("matter", unit).person
        if kind == "attachment":
            from django.core.files.base import ContentFile
            from django.core.files.storage import default_storage

            name = "matters/matrix/m.png"
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(b"\x89PNG\r\n\x1a\n"))
            return Attachment.objects.create(
                matter=self.object_at("matter", unit),
                file="matters/matrix/m.png",
                original_name="m.png",
                content_type="image/png",
                size=8,
                sha256="-",
            )
        if kind == "callback":
            return Callback.objects.create(
                matter=self.object_at("matter", unit), reason=Callback.Reason.SAMPLE, unit=unit, due_at=now
            )
        if kind == "rectification":
            return Rectification.objects.create(
                matter=self.object_at("matter", unit), unit=unit, reason="矩阵", due_at=now
            )
        if kind == "application":
            from fawang.applications.models import Application

            matter = self.object_at("matter", unit)
            Application.objects.create(
                matter=matter,
                user=self.citizen,
                service_item_id=matter.service_item_id,
                status=Application.Status.SUBMITTED,
                region_id=unit.region_id,
                applicant_id_number=id_number(),
            )
            return matter
        if kind == "matter_message":
            matter = self.object_at("matter", unit)
            return Message.objects.create(
                channel="sms",
                kind="matter.accepted",
                body="-",
                phone="13800000000",
                region_code=matter.region_id,
                related_type=ContentType.objects.get_for_model(Matter),
                related_id=str(matter.pk),
                status=Message.Status.DEAD,
            )
        if kind == "message":
            return Message.objects.create(
                channel="sms",
                kind="notify.test",
                body="-",
                phone="13800000000",
                region_code=unit.region_id,
                status=Message.Status.DEAD,
            )
        if kind == "window":
            return Window.objects.create(unit=unit, kind=Window.Kind.choices[0][0], number=91)
        if kind == "practitioner":
            return Practitioner.objects.create(
                name="矩阵", kind=Practitioner.Kind.choices[0][0], unit=unit, licence_no=f"M{unit.pk}"
            )
        if kind == "entry":
            return KnowledgeEntry.objects.create(kind="faq", title="矩阵", body="-", unit=unit)
        if kind == "schedule":
            return Schedule.objects.create(unit=unit, name="矩阵")
        if kind == "rule":
            return WeeklyRule.objects.create(
                schedule=self.object_at("schedule", unit),
                weekday=0,
                start_time=dt.time(9),
                end_time=dt.time(10),
            )
        if kind == "exception":
            return ScheduleException.objects.create(
                schedule=self.object_at("schedule", unit),
                date=timezone.localdate() + dt.timedelta(days=300),
                kind="closed",
            )
        if kind in ("appointment", "appointment_past", "visit"):
            # Today's slot (checked in today), one that has ended (marked 爽约), or a prison visit waiting for
            # review (审核).
            from fawang.catalog.models import BusinessLine

            lines = [BusinessLine.REMOTE_VISIT] if kind == "visit" else list(BusinessLine.values)
            schedule = self.object_at("schedule", unit)
            starts = now - dt.timedelta(minutes=40) if kind == "appointment_past" else now
            slot = Slot.objects.create(
                schedule=schedule,
                unit=unit,
                date=timezone.localdate(starts),
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=30),
                capacity=2,
                booked=1,
            )
            appointment = Appointment.objects.create(
                number=f"M{len(kind)}-{unit.pk}",
                user=self.citizen,
                name="李四",
                phone="13800000000",
                unit=unit,
                slot=slot,
                service_item=ServiceItem.objects.filter(business_line__in=lines).order_by("pk")[0],
                reason="矩阵",
                status=Appointment.Status.PENDING if kind == "visit" else Appointment.Status.BOOKED,
            )
            if kind == "visit":
                RemoteVisit.objects.create(
                    appointment=appointment,
                    prison=world().unit("xiamen.prison"),
                    inmate_name="王五",
                    relation=RemoteVisit.Relation.SPOUSE,
                    id_number=id_number(),
                )
            return appointment
        for module in LINE_MATRICES:  # a business line's own object kinds (its tests/matrix.py)
            made = module.make(self, kind, unit) if hasattr(module, "make") else None
            if made is not None:
                return made
        raise AssertionError(kind)

    def law_article(self) -> Any:
        """第一条 of a law in the library, for the legal-basis rows."""
        from fawang.knowledge.models import Article, Law

        law, _created = Law.objects.get_or_create(
            source_id="matrix",
            defaults={
                "title": "中华人民共和国矩阵法",
                "level": Law.Level.LAW,
                "status": Law.Status.IN_FORCE,
                "chain_key": "matrix",
                "content_hash": "-",
            },
        )
        article, _created = Article.objects.get_or_create(
            law=law,
            seq=1,
            defaults={
                "label": "第一条",
                "number": 1,
                "anchor": "a1",
                "text": "为了测试，制定本法。",
                "content_hash": "-",
            },
        )
        return article

    def body(self, row: Row, obj: Any) -> dict[str, Any]:
        from fawang.orgs.models import Speciality

        data: dict[str, Any] = {}
        for key, value in row.body:
            if value == "@obj":
                value = obj.pk
            elif value == "@article":
                value = self.law_article().pk
            elif value == "@topic":
                value = Speciality.objects.exclude(pk=obj.topic_id or 0).order_by("pk")[0].pk
            data[key] = value
        return data

    def ask(self, client: Client | APIClient, name: str, row: Row, obj: Any) -> int:
        url = reverse(name, args=[obj.pk] if obj is not None and row.in_url else [])
        if row.method == "get":
            return int(client.get(url, self.body(row, obj)).status_code)
        self.seq += 1
        # The POST really acts; undo it so the next persona finds the same objects.
        with transaction.atomic():
            if name.startswith("api:"):
                response = client.post(
                    url, self.body(row, obj), format="json", HTTP_IDEMPOTENCY_KEY=f"matrix-{self.seq}"
                )
            else:
                response = client.post(url, self.body(row, obj))
            transaction.set_rollback(True)
        return int(response.status_code)

    def client_for(self, persona: str, name: str) -> Client | APIClient:
        """One signed-in console client and one API client per persona, for the whole test."""
        key = (persona, name.startswith("api:"))
        if key not in self.clients:
            if key[1]:
                self.clients[key] = self.api(self.users[persona])
            else:
                client = Client()
                client.force_login(self.users[persona])
                self.clients[key] = client
        return self.clients[key]

    def check_rows(self, half: int) -> None:
        answers: list[str] = []
        for name, row in list(rows_in_resolver(all_url_names()).items())[half::2]:
            for persona in PERSONAS:
                client = self.client_for(persona, name)
                positions = ["own"] if row.obj == "page" else list(POSITIONS)
                for index, position in enumerate(positions):
                    obj = (
                        None
                        if row.obj == "page"
                        else self.object_at(row.obj, self.units[f"{persona}:{position}"])
                    )
                    got = self.ask(client, name, row, obj)
                    want = expected_answer(row, persona, index, self.units[f"{persona}:{position}"])
                    if got != want:
                        answers.append(f"{name} {persona} {position}: {got}, declared {want}")
        self.assertEqual(answers, [], "\n" + "\n".join(answers))


class StaffUrlsMatrixTestCase(StaffUrlsMatrixBase):
    def test_every_other_row_at_five_positions(self) -> None:
        """The first half of the rows (the first, third, fifth ...)."""
        self.check_rows(0)

    def test_anonymous_public_and_the_wrong_method(self) -> None:
        """Every row's URL, with its object at the system administrator's own unit: a visitor who is not signed
        in is sent to sign in (the API: 401), a member of the public gets 404 (the console does not exist for
        them), and a POST-only URL answers GET with 405 for everybody."""
        answers: list[str] = []
        public = Client()
        public.force_login(self.citizen)
        public_api = self.api(self.citizen)
        login = reverse("accounts:login")
        views = url_callbacks()
        for name, row in rows_in_resolver(all_url_names()).items():
            obj = None if row.obj == "page" else self.object_at(row.obj, self.units["sysadmin:own"])
            url = reverse(name, args=[obj.pk] if obj is not None and row.in_url else [])
            if name.startswith("api:"):
                anonymous = getattr(APIClient(), row.method)(url).status_code
                member = getattr(public_api, row.method)(url).status_code
                if (anonymous, member) != (401, 404):
                    answers.append(f"{name}: anonymous {anonymous}, public {member}")
                continue
            response = getattr(Client(), row.method)(url)
            if response.status_code != 302 or not response["Location"].startswith(login):
                answers.append(f"{name}: anonymous {response.status_code}")
            member = getattr(public, row.method)(url).status_code
            if member != 404:
                answers.append(f"{name}: public {member}")
            methods = allowed_methods(views[name])
            if row.method == "post" and methods is not None and "GET" not in methods:
                for persona in ("aid_handler", "sysadmin"):
                    got = self.client_for(persona, name).get(url).status_code
                    if got != 405:
                        answers.append(f"{name}: GET by {persona} {got}")
        self.assertEqual(answers, [], "\n" + "\n".join(answers))
