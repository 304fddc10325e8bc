"""manage.py simulate_calls: its streams go through the real endpoint and make calls, missed ones callbacks."""

from __future__ import annotations

import io
import json
import random
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.test import Client

from .. import simulator
from ..models import Call, CallbackTask, CallEvent
from .base import HotlineTestCase


class FakeResponse(io.BytesIO):
    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


class SimulatorTestCase(HotlineTestCase):
    def through_the_endpoint(self, request: Any, timeout: float = 0) -> FakeResponse:
        """The command's HTTP request, answered by the site under test."""
        path = request.full_url.split("127.0.0.1:8000", 1)[1]
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.header_items()}
        headers.pop("HTTP_CONTENT_TYPE", None)
        response = Client().post(path, request.data, content_type="application/json", **headers)
        assert response.status_code == 200, response.content
        return FakeResponse(response.content)

    def test_a_stream_of_calls(self) -> None:
        with mock.patch("urllib.request.urlopen", self.through_the_endpoint):
            call_command(
                "simulate_calls",
                "--calls",
                "40",
                "--speed",
                "0",
                "--seed",
                "s1",
                # "=" keeps a token that happens to begin with "-" from being read as an option.
                f"--token={self.token}",
                stdout=io.StringIO(),
            )
        calls = Call.objects.filter(system=self.system)
        self.assertEqual(calls.count(), 40)
        self.assertFalse(calls.filter(status__in=["ringing", "answered"]).exists())
        answered = calls.filter(status="ended").count()
        self.assertGreater(answered, 20)
        unanswered = calls.filter(status__in=["missed", "abandoned"]).count()
        self.assertEqual(answered + unanswered, 40)
        # Every missed or abandoned call gets a callback, except those the PBX forwarded to another line.
        rung_back = calls.filter(status__in=["missed", "abandoned"]).exclude(cause="forwarded")
        self.assertEqual(
            set(CallbackTask.objects.values_list("call_id", flat=True)), {c.pk for c in rung_back}
        )
        self.assertTrue(rung_back.exists())
        self.assertTrue(calls.exclude(satisfaction=None).exists())

    def test_single_events_signed(self) -> None:
        from .. import actions

        _system, token, secret = actions.do_create_system(actor=None, unit=self.xm_centre, name="签名")
        with mock.patch("urllib.request.urlopen", self.through_the_endpoint):
            for args in (
                ["--event", "newCall", "--call-id", "one", "--from", "13912345678"],
                ["--event", "answer", "--call-id", "one", "--extension", "8001"],
                ["--event", "hangup", "--call-id", "one"],
            ):
                call_command(
                    "simulate_calls", f"--token={token}", f"--secret={secret}", *args, stdout=io.StringIO()
                )
        call = Call.objects.get(call_id="one")
        self.assertEqual((call.status, call.extension, call.caller), ("ended", "8001", "13912345678"))
        self.assertEqual(CallEvent.objects.filter(call=call).count(), 3)

    def test_streams_are_time_ordered_and_repeatable(self) -> None:
        first = list(simulator.stream(random.Random(7), 15, 10, ["8001"], "x"))
        again = list(simulator.stream(random.Random(7), 15, 10, ["8001"], "x"))
        self.assertEqual(json.dumps([s.data for s in first]), json.dumps([s.data for s in again]))
        self.assertTrue(all(step.delay >= 0 for step in first))
        seen: dict[str, list[str]] = {}
        for step in first:
            seen.setdefault(step.data["callId"], []).append(step.data["event"])
        for events in seen.values():
            self.assertEqual(events[0], "newCall")
            self.assertEqual(events[-1] if events[-1] != "rating" else events[-2], "hangup")
