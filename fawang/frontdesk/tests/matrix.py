"""The queue's URLs in the role matrix (fawang/console/tests/test_role_matrix.py merges these tables). The
appointment URLs of the front desk are declared in that file's ROWS, from before the seam."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import ADMINS, SYSADMIN, ActionRule, Row
from fawang.matters.models import Matter

CAN = {"frontdesk.manage_hall": ADMINS | SYSADMIN}

ROWS = {
    "frontdesk:queue": Row("page", "frontdesk.desk"),
    # A walk-in's number taken by the clerk: the point is named in the body.
    "frontdesk:ticket_issue": Row(
        "unit", "frontdesk.desk", "post", 302, (("unit", "@obj"), ("service", "reception")), in_url=False
    ),
    # Posting to a window and calling at it (a persona not posted there is told so on the queue page: 302).
    "frontdesk:post_window": Row("window", "frontdesk.desk", "post", 302),
    "frontdesk:call_next": Row("window", "frontdesk.desk", "post", 302),
    "frontdesk:end_posting": Row("posting", "frontdesk.desk", "post", 302),
    "frontdesk:ticket_recall": Row("ticket", "frontdesk.desk", "post", 302),
    "frontdesk:ticket_skip": Row("ticket", "frontdesk.desk", "post", 302),
    "frontdesk:ticket_finish": Row("ticket", "frontdesk.desk", "post", 302),
    "frontdesk:ticket_transfer": Row("ticket", "frontdesk.desk", "post", 302, (("window", "0"),)),
    "frontdesk:ticket_intake": Row("ticket", "matters.intake"),
    # A booked (not yet checked-in) appointment: the refusal is shown on the queue page.
    "frontdesk:appointment_ticket": Row("appointment", "frontdesk.desk", "post", 302),
    # The hall display for the point's signed-in staff, and the display links its admins make and revoke.
    "frontdesk:hall": Row("unit", "frontdesk.desk"),
    "frontdesk:hall_board": Row("unit", "frontdesk.desk"),
    "frontdesk:display_add": Row("unit", "frontdesk.manage_hall", "post", 302, (("name", "矩阵大屏"),)),
    "frontdesk:display_revoke": Row("display", "frontdesk.manage_hall", "post", 302),
    # 公示牌 PDF: a room's board, or the boards of the rooms of a town's station (none elsewhere: a page says so).
    "frontdesk:board_pdf": Row("unit", "frontdesk.desk"),
    # 三级平台全覆盖: the counties of the regions the supervisor reaches.
    "frontdesk:coverage": Row("page", "matters.supervise"),
    # 便民箱: the list, a suggestion (seen with the point it was made at or the station answering it), answering
    # it, and a paper slip entered for the point named in the body.
    "frontdesk:suggestions": Row("page", "frontdesk.desk"),
    "frontdesk:suggestion": Row("suggestion", "seen"),
    "frontdesk:suggestion_answer": Row(
        "suggestion", "frontdesk.desk", "post", 302, (("answer", "矩阵答复"),)
    ),
    "frontdesk:suggestion_paper": Row(
        "unit", "frontdesk.desk", "post", 302, (("point", "@obj"), ("body", "矩阵意见")), in_url=False
    ),
}

# 上门服务 on a matter: arranged (a date ahead, a staff member of the matter's unit), recorded.
ACTION_RULES = {
    "schedule_home_visit": ActionRule(
        "matters.intake|matters.handle",
        Matter.Status.ACCEPTED,
        (
            ("group", "elderly"),
            ("asked_by", "relative"),
            ("address", "思明区某路 1 号"),
            ("scheduled_on", "2030-01-02"),
            ("visitor", "@handler"),
        ),
    ),
    "record_home_visit": ActionRule(
        "matters.intake|matters.handle", Matter.Status.ACCEPTED, (("record", "上门解答赡养问题。"),)
    ),
}

PUBLIC = {
    "queue": (
        "the queue's public pages: a point's kiosk (自助取号, it stands in the hall and a number commits nobody), "
        "a ticket's slip and phone page (only by the ticket's unguessable token), and the hall display (only by "
        "a display link's unguessable token, made and revoked by the point's admins; the staff's own copy is "
        "frontdesk:hall). None shows personal data (fawang/frontdesk/tests/test_queue.py). The self-service "
        "terminal's booking and tracking pages stand in the hall like the kiosk: tracking shows a matter only to "
        "its ID card number + tracking number, logged and rate-limited; the QR upload link and its status only by "
        "the link's unguessable, short-lived, single-use token (fawang/frontdesk/tests/test_kiosk.py)"
    ),
    "suggest": (
        "a service point's 便民箱: anyone may leave a suggestion (anonymous allowed) and read the answers whose "
        "authors agreed to publish them, without name or phone (fawang/frontdesk/tests/test_suggestions.py)"
    ),
}

OWN = {
    "homevisit": (
        "上门服务申请 by a signed-in member of the public, for themselves or a relative: it becomes their own "
        "matter (fawang/frontdesk/tests/test_visit_request.py)"
    ),
}


def make(case: Any, kind: str, unit: Any) -> Any:
    from fawang.accounts.models import User
    from fawang.frontdesk.models import HallDisplay, Posting, Ticket

    now = timezone.now()
    if kind == "posting":
        user = User.objects.create_user(f"matrix-posted-{unit.pk}", kind=User.Kind.STAFF)
        return Posting.objects.create(
            unit=unit, window=case.object_at("window", unit), user=user, started_at=now
        )
    if kind == "ticket":
        # Being served, at no window (so no posting is asked for): each action can act on it.
        return Ticket.objects.create(
            unit=unit,
            date=timezone.localdate(now),
            service="reception",
            number=1,
            source=Ticket.Source.KIOSK,
            status=Ticket.Status.CALLED,
            token=f"matrix-{unit.pk}",
            issued_at=now,
            first_called_at=now,
            called_at=now,
        )
    if kind == "suggestion":
        from fawang.frontdesk.models import Suggestion

        return Suggestion.objects.create(
            point=unit, unit=unit, source="online", body="矩阵", due_at=now, created_at=now
        )
    if kind == "display":
        return HallDisplay.objects.create(unit=unit, name="矩阵", token=f"matrix-{unit.pk}")
    return None
