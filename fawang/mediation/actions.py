"""The only writers of the mediation line. Each checks the actor's capability over the record's unit, locks the
row it changes, and writes an audit row (fawang.audit) in the same transaction; a case opened from an application
(the 人民调解申请 matter) also moves that matter through the shared matter actions (受理 when the case is opened,
办结 with the outcome when it ends), which write its MatterEvents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.audit import codes as audit_codes
from fawang.catalog.models import BusinessLine
from fawang.matters import actions as matter_actions
from fawang.matters.actions.base import lock as lock_matter
from fawang.matters.models import Matter
from fawang.matters.uploads import check_upload
from fawang.matters.workflow import lock
from fawang.matters.workflow import now as _now
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.roles import require_capability

from .choices import (
    WARNING_OF_REASON,
    CaseSource,
    Consent,
    DisputeType,
    PartyRole,
    ReferrerKind,
    RiskLevel,
    RiskReason,
    ScreeningRound,
)
from .models import (
    DEFAULT_TIME_LIMIT_DAYS,
    Agreement,
    Case,
    CaseMediator,
    CommitteeProfile,
    FollowUp,
    MediatorProfile,
    Party,
    Referral,
    ReferralPartner,
    ReviewMeeting,
    RiskWarning,
    Screening,
    Session,
    TrainingRecord,
    WarningCheck,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User

HANDLE = "mediation.handle"
SCREEN = "mediation.screen"
WARN = "mediation.warn"
MANAGE = "mediation.manage"

# How often an open warning is followed up until the risk is lowered (跟踪稳控), in days.
WARNING_CHECK_DAYS = 3


def register_audit_codes() -> None:
    for code, label in (
        ("mediation.open_case", _("人民调解：立案")),
        ("mediation.consent", _("人民调解：征询当事人意见")),
        ("mediation.assign", _("人民调解：指定调解员")),
        ("mediation.recuse", _("人民调解：调解员回避")),
        ("mediation.session", _("人民调解：调解记录")),
        ("mediation.agreement", _("人民调解：达成调解协议")),
        ("mediation.signed_copy", _("人民调解：上传签字协议书")),
        ("mediation.confirmation", _("人民调解：司法确认")),
        ("mediation.follow_up", _("人民调解：履行回访")),
        ("mediation.terminate", _("人民调解：终止调解")),
        ("mediation.withdraw", _("人民调解：当事人撤回")),
        ("mediation.screening", _("人民调解：矛盾纠纷排查")),
        ("mediation.meeting", _("人民调解：研判会")),
        ("mediation.warning", _("人民调解：风险预警")),
        ("mediation.warning_check", _("人民调解：预警跟踪")),
        ("mediation.warning_lower", _("人民调解：解除预警")),
        ("mediation.referral", _("人民调解：接收委托移送")),
        ("mediation.report", _("人民调解：回传调解结果")),
        ("mediation.partner", _("人民调解：登记对接单位")),
        ("mediation.warning_case", _("人民调解：预警转入调解")),
        ("mediation.committee", _("人民调解：编辑调委会信息")),
        ("mediation.mediator", _("人民调解：登记、编辑人民调解员")),
        ("mediation.training", _("人民调解：登记调解员培训")),
    ):
        audit_codes.register(code, label)


def _text(value: str, message: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code=code)
    return value


def _record(code: str, actor: Any, target: Any, unit: Unit, note: str = "", **after: Any) -> None:
    audit.record(code, actor=actor, target=target, unit=unit, diff=({}, after), note=note)


# ------------------------------------------------------------------------------------------------ cases


@dataclass(frozen=True)
class PartyData:
    role: str
    name: str
    phone: str = ""
    id_number: str = ""
    address: str = ""


@dataclass(frozen=True)
class ReferralData:
    kind: str
    referrer: str
    reference_no: str
    partner: ReferralPartner | None = None


def time_limit(unit: Unit) -> int:
    profile = CommitteeProfile.objects.filter(unit=unit).first()
    return profile.time_limit_days if profile else DEFAULT_TIME_LIMIT_DAYS


def _number(unit: Unit, now: dt.datetime) -> str:
    # The unit's row lock serialises numbering of its cases (one committee's cases are few: a count is fine).
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    year = timezone.localdate(now).year
    seq = Case.objects.filter(unit=unit, number__startswith=f"（{year}）{unit.pk}调").count() + 1
    return f"（{year}）{unit.pk}调字第{seq}号"


def _check_parties(parties: Sequence[PartyData]) -> list[Party]:
    if not any(p.role == PartyRole.APPLICANT for p in parties) or not any(
        p.role == PartyRole.RESPONDENT for p in parties
    ):
        raise ValidationError(_("请至少填写一位申请人和一位被申请人。"), code="parties")
    rows = []
    for p in parties:
        row = Party(
            role=p.role,
            name=(p.name or "").strip(),
            phone=(p.phone or "").strip(),
            id_number=(p.id_number or "").strip().upper(),
            address=(p.address or "").strip(),
        )
        row.full_clean(exclude=["case"])
        rows.append(row)
    return rows


def _accept_application(matter: Matter, actor: User | None, now: dt.datetime) -> Matter:
    """The application a case is opened from, locked; accepted now when it was only submitted."""
    matter = lock_matter(matter.pk)
    if matter.service_item.business_line != BusinessLine.MEDIATION:
        raise ValidationError(_("该事项不是人民调解申请。"), code="not_mediation")
    if Case.objects.filter(matter=matter).exists():
        raise ValidationError(_("该申请已立案调解，不能重复立案。"), code="duplicate")
    if matter.status == Matter.Status.SUBMITTED:
        matter_actions.do_accept(matter.pk, actor=actor, note=_("人民调解委员会已立案调解。"), now=now)
    elif matter.status != Matter.Status.ACCEPTED:
        raise ValidationError(
            _("该申请当前状态为“%(status)s”，不能立案调解。") % {"status": matter.get_status_display()},
            code="matter_status",
        )
    return matter


def _check_referral(referral: ReferralData) -> None:
    """A referral names its kind of referrer, the referrer and its case number, and arrives once."""
    if referral.kind not in ReferrerKind.values:
        raise ValidationError(_("移送单位类别无效。"), code="choice")
    _text(referral.referrer, _("请填写移送单位。"), "no_referrer")
    _text(referral.reference_no, _("请填写移送单位的案号。"), "no_reference")
    if Referral.objects.filter(
        referrer=referral.referrer.strip(), reference_no=referral.reference_no.strip()
    ):
        raise ValidationError(_("该移送案件已接收，不能重复登记。"), code="duplicate_referral")


@transaction.atomic
def open_case(
    *,
    actor: User | None,
    unit: Unit,
    source: str,
    dispute_type: str,
    summary: str,
    parties: Sequence[PartyData],
    place: str = "",
    amount: Decimal | None = None,
    matter: Matter | None = None,
    screening: Screening | None = None,
    referral: ReferralData | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """立案: a case at the committee ``unit``, from an application (``matter``), a screening finding, the committee's
    own initiative (主动调解) or a referral. The parties are asked whether they agree first (第十七条)."""
    now = _now(now)
    if actor is not None:
        require_capability(actor, HANDLE, unit)
    if unit.kind != Unit.Kind.MEDIATION:
        raise ValidationError(_("调解案件只能由人民调解委员会受理。"), code="not_committee")
    if source not in CaseSource.values or dispute_type not in DisputeType.values:
        raise ValidationError(_("案件来源或纠纷类型无效。"), code="choice")
    summary = _text(summary, _("请填写纠纷简要情况。"), "no_summary")
    rows = _check_parties(parties)
    if matter is not None:
        matter = _accept_application(matter, actor, now)
    if screening is not None:
        screening = lock(Screening.objects.all(), screening.pk, _("排查记录不存在。"), "no_screening")
        if screening.status != Screening.Status.OPEN:
            raise ValidationError(_("该纠纷已转入调解或已化解。"), code="screening_done")
        screening.status = Screening.Status.CASE
        screening.save(update_fields=["status"])
    if referral is not None:
        _check_referral(referral)
    case = Case.objects.create(
        number=_number(unit, now),
        unit=unit,
        matter=matter,
        screening=screening,
        source=source,
        dispute_type=dispute_type,
        summary=summary,
        place=(place or "").strip(),
        amount=amount,
        opened_at=now,
        opened_by=actor,
        due_on=timezone.localdate(now) + dt.timedelta(days=time_limit(unit)),
    )
    for row in rows:
        row.case = case
    Party.objects.bulk_create(rows)
    if screening is not None:
        # The warnings the finding raised now show the case that handles it (and the case its warnings).
        RiskWarning.objects.filter(screening=screening, case__isnull=True).update(case=case)
    if referral is not None:
        Referral.objects.create(
            case=case,
            kind=referral.kind,
            referrer=referral.referrer.strip(),
            reference_no=referral.reference_no.strip(),
            partner=referral.partner,
            received_at=now,
        )
    _record(
        "mediation.open_case",
        actor,
        case,
        unit,
        number=case.number,
        source=case.source,
        dispute_type=case.dispute_type,
    )
    return case


def _lock_case(case_id: int) -> Case:
    return lock(Case.objects.select_related("unit"), case_id, _("调解案件不存在。"), "no_case")


def _require_open(case: Case, verb: str) -> None:
    if not case.is_open:
        raise ValidationError(
            _("该案件当前状态为“%(status)s”，不能%(verb)s。")
            % {"status": case.get_status_display(), "verb": verb},
            code="invalid_transition",
        )


@transaction.atomic
def record_consent(
    case_id: int, *, actor: User, party_id: int, consent: str, note: str = "", now: dt.datetime | None = None
) -> Case:
    """征询当事人意见. A party's refusal ends the case (第十七条: 当事人一方明确拒绝调解的，不得调解); once every party
    agrees, mediation starts."""
    now = _now(now)
    case = _lock_case(case_id)
    require_capability(actor, HANDLE, case.unit)
    _require_open(case, _("登记当事人意见"))
    if consent not in (Consent.AGREES, Consent.REFUSES):
        raise ValidationError(_("请选择当事人是否同意调解。"), code="consent")
    party = case.parties.filter(pk=party_id).first()
    if party is None:
        raise ValidationError(_("当事人不存在。"), code="no_party")
    party.consent = consent
    party.consent_at = now
    party.save(update_fields=["consent", "consent_at"])
    if consent == Consent.REFUSES:
        _close(
            case,
            Case.Status.REFUSED,
            actor=actor,
            now=now,
            note=_("当事人%(name)s明确拒绝调解，依法不得调解（人民调解法 第十七条）。%(note)s")
            % {"name": party.name, "note": note.strip()},
        )
    elif case.status == Case.Status.CONSENT and not case.parties.exclude(consent=Consent.AGREES).exists():
        case.status = Case.Status.MEDIATING
        case.save(update_fields=["status"])
    _record("mediation.consent", actor, case, case.unit, note=note, party=party.name, consent=consent)
    return case


def _is_party(mediator: Practitioner, case: Case) -> bool:
    for party in case.parties.all():
        if party.name == mediator.name and (
            not party.phone or not mediator.phone or party.phone == mediator.phone
        ):
            return True
    return False


@transaction.atomic
def assign_mediator(
    case_id: int, *, actor: User, mediator_id: int, is_lead: bool = False, now: dt.datetime | None = None
) -> CaseMediator:
    """指定调解员 (第十九条). The 回避 rule: a mediator who has withdrawn from this case (当事人申请回避 or their own
    declaration of an interest) is not assigned again, nor one who is a party to the dispute; only the committee's
    own mediators are assigned."""
    now = _now(now)
    case = _lock_case(case_id)
    require_capability(actor, HANDLE, case.unit)
    _require_open(case, _("指定调解员"))
    mediator = Practitioner.objects.filter(pk=mediator_id, kind=Practitioner.Kind.MEDIATOR).first()
    if mediator is None or mediator.unit_id != case.unit_id:
        raise ValidationError(_("只能指定本调解委员会的人民调解员。"), code="not_ours")
    existing = CaseMediator.objects.filter(case=case, mediator=mediator).first()
    if existing is not None and existing.recused_at is not None:
        raise ValidationError(
            _("%(name)s已在本案回避（%(reason)s），不能再指定。")
            % {"name": mediator.name, "reason": existing.recusal_reason},
            code="recused",
        )
    if existing is not None:
        raise ValidationError(_("%(name)s已是本案调解员。") % {"name": mediator.name}, code="already")
    if _is_party(mediator, case):
        raise ValidationError(
            _("%(name)s是本纠纷的当事人，应当回避。") % {"name": mediator.name}, code="is_party"
        )
    if is_lead:
        CaseMediator.objects.filter(case=case, is_lead=True).update(is_lead=False)
    row = CaseMediator.objects.create(case=case, mediator=mediator, is_lead=is_lead, assigned_at=now)
    _record("mediation.assign", actor, case, case.unit, mediator=mediator.name, is_lead=is_lead)
    return row


@transaction.atomic
def recuse(
    case_id: int, *, actor: User, mediator_id: int, reason: str, now: dt.datetime | None = None
) -> Case:
    """回避: a party asks for it, or the mediator declares a relation or an interest; the mediator leaves the case and
    cannot be assigned to it again."""
    now = _now(now)
    case = _lock_case(case_id)
    require_capability(actor, HANDLE, case.unit)
    _require_open(case, _("办理回避"))
    reason = _text(reason, _("请填写回避理由。"), "no_reason")
    row = CaseMediator.objects.filter(case=case, mediator_id=mediator_id, recused_at__isnull=True).first()
    if row is None:
        raise ValidationError(_("该调解员不是本案调解员。"), code="not_assigned")
    row.recused_at = now
    row.recusal_reason = reason[:200]
    row.is_lead = False
    row.save(update_fields=["recused_at", "recusal_reason", "is_lead"])
    _record("mediation.recuse", actor, case, case.unit, note=reason, mediator=row.mediator.name)
    return case


@transaction.atomic
def log_session(
    case_id: int,
    *,
    actor: User,
    held_on: dt.date,
    place: str,
    attendees: str,
    content: str,
    agreed: str = "",
    now: dt.datetime | None = None,
) -> Session:
    now = _now(now)
    case = _lock_case(case_id)
    require_capability(actor, HANDLE, case.unit)
    if case.status != Case.Status.MEDIATING:
        raise ValidationError(_("当事人均同意调解后才能进行调解。"), code="not_mediating")
    if not case.mediators.filter(recused_at__isnull=True).exists():
        raise ValidationError(_("请先指定调解员。"), code="no_mediator")
    if held_on > timezone.localdate(now):
        raise ValidationError(_("调解日期不能晚于今天。"), code="future")
    session = Session.objects.create(
        case=case,
        held_on=held_on,
        place=_text(place, _("请填写调解地点。"), "no_place"),
        attendees=_text(attendees, _("请填写参加人员。"), "no_attendees"),
        content=_text(content, _("请填写调解情况。"), "no_content"),
        agreed=(agreed or "").strip(),
        recorded_by=actor,
        created_at=now,
    )
    _record("mediation.session", actor, case, case.unit, held_on=held_on, place=session.place)
    return session


def _close(
    case: Case, status: str, *, actor: User | None, now: dt.datetime, note: str, routes: str = ""
) -> None:
    case.status = status
    case.closed_at = now
    case.outcome_note = note
    case.routes_told = routes
    case.save(update_fields=["status", "closed_at", "outcome_note", "routes_told"])
    if case.screening_id is not None:
        Screening.objects.filter(pk=case.screening_id).update(
            status=Screening.Status.RESOLVED if status == Case.Status.AGREED else Screening.Status.OPEN
        )
    matter = case.matter
    if matter is not None and matter.may("complete"):
        matter_actions.do_complete(matter.pk, actor=actor, result=_matter_result(case), now=now)
    referral = Referral.objects.filter(case=case).first()
    if referral is not None:
        referral.report = Referral.Report.PENDING
        referral.save(update_fields=["report"])
        from .tasks import report_outcome

        transaction.on_commit(lambda: report_outcome.enqueue(referral.pk))


def _matter_result(case: Case) -> str:
    if case.status == Case.Status.AGREED:
        return _(
            "经%(unit)s调解，各方当事人达成调解协议（%(no)s）。调解协议具有法律约束力，当事人应当按照约定履行；"
            "双方可以自协议生效之日起三十日内共同向人民法院申请司法确认（人民调解法 第三十一条、第三十三条）。"
        ) % {"unit": case.unit.name, "no": case.number}
    if case.status == Case.Status.TERMINATED:
        return _("调解不成，%(unit)s已终止调解。%(routes)s") % {
            "unit": case.unit.name,
            "routes": case.routes_told,
        }
    if case.status == Case.Status.REFUSED:
        return _(
            "对方当事人明确拒绝调解，依法不得调解（人民调解法 第十七条）。您可以依法通过仲裁、行政、司法等途径维护自己的权利。"
        )
    return _("当事人撤回调解申请，本次调解结束。%(note)s") % {"note": case.outcome_note}


ROUTES_DEFAULT = _("告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利（人民调解法 第二十六条）。")


@transaction.atomic
def terminate(case_id: int, *, actor: User, reason: str, routes: str, now: dt.datetime | None = None) -> Case:
    """终止调解 (第二十六条): 调解不成的，应当终止调解，并告知当事人其他途径."""
    now = _now(now)
    case = _lock_case(case_id)
    require_capability(actor, HANDLE, case.unit)
    _require_open(case, _("终止调解"))
    reason = _text(reason, _("请填写终止调解的原因。"), "no_reason")
    routes = _text(routes, _("请填写已告知当事人的其他解决途径（人民调解法 第二十六条）。"), "no_routes")
    _close(case, Case.Status.TERMINATED, actor=actor, now=now, note=reason, routes=routes)
    _record("mediation.terminate", actor, case, case.unit, note=reason, routes=routes)
    return case


@transaction.atomic
def withdraw(case_id: int, *, actor: User, reason: str, now: dt.datetime | None = None) -> Case:
    now = _now(now)
    case = _lock_case(case_id)
    require_capability(actor, HANDLE, case.unit)
    _require_open(case, _("登记撤回"))
    reason = _text(reason, _("请填写撤回的情况。"), "no_reason")
    _close(case, Case.Status.WITHDRAWN, actor=actor, now=now, note=reason)
    _record("mediation.withdraw", actor, case, case.unit, note=reason)
    return case


# ------------------------------------------------------------------------------------------ agreements


@transaction.atomic
def record_agreement(
    case_id: int,
    *,
    actor: User,
    form: str,
    facts: str,
    terms: str,
    performance: str,
    agreed_on: dt.date,
    follow_up_dates: Iterable[dt.date] = (),
    now: dt.datetime | None = None,
) -> Agreement:
    """达成调解协议: a written 调解协议书 (第二十八、二十九条; it takes effect when signed, see ``upload_signed``) or an
    oral agreement recorded with its content (第三十条: 自各方当事人达成协议之日起生效). The follow-up dates are when
    performance is checked (履行回访)."""
    now = _now(now)
    case = _lock_case(case_id)
    require_capability(actor, HANDLE, case.unit)
    if case.status != Case.Status.MEDIATING:
        raise ValidationError(_("只有调解中的案件才能登记调解协议。"), code="not_mediating")
    if form not in Agreement.Form.values:
        raise ValidationError(_("请选择协议形式。"), code="form")
    today = timezone.localdate(now)
    if agreed_on > today:
        raise ValidationError(_("达成协议日期不能晚于今天。"), code="future")
    dates = sorted(set(follow_up_dates))
    if any(d < agreed_on for d in dates):
        raise ValidationError(_("回访日期不能早于达成协议日期。"), code="follow_up_date")
    agreement = Agreement.objects.create(
        case=case,
        form=form,
        facts=_text(facts, _("请填写纠纷的主要事实、争议事项。"), "no_facts"),
        terms=_text(terms, _("请填写各方当事人的权利和义务（调解协议内容）。"), "no_terms"),
        performance=_text(performance, _("请填写履行协议的方式、地点、期限。"), "no_performance"),
        agreed_on=agreed_on,
        effective_on=agreed_on if form == Agreement.Form.ORAL else None,
        created_at=now,
    )
    FollowUp.objects.bulk_create(FollowUp(agreement=agreement, due_on=d) for d in dates)
    _close(case, Case.Status.AGREED, actor=actor, now=now, note=_("达成调解协议。"))
    _record("mediation.agreement", actor, case, case.unit, form=form, agreed_on=agreed_on)
    return agreement


def _lock_agreement(agreement_id: int) -> Agreement:
    return lock(
        Agreement.objects.select_related("case__unit"), agreement_id, _("调解协议不存在。"), "no_agreement"
    )


@transaction.atomic
def upload_signed(
    agreement_id: int,
    *,
    actor: User,
    stream: IO[bytes],
    signed_on: dt.date,
    now: dt.datetime | None = None,
) -> Agreement:
    """The 调解协议书 signed (or fingerprinted) by the parties, signed by the mediator and stamped: it takes effect
    on ``signed_on`` (第二十九条), which starts the 30-day period for judicial confirmation."""
    now = _now(now)
    agreement = _lock_agreement(agreement_id)
    case = agreement.case
    require_capability(actor, HANDLE, case.unit)
    if agreement.form != Agreement.Form.WRITTEN:
        raise ValidationError(_("口头协议没有协议书，无需上传。"), code="oral")
    if signed_on < agreement.agreed_on or signed_on > timezone.localdate(now):
        raise ValidationError(_("签署日期应在达成协议之日与今天之间。"), code="signed_on")
    checked = check_upload(stream)
    if checked.content_type not in ("application/pdf", "image/jpeg", "image/png"):
        raise ValidationError(_("签字盖章的协议书请上传 PDF、JPG 或 PNG 文件。"), code="file_type")
    stream.seek(0)
    agreement.signed_copy.save(f"agreement{checked.extension}", ContentFile(stream.read()), save=False)
    agreement.signed_copy_type = checked.content_type
    agreement.signed_uploaded_at = now
    agreement.effective_on = signed_on
    agreement.save(update_fields=["signed_copy", "signed_copy_type", "signed_uploaded_at", "effective_on"])
    _record("mediation.signed_copy", actor, case, case.unit, effective_on=signed_on, sha256=checked.sha256)
    return agreement


@transaction.atomic
def record_confirmation(
    agreement_id: int,
    *,
    actor: User,
    decision: str,
    court: str,
    on: dt.date,
    note: str = "",
    now: dt.datetime | None = None,
) -> Agreement:
    """司法确认 (第三十三条): the parties' joint application to the court (within 30 days of the effective date), then
    the court's confirmation (有效) or refusal."""
    now = _now(now)
    agreement = _lock_agreement(agreement_id)
    case = agreement.case
    require_capability(actor, HANDLE, case.unit)
    if agreement.effective_on is None:
        raise ValidationError(
            _("协议书签署生效后才能申请司法确认，请先上传签字盖章的协议书。"), code="not_effective"
        )
    if on > timezone.localdate(now) or on < agreement.effective_on:
        raise ValidationError(_("日期应在协议生效之日与今天之间。"), code="date")
    court = _text(court, _("请填写人民法院名称。"), "no_court")
    if decision == Agreement.Confirmation.APPLIED:
        if agreement.confirmation != Agreement.Confirmation.NONE:
            raise ValidationError(_("已登记过司法确认申请。"), code="applied")
        due = agreement.confirmation_due_on
        assert due is not None
        if on > due:
            raise ValidationError(
                _("申请司法确认应在协议生效之日起三十日内（截至 %(due)s）提出。") % {"due": due.isoformat()},
                code="late",
            )
        agreement.confirmation_applied_on = on
    elif decision in (Agreement.Confirmation.CONFIRMED, Agreement.Confirmation.REFUSED):
        if agreement.confirmation not in (Agreement.Confirmation.NONE, Agreement.Confirmation.APPLIED):
            raise ValidationError(_("法院的决定已登记。"), code="decided")
        if agreement.confirmation == Agreement.Confirmation.NONE:
            raise ValidationError(_("请先登记当事人共同申请司法确认。"), code="not_applied")
        agreement.confirmation_decided_on = on
        agreement.confirmation_note = (note or "").strip()
    else:
        raise ValidationError(_("请选择司法确认情况。"), code="decision")
    agreement.confirmation = decision
    agreement.court = court
    agreement.save()
    _record("mediation.confirmation", actor, case, case.unit, note=note, confirmation=decision, court=court)
    return agreement


@transaction.atomic
def do_follow_up(
    follow_up_id: int, *, actor: User, result: str, note: str, now: dt.datetime | None = None
) -> FollowUp:
    now = _now(now)
    item = lock(
        FollowUp.objects.select_related("agreement__case__unit"),
        follow_up_id,
        _("回访任务不存在。"),
        "no_follow_up",
    )
    case = item.agreement.case
    require_capability(actor, HANDLE, case.unit)
    if item.done_at is not None:
        raise ValidationError(_("该回访已完成。"), code="done")
    if result not in (FollowUp.Result.PERFORMED, FollowUp.Result.PARTLY, FollowUp.Result.NOT_PERFORMED):
        raise ValidationError(_("请选择履行情况。"), code="result")
    item.result = result
    item.note = _text(note, _("请填写回访记录。"), "no_note")
    item.done_at = now
    item.done_by = actor
    item.save(update_fields=["result", "note", "done_at", "done_by"])
    _record("mediation.follow_up", actor, case, case.unit, note=item.note, result=result, due_on=item.due_on)
    return item


# ------------------------------------------------------------------------------- screening and warnings


@transaction.atomic
def record_screening(
    *,
    actor: User,
    unit: Unit,
    screened_on: dt.date,
    round: str,
    parties: str,
    dispute_type: str,
    place: str,
    people_count: int,
    summary: str,
    risk_level: str,
    risk_reasons: Sequence[str] = (),
    amount: Decimal | None = None,
    action_taken: str = "",
    told_bodies: str = "",
    now: dt.datetime | None = None,
) -> Screening:
    """矛盾纠纷排查: one dispute found. A high risk with a reason of 第二十五条 (threats or violence: 民转刑; a group
    dispute; repeated petitions) raises a warning to the 司法所 and 司法局 in the same transaction."""
    now = _now(now)
    require_capability(actor, SCREEN, unit)
    if unit.kind != Unit.Kind.MEDIATION:
        raise ValidationError(_("矛盾纠纷排查由人民调解委员会登记。"), code="not_committee")
    if round not in ScreeningRound.values or dispute_type not in DisputeType.values:
        raise ValidationError(_("排查类型或纠纷类型无效。"), code="choice")
    if risk_level not in RiskLevel.values:
        raise ValidationError(_("请选择风险等级。"), code="risk_level")
    reasons = [r for r in dict.fromkeys(risk_reasons)]
    if any(r not in RiskReason.values for r in reasons):
        raise ValidationError(_("风险因素无效。"), code="reason")
    if risk_level != RiskLevel.LOW and not reasons:
        raise ValidationError(_("中、高风险请勾选风险因素。"), code="no_reasons")
    if screened_on > timezone.localdate(now):
        raise ValidationError(_("排查日期不能晚于今天。"), code="future")
    if people_count < 1:
        raise ValidationError(_("涉及人数至少为 1。"), code="people")
    screening = Screening.objects.create(
        unit=unit,
        screened_on=screened_on,
        round=round,
        parties=_text(parties, _("请填写当事人。"), "no_parties")[:200],
        dispute_type=dispute_type,
        place=_text(place, _("请填写发生地点。"), "no_place")[:120],
        people_count=people_count,
        amount=amount,
        summary=_text(summary, _("请填写纠纷简要情况。"), "no_summary"),
        risk_level=risk_level,
        risk_reasons=reasons,
        action_taken=(action_taken or "").strip(),
        recorded_by=actor,
        created_at=now,
    )
    _record("mediation.screening", actor, screening, unit, risk_level=risk_level, reasons=reasons)
    if risk_level == RiskLevel.HIGH:
        kinds = list(dict.fromkeys(WARNING_OF_REASON[r] for r in reasons if r in WARNING_OF_REASON))
        for kind in kinds:
            _raise(screening=screening, unit=unit, kind=kind, actor=actor, told=told_bodies, now=now)
    return screening


def _raise(
    *, screening: Screening, unit: Unit, kind: str, actor: User, told: str, now: dt.datetime
) -> RiskWarning:
    warning = RiskWarning.objects.create(
        unit=unit,
        region_id=unit.region_id,
        screening=screening,
        kind=kind,
        summary=f"{screening.parties}：{screening.summary}",
        told_bodies=(told or "").strip()[:200],
        told_at=now if (told or "").strip() else None,
        raised_at=now,
        raised_by=actor,
        next_check_on=timezone.localdate(now) + dt.timedelta(days=WARNING_CHECK_DAYS),
    )
    _record("mediation.warning", actor, warning, unit, kind=kind, told_bodies=warning.told_bodies)
    return warning


@transaction.atomic
def record_meeting(
    *,
    actor: User,
    unit: Unit,
    held_on: dt.date,
    attendees: str,
    screening_ids: Sequence[int],
    decisions: str,
    now: dt.datetime | None = None,
) -> ReviewMeeting:
    """A town's 研判会: the disputes reviewed (those of the committees the unit reaches) and the decisions."""
    now = _now(now)
    require_capability(actor, SCREEN, unit)
    if held_on > timezone.localdate(now):
        raise ValidationError(_("召开日期不能晚于今天。"), code="future")
    screenings = list(Screening.objects.visible_to(actor).filter(pk__in=list(screening_ids)))
    if not screenings or len(screenings) != len(set(screening_ids)):
        raise ValidationError(_("请选择研判的纠纷。"), code="no_screenings")
    meeting = ReviewMeeting.objects.create(
        unit=unit,
        held_on=held_on,
        attendees=_text(attendees, _("请填写参会人员。"), "no_attendees")[:300],
        decisions=_text(decisions, _("请填写研判意见和工作安排。"), "no_decisions"),
        recorded_by=actor,
        created_at=now,
    )
    meeting.screenings.set(screenings)
    _record("mediation.meeting", actor, meeting, unit, held_on=held_on, disputes=len(screenings))
    return meeting


# Units a warning may be raised at: the committee of the dispute, the 司法所 or the 司法局 itself.
WARNING_UNIT_KINDS = (Unit.Kind.MEDIATION, Unit.Kind.JUDICIAL_OFFICE, Unit.Kind.BUREAU)


@transaction.atomic
def raise_warning(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    summary: str,
    told_bodies: str = "",
    now: dt.datetime | None = None,
) -> RiskWarning:
    """A 风险预警 raised directly (人民调解法 第二十五条), not from a screening finding: a 司法所 or a 司法局's supervisor
    learns of a dispute that may turn into a criminal case, a group incident or a repeated petition (from a call, a
    petition office, a village) and raises it at the committee, 司法所 or 司法局 that follows it up."""
    from .choices import WarningKind

    now = _now(now)
    require_capability(actor, WARN, unit)
    if unit.kind not in WARNING_UNIT_KINDS:
        raise ValidationError(
            {"unit": [_("风险预警只能发给人民调解委员会、司法所或司法局。")]}, code="unit_kind"
        )
    if kind not in WarningKind.values:
        raise ValidationError({"kind": [_("请选择预警类型。")]}, code="kind")
    summary = _text(summary, _("请填写预警情况。"), "no_summary")
    told = (told_bodies or "").strip()[:200]
    warning = RiskWarning.objects.create(
        unit=unit,
        region_id=unit.region_id,
        kind=kind,
        summary=summary,
        told_bodies=told,
        told_at=now if told else None,
        raised_at=now,
        raised_by=actor,
        next_check_on=timezone.localdate(now) + dt.timedelta(days=WARNING_CHECK_DAYS),
    )
    _record("mediation.warning", actor, warning, unit, kind=kind, told_bodies=told, direct=True)
    return warning


@transaction.atomic
def open_case_from_warning(
    warning_id: int,
    *,
    actor: User,
    dispute_type: str,
    parties: Sequence[PartyData],
    committee: Unit | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """转入调解: a mediation case for the dispute behind a warning, at ``committee`` (by default the committee that
    raised it). From a screening finding still open the case takes that finding (source 排查发现); otherwise it is
    the committee's own initiative (主动调解). The warning stays open until the risk is lowered, and shows its case."""
    now = _now(now)
    warning = _lock_warning(warning_id)
    require_capability(actor, HANDLE, warning.unit)
    if warning.case is not None:
        raise ValidationError(
            _("该预警已转入调解（%(no)s）。") % {"no": warning.case.number}, code="has_case"
        )
    unit = committee or (warning.unit if warning.unit.kind == Unit.Kind.MEDIATION else None)
    if unit is None:
        raise ValidationError({"committee": [_("请选择受理调解的人民调解委员会。")]}, code="no_committee")
    screening = warning.screening
    from_screening = screening is not None and screening.status == Screening.Status.OPEN
    case = open_case(
        actor=actor,
        unit=unit,
        source=CaseSource.SCREENING if from_screening else CaseSource.INITIATIVE,
        dispute_type=dispute_type,
        summary=warning.summary,
        place=screening.place if screening is not None else "",
        amount=screening.amount if screening is not None else None,
        screening=screening if from_screening else None,
        parties=parties,
        now=now,
    )
    if RiskWarning.objects.filter(pk=warning.pk, case__isnull=True).update(case=case) != 1:
        warning.refresh_from_db(fields=["case"])
    _record("mediation.warning_case", actor, warning, warning.unit, case=case.number)
    return case


def _lock_warning(warning_id: int) -> RiskWarning:
    return lock(RiskWarning.objects.select_related("unit"), warning_id, _("预警不存在。"), "no_warning")


@transaction.atomic
def check_warning(
    warning_id: int, *, actor: User, note: str, told_bodies: str = "", now: dt.datetime | None = None
) -> RiskWarning:
    """跟踪稳控: a follow-up of an open warning; the clock moves to the next check."""
    now = _now(now)
    warning = _lock_warning(warning_id)
    require_capability(actor, WARN, warning.unit)
    if warning.status != RiskWarning.Status.OPEN:
        raise ValidationError(_("该预警已解除。"), code="lowered")
    note = _text(note, _("请填写跟踪情况。"), "no_note")
    WarningCheck.objects.create(warning=warning, note=note, checked_at=now, checked_by=actor)
    fields = ["next_check_on"]
    if told_bodies.strip():
        warning.told_bodies = told_bodies.strip()[:200]
        warning.told_at = now
        fields += ["told_bodies", "told_at"]
    warning.next_check_on = timezone.localdate(now) + dt.timedelta(days=WARNING_CHECK_DAYS)
    warning.save(update_fields=fields)
    _record("mediation.warning_check", actor, warning, warning.unit, note=note)
    return warning


@transaction.atomic
def lower_warning(warning_id: int, *, actor: User, note: str, now: dt.datetime | None = None) -> RiskWarning:
    now = _now(now)
    warning = _lock_warning(warning_id)
    require_capability(actor, WARN, warning.unit)
    if warning.status != RiskWarning.Status.OPEN:
        raise ValidationError(_("该预警已解除。"), code="lowered")
    warning.lowered_note = _text(note, _("请说明风险已降低的情况。"), "no_note")
    warning.status = RiskWarning.Status.LOWERED
    warning.lowered_at = now
    warning.save(update_fields=["lowered_note", "status", "lowered_at"])
    _record("mediation.warning_lower", actor, warning, warning.unit, note=warning.lowered_note)
    return warning


# ------------------------------------------------------------------------------------------- referrals


def committee_for(region_id: str) -> Unit | None:
    """The 人民调解委员会 of a town (or, failing one, of the nearest region above it)."""
    code = region_id
    while code:
        unit = (
            Unit.objects.filter(kind=Unit.Kind.MEDIATION, region_id=code, is_active=True)
            .order_by("pk")
            .first()
        )
        if unit is not None:
            return unit
        from fawang.regions.models import Region

        parent = Region.objects.filter(code=code).values_list("parent_id", flat=True).first()
        code = parent or ""
    return None


@transaction.atomic
def receive_referral(
    *,
    partner: ReferralPartner,
    reference_no: str,
    region_id: str,
    dispute_type: str,
    summary: str,
    parties: Sequence[PartyData],
    now: dt.datetime | None = None,
) -> tuple[Case, bool]:
    """A dispute referred through the API (诉调、警调、访调对接). Idempotent on (partner, reference number): a resent
    referral returns the first case and ``False``."""
    now = _now(now)
    reference_no = _text(reference_no, _("请填写移送单位的案号。"), "no_reference")[:60]
    known = (
        Referral.objects.filter(referrer=partner.name, reference_no=reference_no)
        .select_related("case")
        .first()
    )
    if known is not None:
        return known.case, False
    unit = committee_for(region_id)
    if unit is None:
        raise ValidationError({"region": [_("该区划没有人民调解委员会。")]})
    try:
        with transaction.atomic():
            case = open_case(
                actor=None,
                unit=unit,
                source=CaseSource.REFERRAL,
                dispute_type=dispute_type,
                summary=summary,
                parties=parties,
                referral=ReferralData(partner.kind, partner.name, reference_no, partner),
                now=now,
            )
    except IntegrityError:
        known = Referral.objects.select_related("case").get(referrer=partner.name, reference_no=reference_no)
        return known.case, False
    return case, True


def outcome_of(case: Case) -> dict[str, Any]:
    """What the referrer is told: the case, its status and outcome (no personal data beyond what they sent)."""
    agreement = Agreement.objects.filter(case=case).first()
    return {
        "case_number": case.number,
        "committee": case.unit.name,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "closed": not case.is_open,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "outcome": case.outcome_note,
        "routes_told": case.routes_told,
        "agreement": None
        if agreement is None
        else {
            "form": agreement.form,
            "terms": agreement.terms,
            "effective_on": agreement.effective_on.isoformat() if agreement.effective_on else None,
            "confirmation": agreement.confirmation,
        },
    }


# ------------------------------------------------------------------------------------------- reminders

REMIND_DAYS_BEFORE = 7


def send_confirmation_reminders(today: dt.date | None = None) -> int:
    """Remind the parties (SMS) and the mediators with an account (站内信) once, when at most ``REMIND_DAYS_BEFORE``
    natural days remain to apply jointly for judicial confirmation (第三十三条). Idempotent: an agreement is
    reminded once (``reminded_on``) and each message has a dedupe key."""
    from fawang.notify import actions as notify
    from fawang.notify.models import Message

    today = today or timezone.localdate()
    sent = 0
    due = Agreement.objects.filter(
        effective_on__isnull=False,
        confirmation=Agreement.Confirmation.NONE,
        reminded_on__isnull=True,
        effective_on__gte=today - dt.timedelta(days=30),
        effective_on__lte=today - dt.timedelta(days=30 - REMIND_DAYS_BEFORE),
    ).select_related("case__unit")
    for agreement in due:
        with transaction.atomic():
            row = (
                Agreement.objects.select_for_update()
                .filter(pk=agreement.pk, reminded_on__isnull=True)
                .first()
            )
            if row is None:
                continue
            case = agreement.case
            last = agreement.confirmation_due_on
            assert last is not None
            text = _(
                "【人民调解】您在%(unit)s达成的调解协议（%(no)s）可于 %(due)s 前由双方共同向人民法院申请司法确认"
                "（人民调解法 第三十三条）。"
            ) % {"unit": case.unit.name, "no": case.number, "due": last.isoformat()}
            for party in case.parties.exclude(phone=""):
                notify.enqueue(
                    channel=Message.Channel.SMS,
                    kind="mediation.confirmation_reminder",
                    body=text,
                    phone=party.phone,
                    related=row,
                    region_code=case.unit.region_id,
                    dedupe_key=f"mediation:agreement:{row.pk}:remind:party:{party.pk}",
                )
            for cm in case.mediators.filter(recused_at__isnull=True).select_related("mediator__user"):
                if cm.mediator.user is not None:
                    notify.enqueue(
                        channel=Message.Channel.INAPP,
                        kind="mediation.confirmation_reminder",
                        body=text,
                        user=cm.mediator.user,
                        related=row,
                        region_code=case.unit.region_id,
                        dedupe_key=f"mediation:agreement:{row.pk}:remind:mediator:{cm.pk}",
                    )
            row.reminded_on = today
            row.save(update_fields=["reminded_on"])
            sent += 1
    return sent


def remind_overdue_warnings(today: dt.date | None = None) -> int:
    """An open warning whose follow-up date has passed (跟踪稳控 overdue): the staff of its unit who follow warnings
    up are told in the console's inbox, once per follow-up date (claimed by a conditional update of
    ``overdue_reminded_for``; a follow-up moves the date, and a new lapse is reminded again). The number reminded."""
    from fawang.notify import actions as notify
    from fawang.notify.models import Message
    from fawang.orgs.models import Membership
    from fawang.orgs.roles import CAPABILITIES

    today = today or timezone.localdate()
    reminded = 0
    due = (
        RiskWarning.objects.filter(status=RiskWarning.Status.OPEN, next_check_on__lt=today)
        .exclude(overdue_reminded_for=models.F("next_check_on"))
        .select_related("unit")
    )
    for warning in due:
        with transaction.atomic():
            claimed = (
                RiskWarning.objects.filter(pk=warning.pk, status=RiskWarning.Status.OPEN)
                .exclude(overdue_reminded_for=warning.next_check_on)
                .update(overdue_reminded_for=warning.next_check_on)
            )
            if claimed != 1:
                continue
            text = _(
                "【风险预警】%(unit)s的“%(kind)s”预警应于 %(due)s 跟踪，已逾期未跟踪，请及时跟踪稳控。"
            ) % {
                "unit": warning.unit.name,
                "kind": warning.get_kind_display(),
                "due": warning.next_check_on.isoformat(),
            }
            members = (
                Membership.objects.active()
                .filter(unit=warning.unit, role__in=CAPABILITIES[WARN])
                .select_related("user")
                .order_by("pk")
            )
            staff = {membership.user_id: membership.user for membership in members}
            for user_id, user in staff.items():
                notify.enqueue(
                    channel=Message.Channel.INAPP,
                    kind="mediation.warning_overdue",
                    body=text,
                    user=user,
                    related=warning,
                    region_code=warning.region_id,
                    dedupe_key=f"mediation:warning:{warning.pk}:overdue:{warning.next_check_on}:user:{user_id}",
                )
            reminded += 1
    return reminded


@transaction.atomic
def add_partner(*, name: str, kind: str, key_id: str, callback_url: str = "") -> tuple[ReferralPartner, str]:
    """登记对接单位: a court, police station or petition office that refers through the API. Returns the partner and
    its new signing secret (shown once; kept encrypted)."""
    import secrets

    from django.core.validators import URLValidator

    if kind not in ReferrerKind.values:
        raise ValidationError(_("对接单位类别无效。"), code="kind")
    name = _text(name, _("请填写对接单位名称。"), "no_name")
    key_id = _text(key_id, _("请填写接入标识。"), "no_key")
    if callback_url:
        URLValidator(schemes=["https"])(callback_url)
    if (
        ReferralPartner.objects.filter(key_id=key_id).exists()
        or ReferralPartner.objects.filter(name=name).exists()
    ):
        raise ValidationError(_("该对接单位或接入标识已登记。"), code="duplicate")
    secret = secrets.token_urlsafe(32)
    partner = ReferralPartner.objects.create(
        name=name, kind=kind, key_id=key_id, secret=secret, callback_url=callback_url
    )
    audit.record(
        "mediation.partner",
        actor=None,
        target=partner,
        diff=({}, {"name": name, "kind": kind, "key_id": key_id, "callback_url": callback_url}),
    )
    return partner, secret


# ------------------------------------------------------------------------------ committees and mediators

COMMITTEE_FIELDS = ["kind", "field", "time_limit_days", "members", "full_time_posts"]
MEDIATOR_FIELDS = ["name", "gender", "phone"]


def _committee_unit(unit: Unit) -> None:
    """Only a 人民调解委员会 keeps a committee's particulars and mediators (or a unit that already has them)."""
    if unit.kind != Unit.Kind.MEDIATION and not CommitteeProfile.objects.filter(unit=unit).exists():
        raise ValidationError(_("只有人民调解委员会登记调委会信息和人民调解员。"), code="not_committee")


@transaction.atomic
def save_committee(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    field: str = "",
    time_limit_days: int,
    members: int | None = None,
    full_time_posts: int | None = None,
) -> CommitteeProfile:
    """编辑调委会信息: its kind (village, town, industry, profession), field, time limit for its cases and staffing
    figures. A committee edits its own, the 司法所 those of its town, the 司法局 those of its region (the unit rule of
    ``mediation.manage``)."""
    from .choices import CommitteeKind

    require_capability(actor, MANAGE, unit)
    _committee_unit(unit)
    if kind not in CommitteeKind.values:
        raise ValidationError({"kind": [_("请选择调委会类别。")]}, code="kind")
    if not 1 <= time_limit_days <= 90:
        raise ValidationError({"time_limit_days": [_("调解期限应在 1 至 90 日之间。")]}, code="time_limit")
    if members is not None and not 3 <= members <= 9:
        raise ValidationError(
            {"members": [_("人民调解委员会由委员三至九人组成（人民调解法 第八条）。")]}, code="members"
        )
    field = (field or "").strip()[:40]
    if kind in (CommitteeKind.INDUSTRY, CommitteeKind.PROFESSION) and not field:
        raise ValidationError({"field": [_("行业性、专业性调委会请填写专业领域。")]}, code="no_field")
    profile = CommitteeProfile.objects.select_for_update().filter(unit=unit).first()
    before = audit.snapshot(profile, COMMITTEE_FIELDS) if profile else {}
    if profile is None:
        profile = CommitteeProfile(unit=unit)
    profile.kind = kind
    profile.field = field
    profile.time_limit_days = time_limit_days
    profile.members = members
    profile.full_time_posts = full_time_posts
    profile.save()
    diff = audit.changes(before, audit.snapshot(profile, COMMITTEE_FIELDS))
    if diff != ({}, {}):
        audit.record("mediation.committee", actor=actor, target=profile, unit=unit, diff=diff)
    return profile


def _mediator_values(name: str, gender: str, phone: str) -> tuple[str, str, str]:
    from fawang.lib.validators import validate_phone

    name = _text(name, _("请填写调解员姓名。"), "no_name")[:32]
    phone = (phone or "").strip()
    if phone:
        try:
            validate_phone(phone)
        except ValidationError:
            raise ValidationError({"phone": [_("联系电话格式不正确。")]}, code="phone") from None
    if gender not in ("", *Practitioner.Gender.values):
        raise ValidationError({"gender": [_("性别无效。")]}, code="gender")
    return name, gender, phone


@transaction.atomic
def add_mediator(
    *, actor: User, unit: Unit, name: str, employment: str, gender: str = "", phone: str = ""
) -> Practitioner:
    """登记人民调解员 of a committee (kind full- or part-time); the directory lists them with the committee."""
    from .choices import Employment

    require_capability(actor, MANAGE, unit)
    _committee_unit(unit)
    if employment not in Employment.values:
        raise ValidationError({"employment": [_("请选择专职或兼职。")]}, code="employment")
    name, gender, phone = _mediator_values(name, gender, phone)
    mediator = Practitioner.objects.create(
        name=name, gender=gender, phone=phone, kind=Practitioner.Kind.MEDIATOR, unit=unit
    )
    MediatorProfile.objects.create(practitioner=mediator, employment=employment)
    audit.record(
        "mediation.mediator",
        actor=actor,
        target=mediator,
        unit=unit,
        diff=audit.created({**audit.snapshot(mediator, MEDIATOR_FIELDS), "employment": employment}),
    )
    return mediator


def _lock_mediator(mediator_id: int) -> Practitioner:
    return lock(
        Practitioner.objects.filter(kind=Practitioner.Kind.MEDIATOR).select_related("unit"),
        mediator_id,
        _("人民调解员不存在。"),
        "no_mediator",
    )


@transaction.atomic
def edit_mediator(
    mediator_id: int, *, actor: User, name: str, employment: str, gender: str = "", phone: str = ""
) -> Practitioner:
    from .choices import Employment

    mediator = _lock_mediator(mediator_id)
    assert mediator.unit is not None
    require_capability(actor, MANAGE, mediator.unit)
    if employment not in Employment.values:
        raise ValidationError({"employment": [_("请选择专职或兼职。")]}, code="employment")
    name, gender, phone = _mediator_values(name, gender, phone)
    profile = MediatorProfile.objects.filter(practitioner=mediator).first()
    before = {
        **audit.snapshot(mediator, MEDIATOR_FIELDS),
        "employment": profile.employment if profile else None,
    }
    mediator.name, mediator.gender, mediator.phone = name, gender, phone
    mediator.save(update_fields=MEDIATOR_FIELDS)
    if profile is None:
        profile = MediatorProfile.objects.create(practitioner=mediator, employment=employment)
    elif profile.employment != employment:
        profile.employment = employment
        profile.save(update_fields=["employment"])
    diff = audit.changes(before, {**audit.snapshot(mediator, MEDIATOR_FIELDS), "employment": employment})
    if diff != ({}, {}):
        audit.record("mediation.mediator", actor=actor, target=mediator, unit=mediator.unit, diff=diff)
    return mediator


@transaction.atomic
def add_training(
    mediator_id: int,
    *,
    actor: User,
    trained_on: dt.date,
    hours: int,
    subject: str,
    now: dt.datetime | None = None,
) -> TrainingRecord:
    """登记培训 (人民调解法 第十四条): the record, and the mediator's running total of hours and latest date."""
    from .choices import Employment

    now = _now(now)
    mediator = _lock_mediator(mediator_id)
    assert mediator.unit is not None
    require_capability(actor, MANAGE, mediator.unit)
    if trained_on > timezone.localdate(now):
        raise ValidationError({"trained_on": [_("培训日期不能晚于今天。")]}, code="future")
    if not 1 <= hours <= 200:
        raise ValidationError({"hours": [_("学时应在 1 至 200 之间。")]}, code="hours")
    subject = _text(subject, _("请填写培训内容。"), "no_subject")[:120]
    record = TrainingRecord.objects.create(
        practitioner=mediator,
        trained_on=trained_on,
        hours=hours,
        subject=subject,
        recorded_by=actor,
        created_at=now,
    )
    profile, _created = MediatorProfile.objects.select_for_update().get_or_create(
        practitioner=mediator, defaults={"employment": Employment.PART_TIME}
    )
    profile.training_hours += hours
    if profile.last_trained_on is None or trained_on > profile.last_trained_on:
        profile.last_trained_on = trained_on
    profile.save(update_fields=["training_hours", "last_trained_on"])
    audit.record(
        "mediation.training",
        actor=actor,
        target=mediator,
        unit=mediator.unit,
        diff=audit.created({"trained_on": trained_on.isoformat(), "hours": hours, "subject": subject}),
    )
    return record


def cases_handled(mediator_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Per mediator: the cases they took part in (not withdrawn by 回避) and, of those, the ones that ended in an
    agreement."""
    out: dict[int, tuple[int, int]] = {}
    rows = CaseMediator.objects.filter(
        mediator_id__in=list(mediator_ids), recused_at__isnull=True
    ).values_list("mediator_id", "case__status")
    for mediator_id, status in rows:
        total, agreed = out.get(mediator_id, (0, 0))
        out[mediator_id] = (total + 1, agreed + (status == Case.Status.AGREED))
    return out
