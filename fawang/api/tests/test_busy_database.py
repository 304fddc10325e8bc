"""A database too busy to take a write (SQLite's lock wait past its busy timeout, a PostgreSQL lock timeout or
deadlock) answers 503 with Retry-After and saves nothing; the client's resend with the same Idempotency-Key then
does the work once. Found by bench/bench_faults.py, where such requests answered 500 and a sign-in code could be
sent while its answer was lost."""

from __future__ import annotations

from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse

from fawang.apikit.busy import BusyDatabaseMiddleware
from fawang.apikit.models import IdempotencyRecord
from fawang.citizens.models import PhoneCode
from fawang.lib.busy import is_busy
from fawang.notify.models import Message

from .base import ApiTestCase

PHONE = "13912340099"
LOCKED = OperationalError("database is locked")


class BusyAnswerTests(ApiTestCase):
    def test_an_answer_that_cannot_be_stored_undoes_the_action_and_the_resend_does_it_once(self) -> None:
        url = reverse("api:me_sign_in_code")
        with mock.patch.object(IdempotencyRecord.objects, "create", side_effect=LOCKED):
            busy = self.post(self.client, url, {"phone": PHONE}, key="resend-1")
        self.assertError(busy, 503, "busy", "没有保存任何内容")
        self.assertEqual(busy["Retry-After"], "5")
        self.assertFalse(PhoneCode.objects.filter(phone=PHONE).exists())
        self.assertFalse(Message.objects.filter(phone=PHONE).exists())

        sent = self.post(self.client, url, {"phone": PHONE}, key="resend-1")
        self.assertEqual(sent.status_code, 200, sent.content)
        again = self.post(self.client, url, {"phone": PHONE}, key="resend-1")
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(PhoneCode.objects.filter(phone=PHONE).count(), 1)
        self.assertEqual(Message.objects.filter(phone=PHONE, kind="otp.login").count(), 1)


class BusyMiddlewareTests(SimpleTestCase):
    def answer(self, path: str, exception: Exception) -> HttpResponse | None:
        request = RequestFactory().post(path)
        request.user = AnonymousUser()  # set by the authentication middleware before this one
        return BusyDatabaseMiddleware(lambda r: HttpResponse()).process_exception(request, exception)

    def test_a_page_says_in_chinese_that_nothing_was_saved(self) -> None:
        response = self.answer("/console/matters/intake/", LOCKED)
        assert response is not None
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")
        text = response.content.decode()
        self.assertIn("系统繁忙", text)
        self.assertIn("没有保存任何内容", text)

    def test_postgresql_lock_errors_are_busy_and_other_errors_are_not(self) -> None:
        deadlock = OperationalError("deadlock detected")
        deadlock.__cause__ = type("DeadlockDetected", (Exception,), {"sqlstate": "40P01"})()
        self.assertTrue(is_busy(deadlock))
        self.assertFalse(is_busy(OperationalError("no such table: matters_matter")))
        self.assertFalse(is_busy(ValueError("database is locked")))
        self.assertIsNone(self.answer("/api/v1/matters/", OperationalError("no such column")))
