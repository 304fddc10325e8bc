"""Deployment headers: CSP with no inline script, Permissions-Policy, HTTPS redirect and HSTS from the environment,
`check --deploy` clean with the documented production settings (deploy/systemd/fawang.env.example)."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import override_settings
from django.urls import reverse

from fawang.test import BaseTestCase
from fawang.testing.commands import process_env

ROOT = Path(__file__).resolve().parents[3]
# A <script> element that runs inline code: no src, and not a JSON data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)


class HeadersTestCase(BaseTestCase):
    def test_csp_and_permissions_policy_and_no_inline_script(self) -> None:
        self.client.force_login(self.sm_clerk)
        for url in ("/", reverse("accounts:login"), reverse("api:docs"), "/console/", "/laws/"):
            response = self.client.get(url, follow=True)
            with self.subTest(url=url):
                self.assertEqual(response.status_code, 200)
                csp = response["Content-Security-Policy"]
                self.assertIn("script-src 'self';", csp)
                self.assertNotIn("unsafe-eval", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertIsNone(INLINE_SCRIPT.search(response.content.decode()), url)

    def test_the_admin_runs_no_inline_script_either(self) -> None:
        self.client.force_login(self.sysadmin)
        for url in ("/admin/", "/admin/orgs/unit/add/", "/admin/accounts/user/"):
            response = self.client.get(url)
            with self.subTest(url=url):
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(INLINE_SCRIPT.search(response.content.decode()), url)

    def test_the_swagger_ui_start_up_script_is_served_from_its_own_url(self) -> None:
        response = self.client.get(reverse("api:docs") + "?script=")
        self.assertEqual(response.status_code, 200)
        self.assertIn("SwaggerUIBundle", response.content.decode())

    @override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000)
    def test_https_redirect_and_hsts_with_the_health_checks_exempt(self) -> None:
        response = self.client.get("/")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        secure = self.client.get("/healthz", secure=True)
        self.assertEqual(secure["Strict-Transport-Security"], "max-age=31536000")


def test_check_deploy_is_clean_with_the_documented_settings() -> None:
    example = ROOT / "deploy" / "systemd" / "fawang.env.example"
    documented = dict(
        line.split("=", 1) for line in example.read_text().splitlines() if line and not line.startswith("#")
    )
    with tempfile.TemporaryDirectory() as name:
        env = process_env(
            {
                **documented,
                "SECRET_KEY": secrets.token_urlsafe(50),  # the example says to generate one
                "FIELD_KEY": secrets.token_urlsafe(50),
                "DATABASE_URL": f"sqlite:///{name}/db.sqlite3",  # the checks do not connect
                "FAWANG_VAR_DIR": f"{name}/var",
                "FAWANG_TESTING": "0",
            }
        )
        out = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "check",
                "--deploy",
                "--tag",
                "security",
                "--fail-level",
                "WARNING",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_the_openapi_document_has_no_warnings() -> None:
    with tempfile.TemporaryDirectory() as name:
        env = process_env({"FAWANG_VAR_DIR": f"{name}/var", "DATABASE_URL": f"sqlite:///{name}/db.sqlite3"})
        out = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "spectacular",
                "--validate",
                "--fail-on-warn",
                "--file",
                f"{name}/api.json",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
    assert out.returncode == 0, out.stdout + out.stderr
