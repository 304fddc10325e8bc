"""The OpenAPI document validates, and schemathesis over the whole of it (in-process, against the WSGI app, as
demo staff tokens) finds no server error. Runs in the normal suite, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from fawang.applications.actions import start_application
from fawang.citizens import actions as citizens
from fawang.consult.actions import do_resolve
from fawang.knowledge import searching
from fawang.knowledge.tests.sample import import_sample
from fawang.matters import actions
from fawang.matters.models import Matter
from fawang.notify.models import Message
from fawang.orgs.models import Membership

from .base import ApiTestCase

INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-api-fuzz-")) / "index"
# Examples per operation and generation mode: ~20 operations x 2 modes x this, well under two minutes.
EXAMPLES = 20
FAST = {
    **settings.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        scope: "100000/min" for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    },
}


@contextmanager
def same_connection() -> Iterator[None]:
    """Django's WSGI handler closes the connection after each request when it is inside a transaction (as a
    TestCase is); the test client turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class SchemaTestCase(ApiTestCase):
    def test_the_document_is_valid_openapi_3_and_covers_every_endpoint(self) -> None:
        r = self.client.get(reverse("api:schema"))
        self.assertEqual(r.status_code, 200)
        document = yaml.safe_load(r.content)
        self.assertTrue(document["openapi"].startswith("3."))
        validate_schema(document)  # raises on an invalid document
        validate_schema(SchemaGenerator().get_schema(request=None, public=True))
        paths = set(document["paths"])
        for name in ("accept", "reject", "request-materials", "assign", "complete", "comment"):
            self.assertIn(f"/api/v1/matters/{{id}}/actions/{name}/", paths)
        self.assertIn("/api/v1/track/verify/", paths)
        # The public information of fawang/info/api.py: guides, the directory with credit, 普法.
        for path in (
            "/api/v1/guides/{code}/",
            "/api/v1/directory/practitioners/{id}/",
            "/api/v1/publicity/{id}/",
        ):
            self.assertIn(path, paths)
        intake = document["paths"]["/api/v1/matters/"]["post"]
        self.assertIn("Idempotency-Key", [p["name"] for p in intake["parameters"] if p["in"] == "header"])
        # The citizen side: every create takes an Idempotency-Key, and every operation has a Chinese summary.
        for name in ("follow-up", "resolve", "rate", "complaint", "materials"):
            post = document["paths"][f"/api/v1/me/matters/{{id}}/{name}/"]["post"]
            self.assertIn("Idempotency-Key", [p["name"] for p in post["parameters"] if p["in"] == "header"])
        ask = document["paths"]["/api/v1/me/consultations/"]["post"]
        self.assertIn("Idempotency-Key", [p["name"] for p in ask["parameters"] if p["in"] == "header"])
        self.assertIn(
            "multipart/form-data",
            document["paths"]["/api/v1/me/matters/{id}/materials/"]["post"]["requestBody"]["content"],
        )
        for path in ("/api/v1/me/matters/", "/api/v1/me/matters/{id}/result.pdf", "/api/v1/me/messages/"):
            self.assertIn(path, paths)
        for path, methods in document["paths"].items():
            if path.startswith("/api/v1/me/"):
                for method, operation in methods.items():
                    self.assertRegex(operation.get("summary", ""), r"[\u4e00-\u9fff]", f"{method} {path}")

    def test_the_docs_page_serves_swagger_ui_from_our_own_static_files(self) -> None:
        html = self.client.get(reverse("api:docs")).content.decode()
        self.assertIn("swagger-ui", html)
        self.assertIn("/static/drf_spectacular_sidecar/", html)
        self.assertNotIn("cdn", html.lower())


def fuzz(label: str, cases: st.SearchStrategy[Any], tokens: list[str]) -> list[str]:
    """Run ``EXAMPLES`` cases of one operation, each as one of ``tokens`` (staff and a citizen); the server
    errors found."""
    from schemathesis.checks import not_a_server_error

    failures: list[str] = []

    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, token=st.sampled_from(tokens))
    def run(case: Any, token: str) -> None:
        cache.clear()  # no throttling in the way of the next case
        response = case.call(headers={"Authorization": f"Token {token}"})
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except Exception as exc:  # collected, so that one run reports every failing operation
            failures.append(f"{label}: {response.status_code} {exc}")

    run()
    return failures


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR), REST_FRAMEWORK=FAST)
class SchemathesisTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_sample(INDEX_DIR.parent / "source")
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        searching.build(INDEX_DIR)

    def citizens_own(self) -> list[int]:
        """Ids of the citizen's own things, so the /me/ operations reach past their 404: an answered consultation,
        a resolved one (its result PDF), a matter waiting for materials, and a message in the inbox."""
        region = self.region("350203001")
        answered, resolved = (
            citizens.do_ask(actor=self.citizen, question=q, region=region).matters[0]
            for q in ("工资被拖欠怎么办？", "邻居漏水不赔怎么办？")
        )
        for consultation in (answered, resolved):
            actions.do_comment(consultation.pk, actor=self.sm_clerk, text="可以申请调解。", visible=True)
        do_resolve(resolved.pk, actor=self.citizen)
        waiting = self.submit()
        Matter.objects.filter(pk=waiting.pk).update(submitted_by=self.citizen)
        handler = self.staff_of(self.sm_legal_aid, Membership.Role.HANDLER)
        actions.do_request_materials(waiting.pk, actor=handler, missing=["劳动合同"])
        inbox = Message.objects.filter(user=self.citizen)
        inbox.update(status=Message.Status.SENT)  # delivered (the worker runs after commit)
        return [answered.pk, resolved.pk, waiting.pk, inbox.values_list("pk", flat=True).first() or 0]

    def test_no_server_error_anywhere(self) -> None:
        import schemathesis
        from schemathesis.generation import GenerationMode

        from fawang.wsgi import application

        matter = self.submit()
        # Staff of three roles and a citizen with real-name details (the /me/ endpoints).
        citizens.do_update_profile(self.citizen.pk, name="王小明", id_number="35020319900101123X")
        users = (self.sm_clerk, self.sm_handler, self.sm_supervisor, self.citizen)
        tokens = [self.token_for(u) for u in users]
        real_ids = [matter.pk, self.legal_aid.pk, self.station.pk]  # a matter, an item, a unit
        # ... and a draft of the citizen's, for the /me/applications/ endpoints.
        draft = start_application(actor=self.citizen, item=self.legal_aid).application
        own_ids = [*self.citizens_own(), draft.pk]
        sign_out_token = self.token_for(self.citizen)
        failures: list[str] = []
        with same_connection():
            schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
            operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
            document = schema.raw_schema["paths"]
            self.assertEqual(len(operations), sum(len(methods) for methods in document.values()))
            for operation in operations:
                # The citizen's own endpoints as the citizen (staff get their 404 before any input is read; that
                # is tested in test_citizen_matters), with the citizen's own ids; sign-out with a token of its own.
                me = operation.path.startswith("/api/v1/me/")
                ids = own_ids if me else real_ids
                callers = tokens
                if me:
                    callers = [sign_out_token] if operation.path == "/api/v1/me/sign-out/" else [tokens[-1]]
                strategies = []
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    strategies.append(operation.as_strategy(generation_mode=mode))
                    if "{id}" in operation.path:
                        strategies.extend(
                            operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
                            for pk in ids
                        )

                failures.extend(fuzz(operation.label, st.one_of(strategies), callers))
        self.assertEqual(failures, [])
