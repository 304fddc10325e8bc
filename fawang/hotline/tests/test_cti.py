"""The CTI endpoint: events in order and out of order, resent events, bad tokens and signatures, masking."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .. import actions, cti, hotpath
from ..models import Call, CallbackTask, CallEvent
from .base import CALLER, HotlineTestCase


class CtiEventsTestCase(HotlineTestCase):
    def test_a_call_in_order(self) -> None:
        self.seat_in()
        self.assertEqual(self.ring("c1").json()["status"], "ringing")
        self.assertEqual(self.answer("c1", seconds=12).json()["status"], "answered")
        response = self.hangup("c1", seconds=192, recordingUrl="https://pbx.example/rec/c1.wav")
        self.assertEqual(response.status_code, 200)
        call = self.call("c1")
        self.assertEqual(call.status, Call.Status.ENDED)
        self.assertEqual((call.wait_seconds, call.talk_seconds), (12, 180))
        self.assertEqual(call.agent, self.xm_agent)
        self.assertEqual(call.extension, "8001")
        self.assertEqual(call.queue, "法律咨询")
        self.assertEqual(call.caller, CALLER)
        self.assertEqual(call.recording_url, "https://pbx.example/rec/c1.wav")
        self.assertEqual(call.unit, self.xm_centre)
        self.assertFalse(CallbackTask.objects.filter(call=call).exists())
        self.post({"event": "rating", "callId": "c1", "digit": "2", "timestamp": self.at(200)})
        self.assertEqual(self.call("c1").satisfaction, 2)

    def test_a_resent_event_changes_nothing(self) -> None:
        self.ring("c2")
        self.answer("c2", seconds=5)
        first = self.call("c2")
        again = self.answer("c2", seconds=50, extension="9999")
        self.assertEqual(again.status_code, 200)
        self.assertTrue(again.json()["duplicate"])
        self.assertEqual(CallEvent.objects.filter(call=first).count(), 2)
        call = self.call("c2")
        self.assertEqual(
            (call.answered_at, call.extension, call.wait_seconds), (first.answered_at, "8001", 5)
        )

    def test_events_out_of_order_give_the_same_call(self) -> None:
        self.seat_in()
        self.hangup("late", seconds=100)
        self.answer("late", seconds=40)
        self.ring("late", seconds=10)
        self.ring("ordered", seconds=10)
        self.answer("ordered", seconds=40)
        self.hangup("ordered", seconds=100)
        fields = [
            "status",
            "rang_at",
            "answered_at",
            "ended_at",
            "wait_seconds",
            "talk_seconds",
            "agent_id",
            "queue",
        ]
        late = Call.objects.filter(call_id="late").values(*fields).get()
        ordered = Call.objects.filter(call_id="ordered").values(*fields).get()
        self.assertEqual(late, ordered)
        self.assertEqual((late["wait_seconds"], late["talk_seconds"]), (30, 60))
        self.assertFalse(CallbackTask.objects.filter(call__call_id="late", status="open").exists())

    def test_a_hangup_for_an_unknown_call(self) -> None:
        """Kept (its newCall may still come); with no number there is nobody to ring back."""
        response = self.hangup("ghost", seconds=30, cause="noAnswer")
        self.assertEqual(response.status_code, 200)
        call = self.call("ghost")
        self.assertEqual(call.status, Call.Status.MISSED)
        self.assertEqual(call.caller, "")
        self.assertFalse(CallbackTask.objects.filter(call=call).exists())
        # The newCall arrives late: now the number is known and the missed call gets its callback.
        self.ring("ghost", seconds=0)
        call = self.call("ghost")
        self.assertEqual((call.status, call.wait_seconds), (Call.Status.MISSED, 30))
        self.assertEqual(CallbackTask.objects.get(call=call).status, CallbackTask.Status.OPEN)

    def test_a_late_newcall_and_a_resent_one(self) -> None:
        """A newCall is tried as its call's first event (an insert that does nothing when the call exists): a late
        one still completes the call, a resent one is a duplicate."""
        self.seat_in()
        self.answer("n1", seconds=25)
        response = self.ring("n1", seconds=5)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["duplicate"])
        again = self.ring("n1", seconds=9, number="13800000000")
        self.assertTrue(again.json()["duplicate"])
        call = self.call("n1")
        self.assertEqual((call.status, call.wait_seconds, call.caller), (Call.Status.ANSWERED, 20, CALLER))
        self.assertEqual((call.extension, call.agent), ("8001", self.xm_agent))
        self.assertEqual(CallEvent.objects.filter(call=call).count(), 2)
        self.assertEqual(Call.objects.filter(call_id="n1").count(), 1)

    def test_a_late_answer_withdraws_the_callback(self) -> None:
        self.ring("c3")
        self.hangup("c3", seconds=30, cause="cancel")
        self.assertEqual(self.call("c3").status, Call.Status.ABANDONED)
        self.assertEqual(CallbackTask.objects.get(call__call_id="c3").status, CallbackTask.Status.OPEN)
        self.answer("c3", seconds=8)
        self.assertEqual(self.call("c3").status, Call.Status.ENDED)
        self.assertEqual(CallbackTask.objects.get(call__call_id="c3").status, CallbackTask.Status.CANCELLED)

    def test_form_encoded_events_as_zammad_scripts_post_them(self) -> None:
        response = self.post(
            {
                "event": "newCall",
                "from": "+86 139-1234-5678",
                "to": "12348",
                "direction": "in",
                "callId": "f1",
                "user[]": ["xm_agent", "sm_agent"],
            },
            form=True,
        )
        self.assertEqual(response.status_code, 200, response.content)
        call = self.call("f1")
        self.assertEqual(call.caller, CALLER)
        self.assertEqual(CallEvent.objects.get(call=call).payload["user"], ["xm_agent", "sm_agent"])
        # Multipart form data (what some HTTP clients send for a dict) is read the same way.
        url = reverse("api:hotline_cti", args=[self.token])
        response = self.pbx.post(url, {"event": "answer", "callId": "f1", "answeringNumber": "8001"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.call("f1").extension, "8001")

    def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(self) -> None:
        cases = [
            ({"event": "ring", "callId": "x"}, "未知的事件类型"),
            ({"event": "newCall"}, "缺少 callId"),
            ({"event": "newCall", "callId": "x", "direction": "sideways"}, "direction 应为 in 或 out"),
            ({"event": "rating", "callId": "x", "digit": "9"}, "满意度按键应为 1、2 或 3"),
            ({"event": "hangup", "callId": "x", "recordingUrl": "javascript:alert(1)"}, "录音地址"),
            ({"event": "newCall", "callId": "x", "timestamp": "yesterday"}, "时间戳格式不正确"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self.post(data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["detail"])
        url = reverse("api:hotline_cti", args=[self.token])
        response = self.pbx.post(url, "{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Call.objects.exists())
        # GET reads the IVR menu (test_setup.py); other methods are refused.
        self.assertEqual(self.pbx.put(url).status_code, 405)


class CtiCostTestCase(HotlineTestCase):
    def test_an_event_costs_a_fixed_handful_of_queries(self) -> None:
        """The endpoint's hot path (bench/bench_hotline.py): the same queries for each kind of event whatever the
        caller's history, and a resend costs less than the first copy."""

        def cost(send: Any) -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(send().status_code, 200)
            return len(queries)

        first = [
            cost(lambda: self.ring("k0")),
            cost(lambda: self.answer("k0", seconds=5)),
            cost(lambda: self.hangup("k0", seconds=60)),
        ]
        for i in range(1, 6):  # the same number calls again and again
            self.ring(f"k{i}", seconds=100 * i)
            self.answer(f"k{i}", seconds=100 * i + 5)
            self.hangup(f"k{i}", seconds=100 * i + 60)
        later = [
            cost(lambda: self.ring("k9", seconds=900)),
            cost(lambda: self.answer("k9", seconds=905)),
            cost(lambda: self.hangup("k9", seconds=960)),
        ]
        self.assertEqual(first, later)
        # With the test's own savepoint around each request (2 statements) and the system read each time (the
        # per-process copy is off in tests: SystemCopyTestCase): a newCall inserts its call and its event; the
        # answer locks the call and reads its events, looks the answering seat up, inserts the event and updates
        # the call; the hang-up of an answered call does not look the seat up again. On PostgreSQL the lock and
        # the events read go to the server together, and so do the insert and the update (hotpath.together).
        pairs = 1 if hotpath.together() else 2
        # A newCall's call and event are one statement on PostgreSQL (hotpath.single_statement_insert), and need no
        # transaction there (so no savepoint either).
        ring = 1 + 1 if hotpath.single_statement_insert() else 2 + 1 + 2
        self.assertEqual(first, [ring, 2 + 1 + pairs + 1 + pairs, 2 + 1 + pairs + pairs])
        # A resend: the call locked and its events read, nothing written.
        with CaptureQueriesContext(connection) as queries:
            self.assertTrue(self.hangup("k9", seconds=960).json()["duplicate"])
        self.assertEqual(len(queries), 2 + 1 + pairs)
        self.assertFalse([q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))])


class HotPathTestCase(HotlineTestCase):
    """The SQL written by hand for the endpoint (hotpath.py) reads and writes what the ORM does."""

    def test_it_reads_the_call_and_its_events_as_the_orm_does(self) -> None:
        self.seat_in()
        self.ring("h1")
        self.answer("h1", seconds=7)
        self.hangup("h1", seconds=70, recordingUrl="https://pbx.example/rec/h1.wav")
        with CaptureQueriesContext(connection) as queries:
            found = hotpath.lock_call(self.system.pk, "h1")
        assert found is not None
        locked, events = found
        if connection.features.has_select_for_update:
            self.assertIn("FOR UPDATE", queries.captured_queries[0]["sql"])
        orm = Call.objects.get(system=self.system, call_id="h1")
        for field in hotpath.CALL_READ:
            with self.subTest(field=field.name):
                self.assertEqual(getattr(locked, field.attname), getattr(orm, field.attname))
        self.assertEqual(locked.caller, CALLER)  # not read with the call: loaded (decrypted) when asked for
        stored = {e.kind: (e.occurred_at, e.payload) for e in CallEvent.objects.filter(call=orm)}
        self.assertEqual({k: (e.occurred_at, e.payload) for k, e in events.items()}, stored)
        self.assertIsNone(hotpath.lock_call(self.system.pk, "no-such-call"))

    def test_a_call_made_meanwhile_is_not_inserted_twice(self) -> None:
        self.ring("r1")
        twin = Call(system=self.system, unit=self.xm_centre, call_id="r1", rang_at=timezone.now())
        ring = CallEvent(kind="newCall", occurred_at=timezone.now(), payload={})
        self.assertFalse(hotpath.insert_call(twin, ring))
        self.assertIsNone(twin.pk)
        self.assertEqual(Call.objects.filter(call_id="r1").count(), 1)
        self.assertEqual(CallEvent.objects.filter(call__call_id="r1").count(), 1)


@override_settings(REFERENCE_CACHE_SECONDS=60)
class SystemCopyTestCase(HotlineTestCase):
    """With the per-process copies on, as production has them (the tests elsewhere read the system each time)."""

    def setUp(self) -> None:
        super().setUp()
        cti.forget_systems()
        self.addCleanup(cti.forget_systems)

    def test_the_system_is_read_once_and_a_change_is_seen_at_the_next_event(self) -> None:
        self.ring("v1")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.answer("v1", seconds=5).status_code, 200)
        self.assertFalse([q for q in queries.captured_queries if "hotline_ctisystem" in q["sql"]])
        # A new token (rotated on the setup page): the old one is refused at once, the new one works.
        self.system.token_hash = cti.token_hash("rotated-token")
        self.system.save(update_fields=["token_hash"])
        hangup = {"event": "hangup", "callId": "v1", "cause": "normalClearing", "timestamp": self.at(60)}
        self.assertEqual(self.post(hangup).status_code, 401)
        self.assertEqual(self.post(hangup, token="rotated-token").status_code, 200)
        # Stopped: its next event is refused and nothing is stored.
        self.system.is_active = False
        self.system.save(update_fields=["is_active"])
        response = self.post({"event": "rating", "callId": "v1", "digit": "1"}, token="rotated-token")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(CallEvent.objects.filter(call__call_id="v1").count(), 3)
        self.assertIsNone(self.call("v1").satisfaction)


class CtiAuthTestCase(HotlineTestCase):
    def test_an_unknown_token_is_401_and_nothing_is_stored(self) -> None:
        response = self.post({"event": "newCall", "callId": "a", "from": CALLER}, token="not-a-token")
        self.assertEqual(response.status_code, 401)
        self.assertIn("推送令牌无效", response.json()["detail"])
        self.system.is_active = False
        self.system.save()
        self.assertEqual(self.ring("a").status_code, 401)
        self.assertFalse(Call.objects.exists())

    def test_signatures(self) -> None:
        system, token, secret = actions.do_create_system(actor=None, unit=self.xm_centre, name="签名系统")
        body = json.dumps({"event": "newCall", "callId": "s1", "from": CALLER, "direction": "in"}).encode()
        url = reverse("api:hotline_cti", args=[token])

        def send(headers: dict[str, Any], payload: bytes = body) -> int:
            return self.pbx.post(url, payload, content_type="application/json", **headers).status_code

        self.assertEqual(send({}), 401)  # unsigned
        self.assertEqual(send(self.signed_headers(body, "wrong-secret")), 401)
        self.assertEqual(send(self.signed_headers(body, secret, skew=-600)), 401)  # stale
        tampered = body.replace(b"s1", b"s2")
        self.assertEqual(send(self.signed_headers(body, secret), tampered), 401)
        self.assertFalse(Call.objects.filter(system=system).exists())
        self.assertFalse(CallEvent.objects.exists())
        self.assertEqual(send(self.signed_headers(body, secret)), 200)
        self.assertEqual(Call.objects.get(system=system).call_id, "s1")


class MaskingTestCase(HotlineTestCase):
    def test_the_number_is_encrypted_hashed_and_masked(self) -> None:
        self.seat_in()
        self.ring("m1")
        call = self.call("m1")
        with connection.cursor() as cursor:
            cursor.execute("SELECT caller, caller_hash FROM hotline_call WHERE id = %s", [call.pk])
            raw, digest = cursor.fetchone()
        self.assertNotIn(CALLER, raw)
        self.assertNotIn(CALLER, digest)
        self.assertEqual(len(digest), 64)
        self.assertNotIn(CALLER, json.dumps(list(CallEvent.objects.values_list("payload", flat=True))))
        self.assertEqual(call.caller_masked, "139****5678")
        self.client.force_login(self.xm_agent)
        for url in (reverse("hotline:pop"), reverse("hotline:call", args=[call.pk]), reverse("hotline:desk")):
            with self.subTest(url=url):
                page = self.client.get(url).content.decode()
                self.assertNotIn(CALLER, page)
        self.assertIn("139****5678", self.client.get(reverse("hotline:pop")).content.decode())
        self.client.force_login(self.xm_supervisor)
        page = self.client.get(reverse("hotline:calls")).content.decode()
        self.assertIn("139****5678", page)
        self.assertNotIn(CALLER, page)
