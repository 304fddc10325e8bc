"""Input limits: an oversized body is refused from its Content-Length before it is read; deep JSON is a 400 in
the API's error format; an API error Django answers itself is JSON, never an HTML page."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any
from unittest import mock
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.core.wsgi import get_wsgi_application
from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse

from fawang.api.tests.base import ApiTestCase
from fawang.apikit.limits import RequestSizeMiddleware, server_error

MB = 1024 * 1024


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _Unread:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")

    readline = read


class SizeCapTestCase(SimpleTestCase):
    def through_middleware(self, path: str, length: int, content_type: str) -> Any:
        request = RequestFactory().post(path, b"", content_type=content_type)
        request.META.update(CONTENT_LENGTH=str(length), CONTENT_TYPE=content_type)
        request.META["wsgi.input"] = _Unread()
        return RequestSizeMiddleware(lambda r: r.read() and None)(request)  # type: ignore[arg-type,return-value]

    def test_an_oversized_api_body_is_refused_unread_in_json(self) -> None:
        r = self.through_middleware("/api/v1/me/sign-in/code/", 150 * MB, "application/json")
        self.assertEqual(r.status_code, 413)
        self.assertEqual(
            json.loads(r.content),
            {
                "error": {
                    "code": "too_large",
                    "message": "提交的内容过大（上限 2.5 MB），未被接收。",
                    "fields": {},
                }
            },
        )

    def test_an_oversized_upload_page_gets_a_chinese_page(self) -> None:
        r = self.through_middleware("/track/", 150 * MB, "multipart/form-data; boundary=x")
        self.assertEqual(r.status_code, 413)
        self.assertIn("提交的内容过大", r.content.decode())
        self.assertIn("50 MB", r.content.decode())

    def test_uploads_may_be_larger_than_other_bodies(self) -> None:
        request = RequestFactory().post("/track/")
        request.META.update(CONTENT_LENGTH=str(3 * MB), CONTENT_TYPE="multipart/form-data; boundary=x")
        passed = RequestSizeMiddleware(lambda r: "passed")(request)  # type: ignore[arg-type,return-value]
        self.assertEqual(passed, "passed")

    def test_a_malformed_length_is_a_400(self) -> None:
        r = self.through_middleware("/api/v1/catalogue/items/", -1, "application/json")
        self.assertEqual((r.status_code, json.loads(r.content)["error"]["code"]), (400, "bad_request"))

    def test_on_a_real_socket_the_refusal_comes_before_the_body_is_sent(self) -> None:
        server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_Quiet)
        thread = threading.Thread(target=server.handle_request, daemon=True)
        thread.start()
        try:
            with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
                # 150 MB announced, one byte sent: the answer must not wait for the rest.
                sock.sendall(
                    b"POST /api/v1/me/sign-in/code/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/json\r\nContent-Length: 157286400\r\n\r\n{"
                )
                answer = b""
                while b"\r\n\r\n" not in answer:
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
        finally:
            thread.join(timeout=10)
            server.server_close()
        self.assertRegex(answer.split(b"\r\n")[0], rb"^HTTP/1\.[01] 413")


class JsonDepthTestCase(ApiTestCase):
    def post_raw(self, body: str) -> Any:
        return self.client.post(
            reverse("api:me_sign_in_code"), body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="deep"
        )

    def test_three_thousand_brackets_are_a_400_in_json(self) -> None:
        r = self.post_raw("[" * 3000 + "]" * 3000)
        self.assertError(r, 400, "parse_error", "JSON 嵌套层数过多（上限 32 层）。")

    def test_depth_is_bounded_below_what_python_could_parse(self) -> None:
        r = self.post_raw('{"phone": ' + "[" * 40 + "]" * 40 + "}")
        self.assertError(r, 400, "parse_error")
        # Shallow input reaches the endpoint, which judges it.
        r = self.post_raw('{"phone": [[["1"]]]}')
        self.assertEqual(r.status_code, 400)
        self.assertNotEqual(r.json()["error"]["code"], "parse_error")


class ServerErrorTestCase(ApiTestCase):
    def test_an_api_bug_is_a_json_500_and_a_page_bug_an_html_500(self) -> None:
        from fawang.api import views

        self.client.raise_request_exception = False
        with mock.patch.object(views.CatalogueList, "get", side_effect=RuntimeError("bug")):
            r = self.client.get(reverse("api:catalogue"))
        self.assertEqual(r.status_code, 500)
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertEqual(r.json()["error"]["code"], "server_error")

        # Pages keep the site's own 500 page.
        page = server_error(RequestFactory().get("/"))
        self.assertEqual(page.status_code, 500)
        self.assertIn("服务暂时不可用", page.content.decode())
