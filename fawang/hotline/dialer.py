"""外呼 (click-to-dial): how the desk asks the telephone system to ring a caller back.

A telephone system with an ``dial_url`` (set on the hotline setup page) gets a signed JSON POST, the same HMAC
scheme as the events it posts to us (cti.py), in the shape of its own events:

    {"event": "dial", "callId": "fw-cb-…", "from": "<agent's extension>", "to": "<number>", "direction": "out",
     "queue": "…"}

The PBX rings the extension, then the number, and reports the outbound call to the CTI endpoint under that callId
(newCall with direction out, answer, hangup), so it is logged like any call and linked to the callback attempt.
Without a ``dial_url`` nothing leaves the system: the request is recorded here (``LocalDialer``) and the agent dials
on the desk phone, then records the outcome. Neither backend pretends a call was placed that was not.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf, cti
from .models import CallbackAttempt, CtiSystem


@dataclass(frozen=True)
class DialOrder:
    call_id: str
    extension: str
    number: str
    queue: str = ""


@dataclass(frozen=True)
class DialResult:
    state: str  # a CallbackAttempt.Dial value
    detail: str


class LocalDialer:
    """No dialling interface: the request is kept here only, and the agent dials by hand."""

    def dial(self, system: CtiSystem, order: DialOrder) -> DialResult:
        return DialResult(
            CallbackAttempt.Dial.RECORDED, _("电话系统未配置外呼接口：外呼请求已记录，请用话机拨打。")
        )


class HttpDialer:
    """POST the signed order to the telephone system's click-to-dial URL; any answer but 2xx is a failure."""

    def dial(self, system: CtiSystem, order: DialOrder) -> DialResult:
        body = json.dumps(
            {
                "event": "dial",
                "callId": order.call_id,
                "from": order.extension,
                "to": order.number,
                "direction": "out",
                "queue": order.queue,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json"}
        if system.secret:
            stamp = str(int(timezone.now().timestamp()))
            headers["X-Fawang-Timestamp"] = stamp
            headers["X-Fawang-Signature"] = cti.sign(system.secret, stamp, body)
        request = urllib.request.Request(system.dial_url, data=body, headers=headers, method="POST")  # noqa: S310 -- an https/http URL validated by the URLField
        try:
            with urllib.request.urlopen(request, timeout=conf.DIAL_TIMEOUT_SECONDS) as response:  # noqa: S310
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            return DialResult(
                CallbackAttempt.Dial.FAILED, _("电话系统拒绝外呼（HTTP %(code)s）。") % {"code": exc.code}
            )
        except (urllib.error.URLError, OSError) as exc:
            return DialResult(
                CallbackAttempt.Dial.FAILED, _("无法连接电话系统外呼接口：%(why)s") % {"why": str(exc)[:120]}
            )
        if 200 <= status < 300:
            return DialResult(CallbackAttempt.Dial.SENT, _("电话系统已接受外呼请求。"))
        return DialResult(
            CallbackAttempt.Dial.FAILED, _("电话系统拒绝外呼（HTTP %(code)s）。") % {"code": status}
        )


def for_system(system: CtiSystem) -> LocalDialer | HttpDialer:
    return HttpDialer() if system.dial_url else LocalDialer()
