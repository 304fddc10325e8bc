"""Personal data: the access log (个人信息保护法), revealing a person's full data, linking a public account."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fawang.orgs.authority import has_matter_capability
from fawang.orgs.models import Unit
from fawang.orgs.roles import is_staff_user, require_capability

from ..models import (
    AccessLog,
    Matter,
    Person,
)
from .base import _now, _required_text

if TYPE_CHECKING:
    from fawang.accounts.models import User


@transaction.atomic
def log_access(
    *,
    actor: User,
    purpose: str,
    fields: str,
    person: Person | None = None,
    matter: Matter | None = None,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> AccessLog:
    """Record that ``actor`` saw full personal data (个人信息保护法); views call it whenever they show any."""
    purpose = _required_text(purpose, _("请说明查看个人信息的事由。"), "no_purpose")
    return AccessLog.objects.create(
        user=actor,
        username=actor.get_username(),
        person=person or (matter.person if matter else None),
        matter=matter,
        purpose=purpose[:200],
        fields=fields[:100],
        ip=ip,
        created_at=_now(now),
    )


def reveal_person(
    person_id: int, *, actor: User, purpose: str, matter: Matter | None = None, ip: str | None = None
) -> Person:
    """The person with their full ID number and phone, after checking the role and writing the access log."""
    if matter is None:
        require_capability(actor, "matters.view_personal_data")
    elif not has_matter_capability(actor, "matters.view_personal_data", matter.unit, matter.intake_unit):
        require_capability(
            actor, "matters.view_personal_data", matter.unit
        )  # raises with the standard message
    person = Person.objects.get(pk=person_id)
    log_access(
        actor=actor,
        purpose=purpose,
        fields=str(_("身份证号码、联系电话")),
        person=person,
        matter=matter,
        ip=ip,
    )
    return person


@transaction.atomic
def do_link_account(person_id: int, *, actor: User, user: User, unit: Unit) -> Person:
    """Link a public account to a person after staff at ``unit`` have checked their identity document: the
    account then sees all of the person's matters online."""
    require_capability(actor, "matters.intake", unit)
    if is_staff_user(user):
        raise ValidationError(_("只能关联公众用户账号。"), code="not_public")
    person = Person.objects.select_for_update().get(pk=person_id)
    if person.user_id not in (None, user.pk):
        raise ValidationError(_("该服务对象已关联其他账号。"), code="linked_elsewhere")
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person
