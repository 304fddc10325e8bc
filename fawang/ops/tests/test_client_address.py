"""One client-address rule (fawang.lib.http.client_ip): X-Forwarded-For counts only from a trusted proxy, and
every limiter counts the address it gives; throttle counts live in a cache every process shares."""

from __future__ import annotations

import socket
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from fawang.api.tests.base import ApiTestCase
from fawang.citizens.models import PhoneCode
from fawang.lib.http import client_ip
from fawang.testing.commands import Commands, process_env

ROOT = Path(__file__).resolve().parents[3]
PROXY = "10.0.0.5"
STRANGER = "198.51.100.9"


def ip_of(remote: str, forwarded: str | None = None) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


class ClientIpTestCase(SimpleTestCase):
    def test_without_trusted_proxies_the_header_is_ignored(self) -> None:
        with override_settings(TRUSTED_PROXIES=[]):
            self.assertEqual(ip_of("127.0.0.1", "203.0.113.5"), "127.0.0.1")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
    def test_trusted_and_untrusted_peers(self) -> None:
        # From a trusted proxy: the address it saw.
        self.assertEqual(ip_of("127.0.0.1", "203.0.113.5"), "203.0.113.5")
        # A chain of trusted proxies is walked from the right; what the client wrote on the left is not believed.
        self.assertEqual(ip_of("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.1.2.3"), "203.0.113.5")
        # From anyone else: the peer, whatever the header says.
        self.assertEqual(ip_of(STRANGER, "203.0.113.5"), STRANGER)
        # No header from a trusted proxy: the proxy itself.
        self.assertEqual(ip_of(PROXY), PROXY)
        # Garbage stops the walk at the last address a trusted proxy vouched for.
        self.assertEqual(ip_of("127.0.0.1", "203.0.113.5, not-an-ip"), "127.0.0.1")
        # Ports and IPv6 brackets are dropped.
        self.assertEqual(ip_of("127.0.0.1", "203.0.113.5:51000"), "203.0.113.5")
        self.assertEqual(ip_of("127.0.0.1", "[2001:db8::1]:443"), "2001:db8::1")

    def test_the_setting_may_be_a_comma_separated_string(self) -> None:
        with override_settings(TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8"):
            self.assertEqual(ip_of(PROXY, "203.0.113.5"), "203.0.113.5")


def phone(n: int) -> str:
    return f"1390000{n:04d}"


@override_settings(TRUSTED_PROXIES=[PROXY], CITIZENS_SENDS_PER_HOUR_PER_IP=2)
class CodeLimitTestCase(ApiTestCase):
    def ask(self, n: int, remote: str, forwarded: str) -> Any:
        return self.post(
            self.client,
            reverse("api:me_sign_in_code"),
            {"phone": phone(n)},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    def test_behind_the_trusted_proxy_each_citizen_has_their_own_count(self) -> None:
        self.assertEqual(self.ask(1, PROXY, "203.0.113.5").status_code, 200)
        self.assertEqual(self.ask(2, PROXY, "203.0.113.5").status_code, 200)
        self.assertError(self.ask(3, PROXY, "203.0.113.5"), 429, "too_many")
        # Another citizen behind the same proxy is not blocked.
        self.assertEqual(self.ask(4, PROXY, "203.0.113.6").status_code, 200)
        self.assertEqual(
            sorted(PhoneCode.objects.values_list("ip", flat=True)),
            ["203.0.113.5", "203.0.113.5", "203.0.113.6"],
        )

    def test_an_untrusted_peer_cannot_escape_with_a_new_header_each_time(self) -> None:
        self.assertEqual(self.ask(1, STRANGER, "203.0.113.1").status_code, 200)
        self.assertEqual(self.ask(2, STRANGER, "203.0.113.2").status_code, 200)
        self.assertError(self.ask(3, STRANGER, "203.0.113.3"), 429, "too_many")
        self.assertEqual(set(PhoneCode.objects.values_list("ip", flat=True)), {STRANGER})

    def test_the_web_form_counts_the_same_address(self) -> None:
        from fawang.citizens import consent

        def ask(n: int, remote: str) -> int:
            data = {"phone": phone(n), "agree": consent.NOTICE_VERSION}
            r = self.client.post(
                reverse("me:login"), data, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="203.0.113.9"
            )
            return int(r.status_code)

        self.assertEqual([ask(1, PROXY), ask(2, PROXY), ask(3, PROXY)], [302, 302, 429])
        self.assertEqual(ask(4, STRANGER), 302)
        self.assertEqual(
            list(PhoneCode.objects.order_by("phone").values_list("ip", flat=True)),
            ["203.0.113.9", "203.0.113.9", STRANGER],
        )


@override_settings(
    TRUSTED_PROXIES=[PROXY],
    REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "2/min"}},
)
class ThrottleTestCase(ApiTestCase):
    def get(self, remote: str, forwarded: str) -> int:
        return int(
            self.client.get(
                reverse("api:catalogue"), REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
            ).status_code
        )

    def test_the_throttle_counts_the_client_behind_the_trusted_proxy(self) -> None:
        self.assertEqual([self.get(PROXY, "203.0.113.5") for _ in range(3)], [200, 200, 429])
        self.assertEqual(self.get(PROXY, "203.0.113.6"), 200)

    def test_a_new_header_per_request_does_not_escape_the_throttle(self) -> None:
        self.assertEqual([self.get(STRANGER, f"203.0.113.{i}") for i in range(3)], [200, 200, 429])


COUNT_SCRIPT = """
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.request import Request
from fawang.apikit.throttles import PublicThrottle
out = []
for _ in range(3):
    request = Request(RequestFactory().get("/api/v1/catalogue/", REMOTE_ADDR="203.0.113.77"))
    request.user = AnonymousUser()
    out.append("T" if PublicThrottle().allow_request(request, None) else "F")
print("".join(out))
"""


def _counts_in_two_processes(extra_env: dict[str, str]) -> list[str]:
    """The script's counts in two processes one after the other: two children forked by one process that set
    Django up once (fawang/testing/commands.py), each with its own memory, as two ``manage.py shell`` runs."""
    with tempfile.TemporaryDirectory(prefix="fawang-cache-") as name:
        env = process_env(
            {
                "DATABASE_URL": f"sqlite:///{name}/db.sqlite3",
                "FAWANG_VAR_DIR": f"{name}/var",
                "FAWANG_TESTING": "0",
                "API_RATE_PUBLIC": "5/min",
                **extra_env,
            }
        )
        commands = Commands(env)
        try:
            commands.run("createcachetable")
            return [commands.run("shell", "--no-imports", "-c", COUNT_SCRIPT).strip() for _ in range(2)]
        finally:
            commands.close()


def test_two_processes_share_one_throttle_count_in_the_database_cache() -> None:
    # 5 a minute: the first process uses 3, the second gets 2 more and is refused the third.
    assert _counts_in_two_processes({}) == ["TTT", "TTF"]


def _redis_available() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(
    not _redis_available(), reason="Redis (127.0.0.1:6379 and the redis package) not available"
)
def test_two_processes_share_one_throttle_count_in_redis() -> None:
    env = {"REDIS_URL": "redis://127.0.0.1:6379/15", "CACHE_KEY_PREFIX": f"fawang-test-{uuid.uuid4().hex}"}
    assert _counts_in_two_processes(env) == ["TTT", "TTF"]
