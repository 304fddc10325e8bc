"""inserts.insert stands in for save(force_insert=True) on the intake's hot path: the same row, or a refusal."""

from __future__ import annotations

import copy
import datetime as dt
import warnings
from typing import Any
from unittest import mock

from django.db import IntegrityError, connection, models, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy

from fawang.lib import inserts
from fawang.matters.models import Matter, MatterEvent, Person
from fawang.matters.tests.base import MatterTestCase, id_number
from fawang.notify.models import Message


def _row(model: type[models.Model], pk: Any, *leave_out: str) -> dict[str, Any]:
    """The row as stored, but its id, the columns named and those stamped with the time of saving."""
    stamped = {
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    row = model._default_manager.filter(pk=pk).values().get()
    return {k: v for k, v in row.items() if k not in {"id", *leave_out, *stamped}}


class InsertTestCase(MatterTestCase):
    def test_a_matter_its_event_and_its_message_are_the_rows_save_makes(self) -> None:
        matter = self.submit()  # inserted by the intake action
        twin = copy.copy(matter)
        twin.pk = None
        twin._state = models.base.ModelState()
        twin.tracking_no = matter.tracking_no[:-1] + ("X" if matter.tracking_no[-1] != "X" else "Y")
        twin.save(force_insert=True)
        self.assertNotEqual(twin.pk, matter.pk)
        self.assertEqual(_row(Matter, matter.pk, "tracking_no"), _row(Matter, twin.pk, "tracking_no"))

        event = MatterEvent.objects.get(matter=matter)
        self.assertEqual(event.payload["channel"], "window")  # JSON goes in as save() puts it
        saved = MatterEvent(
            **{f.attname: getattr(event, f.attname) for f in MatterEvent._meta.concrete_fields}
        )
        saved.pk = None
        saved.save()
        self.assertEqual(_row(MatterEvent, event.pk), _row(MatterEvent, saved.pk))

        message = Message.objects.get(related_id=str(matter.pk), channel="sms")
        again = Message(**{f.attname: getattr(message, f.attname) for f in Message._meta.concrete_fields})
        again.pk = None
        again.dedupe_key = "another key"
        inserts.insert(again)
        self.assertEqual(again._state.adding, False)
        self.assertEqual(_row(Message, message.pk, "dedupe_key"), _row(Message, again.pk, "dedupe_key"))

    def test_an_auto_now_add_column_gets_its_time(self) -> None:
        matter = self.submit()
        message = Message(channel="inapp", kind="matter.submitted", body="正文", user=self.sm_clerk)
        inserts.insert(message)
        self.assertIsNotNone(message.created_at)
        self.assertEqual(Message.objects.get(pk=message.pk).created_at, message.created_at)
        self.assertGreater(message.pk, 0)
        self.assertTrue(Matter.objects.filter(pk=matter.pk).exists())

    def test_a_clash_fails_the_insert_and_marks_the_transaction(self) -> None:
        matter = self.submit()
        clash = copy.copy(matter)
        clash.pk = None
        clash._state = models.base.ModelState()
        with self.assertRaises(IntegrityError), transaction.atomic():
            try:
                inserts.insert(clash)  # the same tracking number
            except IntegrityError:
                # Caught inside the block, the error still rolls it back, as save() makes sure.
                self.assertTrue(transaction.get_connection().needs_rollback)
                raise

    def test_a_person_prepared_as_its_save_does_is_the_row_save_makes(self) -> None:
        given = {"name": "陈建华", "phone": "137 0000 0001", "id_number": id_number(seq="401").lower()}
        by_save = Person(**given)
        by_save.save()
        saved = _row(Person, by_save.pk)
        self.assertEqual(saved["id_number_hash"], Person.hash_id_number(id_number(seq="401")))
        by_save.delete()  # the ID number is unique
        by_hand = Person(**given)
        by_hand.prepare_for_save()
        inserts.insert(by_hand, prepared=True)
        self.assertEqual(
            _row(Person, by_hand.pk, "id_number"), {k: v for k, v in saved.items() if k != "id_number"}
        )
        # Encrypted, so compared as read back: normalized.
        self.assertEqual(Person.objects.get(pk=by_hand.pk).id_number, id_number(seq="401"))

    def test_it_refuses_what_save_would_do_more_for(self) -> None:
        # Its own save() not said to be done (the person's ID number hash), or said for a model without one; a
        # saved row; a receiver of the model's signals.
        with self.assertRaises(TypeError):
            inserts.insert(Person(name="陈建华"))
        with self.assertRaises(TypeError):
            inserts.insert(
                Message(channel="inapp", kind="matter.submitted", body="正文", user=self.sm_clerk),
                prepared=True,
            )
        message = Message(channel="inapp", kind="matter.submitted", body="正文", user=self.sm_clerk)
        inserts.insert(message)
        with self.assertRaises(TypeError):
            inserts.insert(message)
        for signal in (pre_save, post_save):

            def receiver(**kwargs: Any) -> None:
                pass

            signal.connect(receiver, sender=Message, weak=False, dispatch_uid="test-inserts")
            try:
                with self.assertRaises(TypeError):
                    inserts.insert(
                        Message(channel="inapp", kind="matter.submitted", body="正文", user=self.sm_clerk)
                    )
            finally:
                signal.disconnect(sender=Message, dispatch_uid="test-inserts")

    def test_the_values_are_those_each_field_makes_ready(self) -> None:
        # The shortcuts of _plan (a value taken as it is, a datetime adapted by the backend) give what each field's
        # own pre_save and get_db_prep_save give, for every column of the intake's rows and for values the
        # shortcuts pass on (an empty foreign key, a naive datetime, a lazy string, an int for a bool).
        matter = self.submit()
        event = MatterEvent.objects.filter(matter=matter).first()
        message = Message.objects.filter(related_id=str(matter.pk)).first()
        odd: Any = Message(channel="inapp", kind="matter.submitted", body="正文", user=self.sm_clerk)
        odd.body = gettext_lazy("正文")
        odd.related_id = 7
        odd.sent_at = dt.datetime(2026, 3, 2, 9, 30)  # noqa: DTZ001 -- a naive datetime, on purpose
        odd.sensitive = 1
        event_of_odd: Any = MatterEvent(matter=matter, action="comment")
        event_of_odd.old_unit_id = ""
        stamp = timezone.now()
        rows: list[models.Model | None] = [matter, event, matter.person, message, odd, event_of_odd]
        for obj in rows:
            assert obj is not None
            model: type[models.Model] = type(obj)
            fields = inserts._statement(model, connection.vendor)[1]
            with (
                self.subTest(model=model.__name__),
                mock.patch("django.utils.timezone.now", return_value=stamp),
            ):
                with warnings.catch_warnings(record=True) as ours:
                    warnings.simplefilter("always")
                    made = inserts._values(obj, model, connection)
                with warnings.catch_warnings(record=True) as theirs:
                    warnings.simplefilter("always")
                    expected = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                # Fields without a shortcut run the same code both ways (and an encrypted one differs every time).
                shortcut = [
                    how != inserts._FULL for _f, _a, how, _t in inserts._plan(model, connection.vendor)
                ]
                self.assertEqual(
                    [v for v, short in zip(made, shortcut, strict=True) if short],
                    [v for v, short in zip(expected, shortcut, strict=True) if short],
                )
                self.assertEqual([str(w.message) for w in ours], [str(w.message) for w in theirs])
