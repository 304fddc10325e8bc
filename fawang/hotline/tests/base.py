from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.matters.tests.base import MatterTestCase
from fawang.orgs.models import Unit

from .. import actions, cti
from ..models import Call, CtiSystem

CALLER = "13912345678"


class HotlineTestCase(MatterTestCase):
    xm_centre: ClassVar[Unit]
    xm_agent: ClassVar[User]
    system: ClassVar[CtiSystem]
    token: ClassVar[str]
    secret: ClassVar[str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.xm_centre = cls.unit("xiamen.centre")
        cls.xm_agent = User.objects.get(username="xm_agent")
        cls.system, cls.token, cls.secret = actions.do_create_system(
            actor=None, unit=cls.xm_centre, name="测试呼叫中心", signed=False
        )

    def setUp(self) -> None:
        super().setUp()
        self.t0 = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=30)
        self.pbx = Client()

    def at(self, seconds: int) -> str:
        return str(int((self.t0 + dt.timedelta(seconds=seconds)).timestamp()))

    def post(
        self, data: dict[str, Any], *, token: str | None = None, form: bool = False, **headers: Any
    ) -> Any:
        url = reverse("api:hotline_cti", args=[token or self.token])
        if form:  # application/x-www-form-urlencoded, as curl -d and Zammad's sample scripts send it
            body = urlencode(data, doseq=True)
            return self.pbx.post(url, body, content_type="application/x-www-form-urlencoded", **headers)
        return self.pbx.post(url, json.dumps(data), content_type="application/json", **headers)

    def ring(self, call_id: str, *, seconds: int = 0, number: str = CALLER, queue: str = "法律咨询") -> Any:
        return self.post(
            {
                "event": "newCall",
                "from": number,
                "to": "12348",
                "direction": "in",
                "callId": call_id,
                "queue": queue,
                "timestamp": self.at(seconds),
            }
        )

    def answer(self, call_id: str, *, seconds: int, extension: str = "8001") -> Any:
        return self.post(
            {
                "event": "answer",
                "callId": call_id,
                "answeringNumber": extension,
                "timestamp": self.at(seconds),
            }
        )

    def hangup(self, call_id: str, *, seconds: int, cause: str = "normalClearing", **extra: str) -> Any:
        return self.post(
            {"event": "hangup", "callId": call_id, "cause": cause, "timestamp": self.at(seconds), **extra}
        )

    def call(self, call_id: str) -> Call:
        return Call.objects.get(system=self.system, call_id=call_id)

    def signed_headers(self, body: bytes, secret: str, *, skew: int = 0) -> dict[str, Any]:
        stamp = str(int(timezone.now().timestamp()) + skew)
        return {"HTTP_X_FAWANG_TIMESTAMP": stamp, "HTTP_X_FAWANG_SIGNATURE": cti.sign(secret, stamp, body)}

    def seat_in(self, agent: User | None = None, extension: str = "8001", queue: str = "") -> None:
        actions.do_sign_in(
            actor=agent or self.xm_agent, unit=self.xm_centre, extension=extension, queue=queue
        )
