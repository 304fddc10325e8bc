"""Issue 14, "Done when": a client generated from our OpenAPI document with openapi-python-client drives the
citizen and the staff flows without error — every answer parsed into the generated types, none of them an
``Error`` or an undocumented status (the client raises on those), public operations callable without a token.

The client is generated once per run into a temporary directory and talks to the application in-process
(httpx's WSGI transport), inside the test's transaction."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar
from unittest import skipIf

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client as DjangoClient

from fawang.catalog.models import ServiceItem
from fawang.matters.models import Matter
from fawang.notify.models import Message
from fawang.testing.world import world

from .base import ApiTestCase

# The generator, and what the generated code imports at run time.
MISSING = [
    name
    for name in ("openapi_python_client", "httpx", "attrs", "dateutil")
    if not importlib.util.find_spec(name)
]
PACKAGE = "fawang_generated_client"
CONFIG = {
    "package_name_override": PACKAGE,
    "project_name_override": "fawang-generated-client",
    "post_hooks": [],  # no formatter needed to import it
    # The result PDF: handed over as a file (the generator parses only JSON and octet streams).
    "content_type_overrides": {"application/pdf": "application/octet-stream"},
}
PHONE = "13966668888"
ID_NUMBER = "35020319900101123X"
QUESTION = "公司拖欠我三个月工资，老板一直说下个月发，我应该怎么维权？"
ANSWER = "可以先向劳动保障监察部门投诉，也可以在一年内申请劳动仲裁；经济困难的可以申请法律援助。"
FOLLOW_UP = "申请劳动仲裁需要准备哪些材料？"
SECOND = "仲裁申请书、身份证明、劳动合同或工资流水等证明劳动关系的材料。"


def generate(schema: bytes, where: Path) -> str:
    """Generate the client package under ``where``; the generator's output (warnings included) is returned."""
    (where / "openapi.json").write_bytes(schema)
    (where / "config.json").write_text(json.dumps(CONFIG))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(where / "openapi.json"),
            "--config",
            str(where / "config.json"),
            "--meta",
            "none",
            "--output-path",
            str(where / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise AssertionError(f"openapi-python-client failed:\n{output}")
    return output


@skipIf(
    bool(MISSING),
    f"openapi-python-client is not installed (missing {', '.join(MISSING)}; pip install -e '.[dev]')",
)
class GeneratedClientTestCase(ApiTestCase):
    where: ClassVar[Path]
    output: ClassVar[str]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        schema = DjangoClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert schema.status_code == 200, schema.status_code
        cls.where = Path(tempfile.mkdtemp(prefix="fawang-client-"))
        cls.output = generate(schema.content, cls.where)
        sys.path.insert(0, str(cls.where))

    @classmethod
    def tearDownClass(cls) -> None:
        sys.path.remove(str(cls.where))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        shutil.rmtree(cls.where, ignore_errors=True)
        super().tearDownClass()

    def setUp(self) -> None:
        super().setUp()
        # The application runs in this thread and on this test's connection: keep Django from closing it at
        # the end of each request, as its own test client does.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        self.pkg = importlib.import_module(PACKAGE)

    def mod(self, name: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.{name}")

    def client_kwargs(self) -> dict[str, Any]:
        import httpx

        return {
            "base_url": "http://testserver",
            "raise_on_unexpected_status": True,
            "httpx_args": {"transport": httpx.WSGITransport(app=WSGIHandler())},
        }

    def anonymous(self) -> Any:
        return self.pkg.Client(**self.client_kwargs())

    def signed_in(self, token: str) -> Any:
        return self.pkg.AuthenticatedClient(token=token, prefix="Token", **self.client_kwargs())

    def call(self, operation: str, expected: str, *args: Any, **kwargs: Any) -> Any:
        """``api.<operation>.sync_detailed``; the answer must be 2xx and parsed into ``models.<expected>``."""
        if "idempotency_key" in kwargs and kwargs["idempotency_key"] is None:
            kwargs["idempotency_key"] = uuid.uuid4().hex
        response = self.mod(f"api.{operation}").sync_detailed(*args, **kwargs)
        self.assertLess(response.status_code, 300, (operation, response.status_code, response.content[:500]))
        parsed = response.parsed
        first = parsed[0] if isinstance(parsed, list) and parsed else parsed
        if expected != "File":
            self.assertEqual(type(first).__name__, expected, (operation, response.content[:500]))
        return parsed

    def model(self, cls: str, /, **fields: Any) -> Any:
        return getattr(self.mod("models"), cls)(**fields)

    def enum(self, name: str, value: Any) -> Any:
        return getattr(self.mod("models"), name)(value)

    def test_the_generator_reads_the_document_without_warnings(self) -> None:
        self.assertNotIn("Warning", self.output)
        self.assertNotIn("WARNING", self.output)
        # Public and sign-in operations take an anonymous client; the others need a token.
        import inspect

        for operation in (
            "public.regions_list",
            "citizen.me_sign_in_code_create",
            "tracking.track_code_create",
        ):
            with self.subTest(operation=operation):
                if not importlib.util.find_spec(f"{PACKAGE}.api.{operation}"):
                    continue
                hint = str(
                    inspect.signature(self.mod(f"api.{operation}").sync).parameters["client"].annotation
                )
                self.assertIn("Client", hint.replace("AuthenticatedClient", ""), hint)
        hint = str(
            inspect.signature(self.mod("api.citizen.me_retrieve").sync).parameters["client"].annotation
        )
        self.assertNotIn("Client", hint.replace("AuthenticatedClient", ""), hint)

    def test_citizen_and_staff_flows(self) -> None:
        anonymous = self.anonymous()
        # Public: the region picker's towns.
        towns = self.call("public.regions_list", "RegionOut", client=anonymous, parent="350203")
        town = next(t for t in towns if t.name == "厦港街道")

        # A citizen signs in with the SMS code (read from the outbox), gives their real name and asks.
        self.call(
            "citizen.me_sign_in_code_create",
            "CodeSent",
            client=anonymous,
            body=self.model("PhoneInRequest", phone=PHONE),
            idempotency_key=None,
        )
        sms = Message.objects.filter(phone=PHONE, kind="otp.login").latest("pk").body
        code = re.search(r"验证码 (\d{6})", sms)
        assert code is not None
        signed = self.call(
            "citizen.me_sign_in_token_create",
            "TokenOut",
            client=anonymous,
            body=self.model("TokenInRequest", phone=PHONE, code=code.group(1), device="生成的客户端"),
        )
        citizen = self.signed_in(signed.token)
        profile = self.call(
            "citizen.me_update",
            "Profile",
            client=citizen,
            body=self.model("ProfileInRequest", name="黄丽娟", id_number=ID_NUMBER),
        )
        self.assertTrue(profile.real_name)
        topics = self.call("citizen.me_consultations_topics_list", "Topic", client=citizen)
        topic = next(t for t in topics if t.name == "劳动纠纷")
        asked = self.call(
            "citizen.me_consultations_create",
            "OwnMatterDetail",
            client=citizen,
            body=self.model(
                "AskInRequest",
                question=QUESTION,
                region=town.code,
                topic=topic.id,
                channel=self.enum("AppChannelEnum", "wechat"),
            ),
            idempotency_key=None,
        )
        matter = Matter.objects.get(pk=asked.id)
        self.assertEqual(matter.unit.name, "思明区公共法律服务中心")

        # The centre's 法律咨询岗 finds it in its list, reads it (the person masked) and answers.
        consultant = self.signed_in(self.token_for(self.user("sm_consultant")))
        page = self.call("staff.matters_list", "PaginatedMatterList", client=consultant)
        self.assertIn(matter.pk, [row.id for row in page.results])
        detail = self.call("staff.matters_retrieve", "MatterDetail", matter.pk, client=consultant)
        self.assertEqual(type(detail.person).__name__, "PersonDetailMasked")
        self.call(
            "staff.matters_action_comment",
            "ActionDone",
            matter.pk,
            client=consultant,
            body=self.model("CommentActionInRequest", text=ANSWER, visible=True),
            idempotency_key=None,
        )

        # The citizen reads the answer, follows up, gets a second answer, says it is solved and rates it.
        mine = self.call("citizen.me_matters_retrieve", "OwnMatterDetail", matter.pk, client=citizen)
        self.assertEqual(str(mine.thread_state), "answered")
        self.call(
            "citizen.me_matters_follow_up_create",
            "OwnMatterDetail",
            matter.pk,
            client=citizen,
            body=self.model("TextInRequest", text=FOLLOW_UP),
            idempotency_key=None,
        )
        self.call(
            "staff.matters_action_comment",
            "ActionDone",
            matter.pk,
            client=consultant,
            body=self.model("CommentActionInRequest", text=SECOND, visible=True),
            idempotency_key=None,
        )
        resolved = self.call(
            "citizen.me_matters_resolve_create",
            "OwnMatterDetail",
            matter.pk,
            client=citizen,
            idempotency_key=None,
        )
        self.assertEqual(str(resolved.status), "completed")
        self.call(
            "citizen.me_matters_rate_create",
            "OwnMatterDetail",
            matter.pk,
            client=citizen,
            body=self.model("RateInRequest", level=self.enum("RateInLevelEnum", 5), comment="解答很清楚。"),
            idempotency_key=None,
        )
        pdf = self.call("citizen.me_matters_result_pdf_retrieve", "File", matter.pk, client=citizen)
        self.assertTrue(pdf.payload.read().startswith(b"%PDF"))
        self.call("citizen.me_messages_retrieve", "MessagePage", client=citizen)
        self.call("citizen.me_matters_list", "PaginatedOwnMatterList", client=citizen)

        # The centre's window takes in a phone caller's question and a walk-in's, one answered on the spot
        # (当场答复办结, item 18); the 法律咨询岗 accepts and completes the other.
        clerk = self.signed_in(self.token_for(self.sm_clerk))
        centre = world().unit("siming.centre")
        consultation = ServiceItem.objects.get(code="consultation").pk
        submitted = self.call(
            "staff.matters_create",
            "Submitted",
            client=clerk,
            body=self.model(
                "IntakeRequest",
                channel=self.enum("ChannelEnum", "window"),
                intake_unit=centre.pk,
                person=self.model("PersonInRequest", name="林国华", phone="13812345678"),
                requests=[
                    self.model(
                        "RequestInRequest", service_item=consultation, description=QUESTION, region="350203"
                    ),
                    self.model(
                        "RequestInRequest",
                        service_item=consultation,
                        description="邻居装修噪音扰民怎么办？",
                        region="350203",
                        answer="可以先与邻居协商，协商不成可以向社区人民调解委员会申请调解。",
                    ),
                ],
            ),
            idempotency_key=None,
        )
        waiting, answered = sorted(submitted.matters, key=lambda row: row.id)
        self.assertEqual((str(waiting.status), str(answered.status)), ("submitted", "completed"))
        self.call(
            "staff.matters_action_accept",
            "ActionDone",
            waiting.id,
            client=consultant,
            body=self.model("AcceptActionInRequest", note=""),
            idempotency_key=None,
        )
        done = self.call(
            "staff.matters_action_complete",
            "ActionDone",
            waiting.id,
            client=consultant,
            body=self.model("CompleteActionInRequest", result=ANSWER),
            idempotency_key=None,
        )
        self.assertEqual(str(done.status), "completed")
        out = self.mod("api.citizen.me_sign_out_create").sync_detailed(client=citizen)
        self.assertLess(out.status_code, 300, out.content)

    @staticmethod
    def user(username: str) -> Any:
        from fawang.accounts.models import User

        return User.objects.get(username=username)
