"""The hotline's URLs in the role matrix (fawang/console/tests/test_role_matrix.py merges these tables).

A call and its callback belong to the hotline centre whose telephone system reported them: seen where the
persona reaches that unit (SEES); the desk's writes need ``hotline.desk`` there, the supervisors' pages
``hotline.supervise``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import ADMINS, HOTLINE, SUPERVISORS, SYSADMIN, ActionRule, Row
from fawang.matters.models import Matter
from fawang.orgs.models import Unit

CAN = {
    "hotline.desk": HOTLINE | SYSADMIN,
    "hotline.supervise": SUPERVISORS | ADMINS | SYSADMIN,
    "hotline.desk|hotline.supervise": HOTLINE | SUPERVISORS | ADMINS | SYSADMIN,
    "hotline.manage": ADMINS | SYSADMIN,
}

ROWS = {
    # The agent's desk, at the unit the persona is working at (its current unit).
    "hotline:desk": Row("page", "hotline.desk"),
    "hotline:pop": Row("page", "hotline.desk"),
    "hotline:sign_in": Row("page", "hotline.desk", "post", 302, (("extension", "8123"), ("queue", ""))),
    "hotline:sign_out": Row("page", "hotline.desk", "post", 302),
    "hotline:callbacks": Row("page", "hotline.desk|hotline.supervise"),
    "hotline:calls": Row("page", "hotline.supervise"),
    "hotline:handovers": Row("page", "hotline.desk|hotline.supervise"),
    "hotline:stats": Row("page", "hotline.supervise"),
    "hotline:stats_export": Row("page", "hotline.supervise"),
    # 值班: the week of the current unit; adding a shift with no person chosen is refused with the form (400).
    "hotline:roster": Row("page", "hotline.desk|hotline.supervise"),
    "hotline:shift_add": Row("page", "hotline.manage", "post", 400, (("slot", "morning"),)),
    "hotline:duty_log": Row("page", "hotline.desk|hotline.supervise"),
    "hotline:shift_remove": Row("hotline_shift", "hotline.manage", "post", 302),
    # 质检: the list (supervisors: their reach; agents: their own), sampling the calls of their reach (302 with
    # "已抽检 n 通"), the checklist of the current unit (its admin), a review at each position.
    "hotline:quality": Row("page", "hotline.desk|hotline.supervise"),
    "hotline:quality_sample": Row(
        "page",
        "hotline.supervise",
        "post",
        302,
        (("start", "2025-03-03"), ("end", "2025-03-03"), ("random", 1)),
    ),
    "hotline:quality_checklist": Row("page", "hotline.manage"),
    "hotline:quality_review": Row("hotline_review", "seen"),
    # Scoring a review with every item at full marks; an agent who is not the call's agent may not appeal (403).
    "hotline:quality_appeal": Row("hotline_review", "hotline_appeal", "post", 302, (("reason", "矩阵"),)),
    # A call and its callback, at the unit of each position.
    "hotline:call": Row("hotline_call", "seen"),
    "hotline:take_in": Row("hotline_call", "hotline.desk"),
    "hotline:wrap_up": Row(
        "hotline_call", "hotline.desk", "post", 302, (("code", "answered"), ("notes", "矩阵"))
    ),
    # 转值班律师: with nobody on duty the refusal is a message on the call page (302 as well).
    "hotline:refer": Row("hotline_call", "hotline.desk", "post", 302, (("note", "矩阵"),)),
    # 值班待办: every staff member's own queue (empty for all the personas: none is on duty); recording what was
    # done with a referral is only for the person it was handed to (or, waiting, someone on duty there now): 404.
    "hotline:duty_queue": Row("page", "staff"),
    "hotline:referral_done": Row(
        "hotline_referral", "hotline_referral_done", "post", 302, (("note", "矩阵"),)
    ),
    # 事项回访 from the desk (a matters.Callback at the unit of each position): the matters' rule, matters.callback
    # over the task's unit. Dialling: the persona is signed into no seat, so the refusal is a message (302);
    # 无人接听 is a note on the matter (302).
    "hotline:followup_dial": Row("hotline_followup", "matters.callback", "post", 302),
    "hotline:followup_done": Row(
        "hotline_followup",
        "matters.callback",
        "post",
        302,
        (("outcome", "no_answer"), ("satisfied", "unknown")),
    ),
    "hotline:callback_done": Row("hotline_callback", "hotline.desk", "post", 302, (("outcome", "reached"),)),
    # 外呼回拨: the persona is signed into no seat, so the refusal is a message on the desk (302 as well).
    "hotline:callback_dial": Row("hotline_callback", "hotline.desk", "post", 302),
    # 热线系统设置 of the current unit; a new system's token and secret are on the 200 answer (shown once).
    "hotline:setup": Row("page", "hotline.manage"),
    "hotline:setup_settings": Row(
        "page",
        "hotline.manage",
        "post",
        302,
        (
            ("service_hours", "全天 24 小时"),
            ("ivr_welcome", "您好"),
            ("ivr_after_hours", "请留言"),
            ("callback_hours", 4),
            ("callback_max_attempts", 3),
        ),
    ),
    "hotline:setup_queue_add": Row(
        "page",
        "hotline.manage",
        "post",
        302,
        (("name", "矩阵队列"), ("digit", "7"), ("menu_text", "矩阵请按 7")),
    ),
    "hotline:setup_system_add": Row(
        "page", "hotline.manage", "post", 200, (("name", "矩阵系统"), ("signed", "on"))
    ),
    # A queue and a telephone system at the unit of each position.
    "hotline:setup_queue_active": Row("hotline_queue", "hotline.manage", "post", 302, (("active", "0"),)),
    "hotline:setup_system_edit": Row(
        "hotline_system", "hotline.manage", "post", 302, (("name", "矩阵"), ("is_active", "on"))
    ),
    "hotline:setup_system_rotate": Row("hotline_system", "hotline.manage", "post", 200, (("secret", "1"),)),
}

PUBLIC = {
    "api:hotline_cti": (
        "the CTI endpoint: a telephone system, named by the token in the URL and its signature, not a person "
        "(fawang/hotline/tests/test_cti.py)"
    ),
    "api:hotline_link": (
        "联动: an outside hotline's ticket system posting back, named by its token and signature "
        "(fawang/hotline/tests/test_link.py)"
    ),
}


# 转值班律师 on a matter (the seam's action: console form and API endpoint): with nobody on duty it waits in the
# centre's queue, so it succeeds wherever the front desk's capability holds.
ACTION_RULES = {
    "refer_to_duty": ActionRule("matters.intake", Matter.Status.ACCEPTED, (("note", "矩阵"),)),
}


# Appealing a review of a call the persona did not take: 403 where the review is seen, 404 elsewhere (only the
# call's own agent may appeal; fawang/hotline/tests/test_quality.py).
Y403, N404 = 403, 404
ANSWERS = {
    "hotline_appeal": {
        "city_supervisor": (Y403, Y403, N404, Y403, N404),
        "bureau_supervisor": (Y403, Y403, N404, N404, N404),
        "bureau_admin": (Y403, Y403, N404, N404, N404),
        "sysadmin": (Y403, Y403, Y403, Y403, Y403),
        "*": (Y403, N404, N404, N404, N404),
    },
    "hotline_referral_done": {"*": (N404, N404, N404, N404, N404)},
}


def make(case: Any, kind: str, unit: Unit) -> Any:
    from fawang.hotline import actions
    from fawang.hotline.models import Call, CallbackTask

    if kind == "hotline_review":
        from fawang.hotline.models import QualityReview

        call = make(case, "hotline_call", unit)
        return QualityReview.objects.create(call=call, unit=unit, reason="random", sampled_at=timezone.now())
    if kind == "hotline_shift":
        from fawang.accounts.models import User
        from fawang.hotline.models import DutyShift

        case.seq += 1
        person = User.objects.create_user(f"matrix-duty-{case.seq}", kind=User.Kind.STAFF)
        return DutyShift.objects.create(unit=unit, person=person, day=timezone.localdate(), slot="morning")
    if kind == "hotline_referral":
        from fawang.accounts.models import User
        from fawang.hotline.models import DutyReferral, DutyShift

        case.seq += 1
        person = User.objects.create_user(f"matrix-duty-{case.seq}", kind=User.Kind.STAFF)
        shift = DutyShift.objects.create(unit=unit, person=person, day=timezone.localdate(), slot="morning")
        return DutyReferral.objects.create(
            unit=unit,
            shift=shift,
            matter=case.matter_at(unit, case.seq),
            rule="矩阵",
            referred_at=timezone.now(),
        )
    if kind == "hotline_followup":
        from fawang.matters.models import Callback

        case.seq += 1
        matter = case.matter_at(unit, case.seq)
        return Callback.objects.create(
            matter=matter, reason="sample", unit=unit, due_at=timezone.now() + dt.timedelta(days=3)
        )
    if kind == "hotline_queue":
        from fawang.hotline.models import HotlineQueue

        case.seq += 1
        return HotlineQueue.objects.create(unit=unit, name=f"矩阵 {case.seq}", digit="1", menu_text="矩阵")
    if kind == "hotline_system":
        return actions.do_create_system(actor=None, unit=unit, name=f"矩阵 {unit.pk}", signed=True)[0]
    if kind not in ("hotline_call", "hotline_callback"):
        return None
    system, _token, _secret = actions.do_create_system(
        actor=None, unit=unit, name=f"矩阵 {unit.pk}", signed=False
    )
    now = timezone.now()
    case.seq += 1
    answered = kind == "hotline_call"
    call = Call.objects.create(
        system=system,
        unit=unit,
        call_id=f"matrix-{case.seq}",
        caller="13900001111",
        status=Call.Status.ENDED if answered else Call.Status.MISSED,
        rang_at=now - dt.timedelta(minutes=5),
        answered_at=now - dt.timedelta(minutes=4) if answered else None,
        ended_at=now - dt.timedelta(minutes=1),
    )
    if answered:
        return call
    return CallbackTask.objects.create(call=call, unit=unit, due_at=now + dt.timedelta(hours=2))
