"""One person, one record (一人一档): an online account's own person record is found the way the front desk finds
a person — by the ID number's keyed hash, then by name and phone — and staff merge two records of one person when
a match was not certain enough to make on its own. Every match that links an account, every record left apart
as a possible duplicate and every merge writes an audit row (fawang.audit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.audit import actions as audit
from fawang.audit.codes import register
from fawang.lib.validators import normalize_mobile
from fawang.orgs.models import Unit
from fawang.orgs.roles import require_capability

from ..models import AccessLog, Evaluation, Matter, Person
from .base import _required_text

if TYPE_CHECKING:
    from fawang.accounts.models import User


def register_audit_codes() -> None:
    """Called from MattersConfig.ready."""
    register("matters.match_person", gettext_lazy("账号匹配服务对象档案"))
    register("matters.possible_duplicate_person", gettext_lazy("疑似重复的服务对象档案"))
    register("matters.merge_persons", gettext_lazy("合并服务对象档案"))


def _same_name(person: Person, name: str) -> bool:
    return "".join(person.name.split()) == "".join((name or "").split())


def _link(person: Person, user: User, *, how: str) -> Person:
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record(
        "matters.match_person",
        actor=user,
        target=person,
        person=user,
        diff=({"user": None}, {"user": user.pk}),
        note=how,
    )
    return person


def account_person(user: User, *, id_number: str = "") -> Person:
    """The person record of a public account's own online requests (``user`` signed in with a verified mobile;
    ``id_number`` the one of its real-name profile, given with the person's separate consent).

    1. The record already linked to the account (which takes the ID number if it has none and no other record
       holds it).
    2. A record with the account's ID number, not linked to another account, with the same name and mobile: the
       same person for certain — linked.
    3. Otherwise, with no ID number on the account, a record of the same name and mobile without an ID number
       (a walk-in or caller registered by name and phone), not linked to another account — linked.
    4. Otherwise a new record of the account, with its ID number — so the front desk finds it by the ID number
       later. Where a record already has the ID number but differs in name or mobile (or belongs to another
       account), the new record goes without it and the audit trail notes a possible duplicate, for staff to
       merge (``do_merge_persons``) after checking identity.
    """
    id_number = Person.normalize_id_number(id_number)
    id_hash = Person.hash_id_number(id_number) if id_number else ""
    by_id = Person.objects.select_for_update().filter(id_number_hash=id_hash).first() if id_hash else None
    # The record with the account's ID number when the account proved it is theirs (do_claim_person), else the
    # first linked one.
    linked = by_id if by_id is not None and by_id.user_id == user.pk else None
    linked = linked or Person.objects.filter(user=user).order_by("pk").first()
    if linked is not None:
        if id_number and not linked.id_number_hash and by_id is None:
            linked.id_number = id_number
            linked.save(update_fields=["id_number", "updated_at"])
        return linked
    phone = normalize_mobile(user.phone or "")
    if by_id is not None:
        if by_id.user_id is None and _same_name(by_id, user.display_name) and by_id.phone == phone:
            return _link(by_id, user, how=str(_("身份证号码、姓名和手机号码一致")))
        person = Person.objects.create(name=user.display_name, phone=phone, user=user)
        audit.record(
            "matters.possible_duplicate_person",
            actor=user,
            target=person,
            person=user,
            diff=audit.created({"name": person.name}),
            note=_("与服务对象档案 %(pk)s 的身份证号码相同，但姓名、手机号码或关联账号不同，请核实后合并。")
            % {"pk": by_id.pk},
        )
        return person
    if not id_number and phone:
        by_phone = (
            Person.objects.select_for_update()
            .filter(phone=phone, id_number_hash="", user__isnull=True)
            .order_by("pk")
        )
        for candidate in by_phone:
            if _same_name(candidate, user.display_name):
                return _link(candidate, user, how=str(_("姓名和手机号码一致")))
    return Person.objects.create(name=user.display_name, phone=phone, id_number=id_number, user=user)


@transaction.atomic
def do_claim_person(person_id: int, *, user: User, how: str) -> Person:
    """认领档案: link the record ``person_id`` to the public account ``user`` once the account has proved it is
    the person's (a code sent to the mobile number on the record came back; see
    fawang.citizens.actions.verify_claim_code). A record already linked to another account is never taken over
    this way — that needs staff checking the identity document (``do_link_account``)."""
    person = Person.objects.select_for_update().get(pk=person_id)
    if person.user_id == user.pk:
        return person
    if person.user_id is not None:
        raise ValidationError(_("该档案须由工作人员核实身份证件后关联。"), code="linked_elsewhere")
    return _link(person, user, how=how)


@transaction.atomic
def do_merge_persons(keep_id: int, drop_id: int, *, actor: User, unit: Unit, reason: str) -> Person:
    """合并档案: staff at ``unit`` (who checked the person's identity document) move every matter and rating of
    the record ``drop_id`` to ``keep_id``; the kept record takes what it lacked (ID number, phone, account,
    special groups, address); the emptied record is deleted. One audit row, naming both records."""
    require_capability(actor, "matters.intake", unit)
    reason = _required_text(reason, _("请说明合并的理由（例如已核对身份证件）。"), "no_reason")
    if keep_id == drop_id:
        raise ValidationError(_("不能把档案与其自身合并。"), code="same_person")
    people = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep_id, drop_id])}
    if len(people) != 2:
        raise ValidationError(_("服务对象档案不存在。"), code="no_person")
    keep, drop = people[keep_id], people[drop_id]
    if keep.id_number_hash and drop.id_number_hash and keep.id_number_hash != drop.id_number_hash:
        raise ValidationError(_("两份档案的身份证号码不同，不是同一人，不能合并。"), code="different_id")
    if keep.user_id and drop.user_id and keep.user_id != drop.user_id:
        raise ValidationError(_("两份档案关联了不同的账号，不能合并。"), code="different_accounts")
    fields = ["name", "user", "special_groups"]  # no ID number, phone or address in the trail
    before = audit.snapshot(keep, fields)
    moved = Matter.objects.filter(person=drop).update(person=keep)
    Evaluation.objects.filter(person=drop).update(person=keep)
    AccessLog.objects.filter(person=drop).update(person=keep)
    id_number, user_id = drop.id_number, drop.user_id
    drop.delete()  # first, so the kept record may take its ID number (unique)
    changed = ["special_groups"]
    keep.special_groups = list(dict.fromkeys([*keep.special_groups, *drop.special_groups]))
    if not keep.id_number and id_number:
        keep.id_number = id_number
        changed.append("id_number")
    for name in ("phone", "address"):
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
            changed.append(name)
    if keep.user_id is None and user_id is not None:
        keep.user_id = user_id
        changed.append("user")
    keep.save(update_fields=[*changed, "updated_at"])
    audit.record(
        "matters.merge_persons",
        actor=actor,
        target=keep,
        unit=unit,
        diff=audit.changes(before, audit.snapshot(keep, fields)),
        note=_("合并服务对象档案 %(drop)s（%(n)s 件事项）：%(reason)s")
        % {"drop": drop_id, "n": moved, "reason": reason},
    )
    return keep
