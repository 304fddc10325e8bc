"""What the person is told when their appointment is made, reviewed, moved, cancelled, and the day before.

Messages are enqueued inside the action's transaction (a transactional outbox, as fawang.matters.notices): they
exist exactly when the change they report exists. The dedupe key names the event, so a retried action never
sends twice; the reminder's names the slot, so a rescheduled booking is reminded of its new time once.

The person gets an in-app message (their public account) and an SMS to the mobile number of the account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.notify import kinds

if TYPE_CHECKING:
    from .models import Appointment, AppointmentEvent

KINDS = {
    "appointment.booked": gettext_lazy("预约成功"),
    "appointment.pending": gettext_lazy("探视预约待审核"),
    "appointment.approved": gettext_lazy("探视预约审核通过"),
    "appointment.refused": gettext_lazy("探视预约未通过审核"),
    "appointment.cancelled": gettext_lazy("预约已取消"),
    "appointment.rescheduled": gettext_lazy("预约已改约"),
    "appointment.reminder": gettext_lazy("预约提醒"),
    "suggestion.answered": gettext_lazy("便民箱意见已答复"),
    "suggestion.overdue": gettext_lazy("便民箱意见超期提醒"),
}


def register_kinds() -> None:
    for code, label in KINDS.items():
        kinds.register(code, label)


def when(appointment: Appointment) -> str:
    slot = appointment.slot
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{formats.date_format(start, 'Y年n月j日')} {start:%H:%M}-{end:%H:%M}"


def _place(appointment: Appointment) -> str:
    schedule = appointment.slot.schedule
    return f"{appointment.unit.name}（{schedule.place_label}）"


def text(appointment: Appointment, kind: str, event: AppointmentEvent | None = None) -> str:
    """The message body; ``event`` supplies the reason of a cancellation or refusal."""
    values = {
        "no": appointment.number,
        "item": appointment.service_item.name,
        "when": when(appointment),
        "place": _place(appointment),
        "hours": appointment.slot.schedule.cancel_cutoff_hours,
        "phone": appointment.unit.phone or "12348",
        "reason": (event.note if event else "") or _("无"),
        "address": appointment.unit.address or appointment.unit.name,
    }
    if kind in ("appointment.booked", "appointment.reminder") and appointment.is_video:
        # The link is not sent by SMS (it would open the meeting to whoever reads it): it is in 我的预约.
        return (
            _(
                "您已预约 %(when)s 的视频咨询“%(item)s”（%(place)s，预约号 %(no)s）。请在时段开始时登录 12348 法网，"
                "在“我的预约”中进入视频会议，无需到场；如需取消或改约，请在时段开始 %(hours)s 小时前办理。"
            )
            % values
        )
    if kind == "appointment.booked":
        return (
            _(
                "您已预约 %(when)s 在%(place)s办理“%(item)s”，预约号 %(no)s。请携带身份证件按时到场签到；"
                "如需取消或改约，请在时段开始 %(hours)s 小时前在“我的预约”中办理。"
            )
            % values
        )
    if kind == "appointment.pending":
        return (
            _(
                "您的监所远程探视预约已提交（预约号 %(no)s，%(when)s，%(place)s）。工作人员审核后将通知您结果，"
                "审核通过后预约方才有效。"
            )
            % values
        )
    if kind == "appointment.approved":
        return (
            _(
                "您的监所远程探视预约（预约号 %(no)s）已审核通过：请于 %(when)s 携带身份证件到%(place)s签到探视。"
            )
            % values
        )
    if kind == "appointment.refused":
        return (
            _(
                "您的监所远程探视预约（预约号 %(no)s）未通过审核。理由：%(reason)s 如有疑问，请致电 %(phone)s。"
            )
            % values
        )
    if kind == "appointment.cancelled":
        if event is not None and event.actor_id == appointment.user_id:
            return _("您 %(when)s 在%(place)s的预约（预约号 %(no)s）已取消。") % values
        return (
            _(
                "很抱歉，您 %(when)s 在%(place)s的预约（预约号 %(no)s）已取消。原因：%(reason)s 请另选时段重新预约。"
            )
            % values
        )
    if kind == "appointment.rescheduled":
        if appointment.is_remote_visit:
            return (
                _(
                    "您的监所远程探视预约（预约号 %(no)s）已改到 %(when)s，%(place)s。改约后需重新审核，审核后将通知您。"
                )
                % values
            )
        return _("您的预约（预约号 %(no)s）已改到 %(when)s，%(place)s，办理“%(item)s”。") % values
    if kind == "appointment.reminder":
        return (
            _(
                "预约提醒：您预约了明天 %(when)s 在%(place)s办理“%(item)s”（预约号 %(no)s）。请携带身份证件按时到场"
                "签到；地址：%(address)s。如不能前来，请提前在“我的预约”中取消。"
            )
            % values
        )
    raise ValueError(f"no appointment text for {kind!r}")


def to_person(appointment: Appointment, kind: str, event: AppointmentEvent | None, key: str) -> None:
    """Queue ``kind`` for the person: in-app to the account, and an SMS to the account's mobile number."""
    from fawang.notify.actions import to_person as notify_person

    notify_person(
        kind=kind,
        body=text(appointment, kind, event),
        subject=str(kinds.label(kind)),
        user=appointment.user,
        phone=appointment.phone,
        related=appointment,
        key=key,
        region_code=appointment.unit.region_id,
    )
