"""Intake (前台统一受理): persons, new matters, routing at submission, splitting a visit, complaints."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fawang.catalog.models import BusinessLine, Channel, ServiceItem, Step
from fawang.lib import inserts
from fawang.lib.validators import validate_id_number
from fawang.orgs.models import Membership, Speciality, Unit
from fawang.orgs.roles import require_capability
from fawang.regions.models import Region

from .. import deadlines, lines, notices, tracking
from ..models import (
    Complaint,
    Matter,
    MatterEvent,
    Person,
    TopicSource,
    normalize_person_phone,
    validate_person_phone,
    validate_special_groups,
)
from ..routing import NoRoute, Route, explain_route, explain_route_or_fallback, supervising_unit
from .base import (
    ONLINE_CHANNELS,
    TRACKING_ATTEMPTS,
    _event,
    _is_public,
    _lock,
    _now,
    _require,
    _required_text,
    _staff,
    accept_locked,
    check_transition,
    complete_locked,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User


@dataclass(frozen=True)
class PersonData:
    """The person as given at intake; matched to an existing Person by ID number, else by name and phone."""

    name: str
    phone: str = ""
    id_number: str = ""
    special_groups: Sequence[str] = ()
    address: str = ""


@dataclass(frozen=True)
class MatterRequest:
    """One request of a visit (一窗办多事: a visit may carry several)."""

    service_item: ServiceItem
    description: str
    region: Region
    topic: Speciality | None = None
    unit: Unit | None = None  # a manual choice of handling unit ...
    unit_reason: str = ""  # ... needs a reason, recorded in the event
    answer: str = ""  # 当场答复办结: the answer given at the window or on the phone (_answer_at_intake)
    item_data: dict[str, Any] | None = (
        None  # the service item's own fields, if its line registered any (lines.ItemData)
    )
    # The ID number an item needs is on the request's own record and awaits an identity check: an online
    # applicant stated an ID number another person record holds, and has not proved it theirs (issue 13). The
    # matter goes on the applicant's own record, without the number, for staff to check and merge.
    id_number_pending: bool = False


@dataclass
class SubmitResult:
    person: Person
    matters: list[Matter] = field(default_factory=list)
    created: bool = True  # False when an idempotent resend returned the matters made the first time


def _clean_person(data: PersonData) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("请填写服务对象姓名。")]
    phone = normalize_person_phone(data.phone)
    id_number = Person.normalize_id_number(data.id_number)
    groups = list(dict.fromkeys(data.special_groups or ()))
    checks: list[tuple[str, Callable[[Any], None], Any]] = [
        ("phone", validate_person_phone, phone),
        ("id_number", validate_id_number, id_number),
        ("special_groups", validate_special_groups, groups),
    ]
    for key, check, value in checks:
        if not value:
            continue
        try:
            check(value)
        except ValidationError as exc:
            errors[key] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "phone": phone,
        "id_number": id_number,
        "special_groups": groups,
        "address": data.address.strip(),
    }


def _person_query(id_hash: str, name: str, phone: str) -> QuerySet[Person]:
    """The look-up of resolve_person. The record with the ID number comes first: it is the only one found that
    has a hash (the others are found for having none), so the hash, descending, puts it first."""
    wanted = Q(id_number_hash=id_hash) if id_hash else Q()
    if phone:
        by_phone = Q(name=name, phone=phone, id_number_hash="")
        if id_hash:
            by_phone &= Q(user__isnull=True)
        wanted |= by_phone
    return Person.objects.filter(wanted).order_by("-id_number_hash", "pk")[:1]


# Stand-ins for the look-up's values while its SQL is made: where each lands among the parameters says which value
# goes where.
_STAND_INS = {"id_hash": "\x00id_hash", "name": "\x00name", "phone": "\x00phone"}


@functools.cache
def _person_sql(vendor: str, by_id: bool, by_phone: bool) -> tuple[str, list[str | None], list[Any]]:
    """The look-up's SQL, made by the ORM once per process and kind of look-up (by ID number, by name and phone,
    or both), which value each parameter is (its name; None for a constant of the query), and the parameters
    as made (the constants' values)."""
    sql, params = (
        _person_query(
            _STAND_INS["id_hash"] if by_id else "",
            _STAND_INS["name"],
            _STAND_INS["phone"] if by_phone else "",
        )
        .query.get_compiler(using=DEFAULT_DB_ALIAS)
        .as_sql()
    )
    names = {stand_in: name for name, stand_in in _STAND_INS.items()}
    return sql, [names.get(p) if isinstance(p, str) else None for p in params], list(params)


def _find_person(id_hash: str, name: str, phone: str) -> Person | None:
    """``_person_query(...).first()``, its SQL made once per process rather than by the ORM on every intake, where
    building it cost more than the database took to answer (bench/bench_matters.py). The row is read by a plain
    cursor (a raw queryset's set-up cost more than the answer, which is mostly no row: a new person) and made
    into a Person as the ORM makes one (_person_from_row)."""
    sql, names, constants = _person_sql(connection.vendor, bool(id_hash), bool(phone))
    values = {"id_hash": id_hash, "name": name, "phone": phone}
    params = [values[n] if n is not None else c for n, c in zip(names, constants, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else _person_from_row(row)


def _person_from_row(row: Sequence[Any]) -> Person:
    """The Person of a row of _person_query's columns (every concrete field, in order), its values converted by
    the backend's and the fields' converters (decryption, JSON, dates), as a queryset of Person does."""
    compiler = Person.objects.all().query.get_compiler(using=DEFAULT_DB_ALIAS)
    compiler.setup_query()
    columns = [col for col, _sql, _alias in compiler.select]
    converters = compiler.get_converters(columns)
    values = next(compiler.apply_converters([row], converters)) if converters else list(row)
    return Person.from_db(DEFAULT_DB_ALIAS, [col.target.attname for col in columns], values)


def resolve_person(data: PersonData, *, savepoint: bool = True) -> Person:
    """The Person for ``data``: found by ID number (keyed hash), else by name and phone among records without
    an ID number (which then gets the one given), else created.

    A match never links an account: that link (which shows the person's matters online) is made only by
    ``do_link_account`` after staff have checked identity. ``savepoint=False``: the caller retries in its own
    savepoint when another intake creates the same ID number at the same moment (the IntegrityError reaches it).
    """
    fields = _clean_person(data)
    # One query for both look-ups: the record with the ID number first, then the first of the records found by
    # name and phone among those without an ID number (a caller registered by name and phone): one person, one
    # record. With an ID number given now — recorded on the record found — an account's record is left out: it
    # carries the account's own ID number and is the one with it if it is this person.
    id_hash = Person.hash_id_number(fields["id_number"]) if fields["id_number"] else ""
    existing: Person | None = None
    if id_hash or fields["phone"]:
        existing = _find_person(id_hash, fields["name"], fields["phone"])
    if existing is None:
        person = Person(**fields)
        if not savepoint:
            person.prepare_for_save()
            inserts.insert(person, prepared=True)
            return person
        try:
            with transaction.atomic():
                person.save()
            return person
        except IntegrityError:
            # Another intake created the same ID number a moment ago: use theirs.
            existing = Person.objects.by_id_number(fields["id_number"]).first()
            if existing is None:
                raise
    changed: list[str] = []
    if fields["id_number"] and not existing.id_number_hash:
        existing.id_number = fields["id_number"]
        changed.append("id_number")
    if fields["phone"] and existing.phone != fields["phone"]:
        existing.phone = fields["phone"]
        changed.append("phone")
    groups = list(dict.fromkeys([*existing.special_groups, *fields["special_groups"]]))
    if groups != existing.special_groups:
        existing.special_groups = groups
        changed.append("special_groups")
    if fields["address"] and existing.address != fields["address"]:
        existing.address = fields["address"]
        changed.append("address")
    if changed:
        existing.save(update_fields=[*changed, "updated_at"])
    return existing


def _check_request(req: MatterRequest, channel: str, person: Person) -> None:
    item = req.service_item
    lines.check_item_data(item.code, req.item_data)
    if not item.is_active:
        raise ValidationError(_("“%(item)s”已停止受理。") % {"item": item.name}, code="item_inactive")
    if not item.offers(channel):
        raise ValidationError(
            _("“%(item)s”不通过“%(channel)s”渠道受理。")
            % {"item": item.name, "channel": Channel(channel).label},
            code="channel_not_offered",
        )
    if item.requires_id_number and not person.id_number_hash and not req.id_number_pending:
        raise ValidationError(
            {"id_number": [_("办理“%(item)s”须登记服务对象的身份证号码。") % {"item": item.name}]}
        )
    if not (req.description or "").strip():
        raise ValidationError(_("请填写“%(item)s”的事项描述。") % {"item": item.name}, code="no_description")
    if req.unit is not None and not (req.unit_reason or "").strip():
        raise ValidationError(_("人工指定办理机构须说明理由。"), code="no_unit_reason")
    if req.unit is not None and not req.unit.is_active:
        raise ValidationError(_("所选办理机构已停用。"), code="unit_inactive")


def _route_for(req: MatterRequest, intake_unit: Unit | None, *, fallback: bool = False) -> Route:
    if req.unit is not None:
        return Route(req.unit, "manual")
    if req.service_item.handled_at_intake and intake_unit is not None:
        return Route(intake_unit, "intake")
    if fallback:
        # Nobody at a desk to choose a unit by hand (the public online, a webhook): the nearest level that has
        # a unit takes it rather than the request being refused and lost.
        return explain_route_or_fallback(req.service_item, req.region)
    return explain_route(req.service_item, req.region)


def _create_matter(
    req: MatterRequest,
    *,
    person: Person,
    channel: str,
    actor: User | None,
    intake_unit: Unit | None,
    route: Route,
    now: dt.datetime,
    idempotency_key: str | None = None,
    parent: Matter | None = None,
    extra_payload: dict[str, Any] | None = None,
    savepoint: bool = True,
) -> tuple[Matter, MatterEvent]:
    """One new matter with its submit event and notice. ``savepoint=False``: the caller retries the whole
    submission in its own savepoint when the insert clashes (a tracking number drawn twice, a resend)."""
    staff = _staff(actor)
    matter = Matter(
        service_item=req.service_item,
        channel=channel,
        person=person,
        region=req.region,
        description=req.description.strip(),
        status=Matter.Status.SUBMITTED,
        unit=route.unit,
        intake_unit=intake_unit,
        first_responder=staff,
        submitted_by=actor if _is_public(actor) else None,
        parent=parent,
        idempotency_key=idempotency_key,
        submitted_at=now,
    )
    matter.topic_id, matter.topic_source, matter.topic_confidence = _topic_for(req, matter)
    deadlines.start_step(matter, Step.ACCEPT, now)
    for attempt in range(TRACKING_ATTEMPTS if savepoint else 0):
        matter.tracking_no = tracking.generate(now)
        try:
            # A savepoint, so a clash on the tracking number (or a concurrent resend of the same idempotency
            # key) leaves the surrounding transaction usable.
            with transaction.atomic():
                inserts.insert(matter)
            break
        except IntegrityError:
            matter.pk = None
            if idempotency_key and Matter.objects.filter(idempotency_key=idempotency_key).exists():
                raise
            if attempt == TRACKING_ATTEMPTS - 1:
                raise
    if not savepoint:
        matter.tracking_no = tracking.generate(now)
        inserts.insert(matter)
    payload = {"channel": channel, "route": route.how, **(extra_payload or {})}
    if route.rule_id:
        payload["rule"] = route.rule_id
    event = _event(
        matter,
        MatterEvent.Action.SUBMIT,
        actor=actor,
        now=now,
        old_status="",
        old_unit=None,
        note=_route_note(req, route),
        visible=True,
        payload=payload,
    )
    notices.to_person(matter, "matter.submitted", event)
    return matter, event


def _topic_for(req: MatterRequest, matter: Matter) -> tuple[int | None, str, float | None]:
    """The topic (its id) of ``matter`` (being made for ``req``) as chosen at intake; for a matter submitted
    without one whose line asks for it (lines.Line.auto_topic: consultation), the classifier's suggestion
    (TopicSource.AUTO, shown on the detail for staff to correct). It does not change routing."""
    if req.topic is not None:
        return req.topic.pk, TopicSource.STAFF, None
    if not req.description.strip() or not lines.auto_topic(matter):
        return None, "", None
    from fawang.knowledge.topics import classify

    found = classify(req.description)
    topic_id = Speciality.id_for_code(found.code)
    if topic_id is None:
        return None, "", None
    return topic_id, TopicSource.AUTO, round(found.confidence, 4)


def _route_note(req: MatterRequest, route: Route) -> str:
    if route.how == "manual":
        return req.unit_reason.strip()
    if route.how == "supervisor":
        return _("投诉由被投诉机构的主管司法局处理。")
    if route.how == "fallback":
        return _("%(region)s暂无办理“%(item)s”的机构，由%(unit)s办理或转办。") % {
            "region": req.region.full_name or req.region.name,
            "item": req.service_item.name,
            "unit": route.unit.name,
        }
    return ""


def _idempotency_keys(key: str | None, count: int) -> list[str | None]:
    if not key:
        return [None] * count
    return [key] if count == 1 else [f"{key}#{i}" for i in range(count)]


def _existing_submission(keys: list[str | None]) -> SubmitResult | None:
    wanted = [k for k in keys if k]
    if not wanted:
        return None
    found = {
        m.idempotency_key: m
        for m in Matter.objects.select_related("person").filter(idempotency_key__in=wanted)
    }
    if not found:
        return None
    matters = [found[k] for k in wanted if k in found]
    return SubmitResult(person=matters[0].person, matters=matters, created=False)


def _submit(
    *,
    actor: User | None,
    person: PersonData | Person,
    requests: Sequence[MatterRequest],
    channel: str,
    intake_unit: Unit | None,
    idempotency_key: str | None,
    now: dt.datetime,
    routes: Sequence[Route] | None = None,
) -> SubmitResult:
    keys = _idempotency_keys(idempotency_key, len(requests))
    # No look-up of the keys first: the unique index on idempotency_key finds a resend when its matter is
    # inserted, and the atomic block below then undoes everything the resend did (a new person included). The
    # same block is retried on the other clashes, which are rare: a tracking number drawn twice, or another
    # intake registering the same ID number at the same moment (the retry finds that person). Called outside
    # any transaction (the intake view, the API) the block is the transaction itself; inside a caller's, a
    # savepoint — so a submission costs no savepoint round trips of its own.
    for attempt in range(TRACKING_ATTEMPTS):
        try:
            with transaction.atomic():
                return _create_submission(
                    actor=actor,
                    person=person,
                    requests=requests,
                    channel=channel,
                    intake_unit=intake_unit,
                    keys=keys,
                    now=now,
                    routes=routes,
                )
        except IntegrityError:
            again = _existing_submission(keys)
            if again is not None:
                return again
            if attempt == TRACKING_ATTEMPTS - 1:
                raise
        except (ValidationError, NoRoute):
            # A resend that fails a check the first submission passed (an item stopped meanwhile) still gets
            # its matters.
            again = _existing_submission(keys)
            if again is None:
                raise
            return again
    raise AssertionError("unreachable")


def _create_submission(
    *,
    actor: User | None,
    person: PersonData | Person,
    requests: Sequence[MatterRequest],
    channel: str,
    intake_unit: Unit | None,
    keys: list[str | None],
    now: dt.datetime,
    routes: Sequence[Route] | None,
) -> SubmitResult:
    person_obj = person if isinstance(person, Person) else resolve_person(person, savepoint=False)
    for req in requests:
        _check_request(req, channel, person_obj)
        _check_answer(req, actor, channel, intake_unit)
    if routes is None:
        routes = [_route_for(req, intake_unit, fallback=intake_unit is None) for req in requests]
    result = SubmitResult(person=person_obj)
    for req, route, key in zip(requests, routes, keys, strict=True):
        matter, _event_row = _create_matter(
            req,
            person=person_obj,
            channel=channel,
            actor=actor,
            intake_unit=intake_unit,
            route=route,
            now=now,
            idempotency_key=key,
            savepoint=False,
        )
        lines.save_item_data(matter, req.item_data)
        if req.answer.strip():
            _answer_at_intake(matter, req.answer, actor=actor, now=now)
        result.matters.append(matter)
    return result


# Where the person is in front of the desk or on the line, so an answer can be given on the spot.
ON_THE_SPOT = (Channel.WINDOW, Channel.HOTLINE, Channel.VISIT, Channel.PROXY)


def _check_answer(req: MatterRequest, actor: User | None, channel: str, intake_unit: Unit | None) -> None:
    """当场答复办结 is for the staff member taking the request in, at a window, on the hotline or on a visit,
    for an item the intake unit handles itself (handled_at_intake: the general consultation), kept there."""
    if not req.answer.strip():
        return
    item = req.service_item.name
    if _staff(actor) is None or intake_unit is None:
        raise PermissionDenied(_("当场答复办结须由受理的工作人员作出。"))
    if channel not in ON_THE_SPOT:
        raise ValidationError(
            _("“%(item)s”经%(channel)s提交，不能当场答复办结，请在事项页面答复。")
            % {"item": item, "channel": Channel(channel).label},
            code="answer_not_on_the_spot",
        )
    if not req.service_item.handled_at_intake:
        raise ValidationError(
            _("“%(item)s”须由办理机构受理办理，不能当场答复办结。") % {"item": item},
            code="answer_not_handled_at_intake",
        )
    if req.unit is not None:
        raise ValidationError(
            _("“%(item)s”当场答复办结的，由本机构办理，不能同时人工指定办理机构。") % {"item": item},
            code="answer_with_unit",
        )


def _answer_at_intake(matter: Matter, answer: str, *, actor: User | None, now: dt.datetime) -> None:
    """当场答复办结 (issue 14, item 18): the request just taken in is accepted and completed with the answer
    given, by the staff member who gave it, who becomes its handler of record (承办人). The answer is the
    result the person is told and the completing event's note, so the consultation's thread, the 办结告知书
    and the person's notice all carry it; no clock runs."""
    answer = answer.strip()
    accept_locked(
        matter,
        actor=actor,
        now=now,
        note=_("当场答复，即予受理。"),
        tell=False,
        clock=False,
        payload={"at_intake": True},
    )
    complete_locked(
        matter, actor=actor, now=now, result=answer, handler=_staff(actor), payload={"at_intake": True}
    )


# Channel.values, made once: the enumeration's values list is built anew at every read.
_CHANNELS = frozenset(Channel.values)


def _check_intake_actor(actor: User | None, channel: str, intake_unit: Unit | None) -> None:
    if channel not in _CHANNELS:
        raise ValidationError(_("未知的受理渠道。"), code="bad_channel")
    if _is_public(actor):
        if channel not in ONLINE_CHANNELS:
            raise PermissionDenied(_("公众用户只能通过网站、APP 或微信提交。"))
    elif actor is not None:
        if intake_unit is None:
            raise ValidationError(_("请选择受理机构。"), code="no_intake_unit")
        require_capability(actor, "matters.intake", intake_unit)


def do_submit(
    *,
    actor: User | None,
    person: PersonData | Person,
    requests: Sequence[MatterRequest],
    channel: str,
    intake_unit: Unit | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> SubmitResult:
    """Intake (前台统一受理): one person, one or more requests, each routed to its handling unit.

    ``idempotency_key`` (API, webhook): a resend with the same key returns the matters made the first time
    (``created=False``) and changes nothing. Staff need ``matters.intake`` over ``intake_unit``; the public
    may submit on online channels only, for themselves (``submitted_by``). A request with an ``answer`` is
    answered and completed on the spot (当场答复办结, _answer_at_intake) by the staff member taking it in.
    """
    _check_intake_actor(actor, channel, intake_unit)
    if not requests:
        raise ValidationError(_("请至少选择一个服务事项。"), code="no_requests")
    return _submit(
        actor=actor,
        person=person,
        requests=requests,
        channel=channel,
        intake_unit=intake_unit,
        idempotency_key=idempotency_key,
        now=_now(now),
    )


@transaction.atomic
def do_split(
    matter_id: int,
    parts: Sequence[MatterRequest],
    *,
    actor: User | None,
    reason: str,
    now: dt.datetime | None = None,
) -> list[Matter]:
    """拆分: one visit recorded as one matter becomes several. The original stays; each part is a new matter
    of the same person and channel, routed on its own, pointing back to the original."""
    now = _now(now)
    reason = _required_text(reason, _("请说明拆分的理由。"), "no_reason")
    if not parts:
        raise ValidationError(_("请至少拆分出一个事项。"), code="no_parts")
    matter = _lock(matter_id)
    _require(actor, ("matters.intake", "matters.handle"), matter)
    check_transition(matter, None, _("拆分"), action="split")
    for part in parts:
        _check_request(part, matter.channel, matter.person)
    children: list[Matter] = []
    for part in parts:
        child, _child_event = _create_matter(
            part,
            person=matter.person,
            channel=matter.channel,
            actor=actor,
            intake_unit=matter.intake_unit,
            route=_route_for(part, matter.intake_unit),
            now=now,
            parent=matter,
            extra_payload={"split_from": matter.pk, "split_from_tracking_no": matter.tracking_no},
        )
        children.append(child)
    _event(
        matter,
        MatterEvent.Action.SPLIT,
        actor=actor,
        now=now,
        note=reason,
        visible=True,
        payload={
            "children": [c.pk for c in children],
            "children_tracking_nos": [c.tracking_no for c in children],
        },
    )
    return children


@transaction.atomic
def do_complain(
    *,
    actor: User | None,
    person: PersonData | Person,
    description: str,
    channel: str,
    about_matter: Matter | None = None,
    about_unit: Unit | None = None,
    about_staff: User | None = None,
    region: Region | None = None,
    intake_unit: Unit | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Matter:
    """投诉 about a matter, a unit or a staff member: a matter of the 投诉 line, handled by the supervising
    bureau of the unit complained about (not by that unit itself)."""
    now = _now(now)
    item = (
        ServiceItem.objects.active()
        .filter(business_line=BusinessLine.COMPLAINT)
        .order_by("order", "pk")
        .first()
    )
    if item is None:
        raise ValidationError(
            _("服务事项目录中没有启用的“投诉”事项，请联系管理员。"), code="no_complaint_item"
        )
    target = about_unit or (about_matter.unit if about_matter else None)
    if target is None and about_staff is not None:
        membership = (
            Membership.objects.active().filter(user=about_staff).select_related("unit").order_by("pk").first()
        )
        target = membership.unit if membership else None
    region = region or (about_matter.region if about_matter else None) or (target.region if target else None)
    if region is None and intake_unit is not None:
        region = intake_unit.region
    if region is None:
        raise ValidationError(_("请选择投诉所涉及的区划。"), code="no_region")
    _check_intake_actor(actor, channel, intake_unit)
    bureau = supervising_unit(target) if target is not None else None
    req = MatterRequest(service_item=item, description=description, region=region)
    route = Route(bureau, "supervisor") if bureau is not None else None
    result = _submit(
        actor=actor,
        person=person,
        requests=[req],
        channel=channel,
        intake_unit=intake_unit,
        idempotency_key=idempotency_key,
        now=now,
        routes=[route] if route else None,
    )
    matter = result.matters[0]
    if not result.created:
        return matter
    Complaint.objects.create(
        matter=matter, about_matter=about_matter, about_unit=about_unit or target, about_staff=about_staff
    )
    if about_matter is not None:
        _event(
            about_matter,
            MatterEvent.Action.COMPLAINT,
            actor=None,
            now=now,
            note=_("服务对象就本事项提出投诉（%(no)s）。") % {"no": matter.tracking_no},
            payload={"complaint": matter.pk},
        )
    return matter
