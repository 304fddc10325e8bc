"""The only writers of public-account state: sign-in codes, accounts, real-name details, and the online
consultation (a Matter submitted through ``matters.actions.do_submit``).

Sign-in codes follow public tracking (matters.actions.public_tracking): six digits kept only as a keyed hash,
valid ``CITIZENS_CODE_MINUTES`` (10) minutes and for at most ``CITIZENS_CODE_ATTEMPTS`` (5) tries; at most one
code per ``CITIZENS_SEND_INTERVAL_SECONDS`` (60) per number, ``CITIZENS_SENDS_PER_HOUR`` (5) per number and
``CITIZENS_SENDS_PER_HOUR_PER_IP`` (10) per client address, with no interval per address (fawang.lib.sendlimits).
The code goes through the notify outbox (kind ``otp.login``, masked wherever staff read the outbox).

A code only ever opens a *public* account: staff accounts are never looked up here, so a staff member's
number signs in (or signs up) a separate public account and never the staff one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.audit import actions as audit
from fawang.catalog.models import ServiceItem
from fawang.consult import threads
from fawang.lib import crypto, otp
from fawang.lib.sendlimits import RateLimited as RateLimited  # raised here; callers catch it from this module
from fawang.lib.sendlimits import check_send_limits
from fawang.lib.validators import MOBILE_RE, normalize_mobile, validate_id_number
from fawang.matters.actions import (
    MatterRequest,
    SubmitResult,
    account_person,
    do_claim_person,
    do_comment,
    do_submit,
)
from fawang.matters.models import Matter, MatterEvent, Person
from fawang.orgs.models import Speciality
from fawang.regions.models import Region

from .models import BrowserSession, IdClaimCode, PhoneCode, Profile

CODE_DIGITS = otp.CODE_DIGITS
SALT = "fawang.citizens.sign-in-code"
CLAIM_SALT = "fawang.citizens.id-claim"
CONSULTATION = "consultation"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def code_minutes() -> int:
    return _setting("CITIZENS_CODE_MINUTES", 10)


def code_attempts() -> int:
    return _setting("CITIZENS_CODE_ATTEMPTS", 5)


@dataclass(frozen=True)
class SentCode:
    phone: str
    code: str  # only so that a development page can show it (public_tracking.show_codes)


def clean_phone(value: str) -> str:
    phone = normalize_mobile(value)
    if not MOBILE_RE.match(phone):
        raise ValidationError(_("请输入正确的 11 位手机号码。"), code="invalid_mobile")
    return phone


def _check_limits(phone: str, ip: str | None, now: dt.datetime) -> None:
    check_send_limits(
        PhoneCode.objects.all(),
        Q(phone=phone),
        ip,
        now,
        interval=dt.timedelta(seconds=_setting("CITIZENS_SEND_INTERVAL_SECONDS", 60)),
        per_key=_setting("CITIZENS_SENDS_PER_HOUR", 5),
        per_ip=_setting("CITIZENS_SENDS_PER_HOUR_PER_IP", 10),
    )


@transaction.atomic
def request_sign_in_code(phone: str, *, ip: str | None, now: dt.datetime | None = None) -> SentCode:
    """Send a sign-in code to ``phone`` (registered or not: signing in the first time creates the account).
    Raises ValidationError for a malformed number and RateLimited when the number or address asked too often."""
    from fawang.notify.actions import enqueue

    now = now or timezone.now()
    phone = clean_phone(phone)
    # On SQLite the transaction is IMMEDIATE (settings), so two requests cannot both pass the limit check.
    _check_limits(phone, ip, now)
    code = otp.new_code()
    row = PhoneCode.objects.create(
        phone=phone,
        code_hash=otp.code_hash(SALT, phone, code),
        ip=ip,
        expires_at=now + dt.timedelta(minutes=code_minutes()),
        created_at=now,
    )
    enqueue(
        channel="sms",
        kind="otp.login",
        subject=_("登录验证码"),
        body=_(
            "您正在登录 12348 法网，验证码 %(code)s，%(minutes)s 分钟内有效。"
            "如非本人操作，请忽略本短信，切勿将验证码告诉他人。"
        )
        % {"code": code, "minutes": code_minutes()},
        phone=phone,
        dedupe_key=f"citizen-code:{row.pk}",
        # A code is useless after it expires: no long retry schedule for it.
        max_attempts=3,
    )
    return SentCode(phone, code)


def _check_code(phone: str, code: str, now: dt.datetime) -> None:
    otp.check_latest(
        PhoneCode.objects.filter(phone=phone),
        salt=SALT,
        key=phone,
        code=code,
        now=now,
        attempts=code_attempts(),
    )


def _new_username(phone: str) -> str:
    username = f"public-{phone}"
    while User.objects.filter(username=username).exists():
        username = f"public-{phone}-{secrets.token_hex(3)}"
    return username


@dataclass(frozen=True)
class SignIn:
    user: User
    created: bool


def verify_sign_in_code(phone: str, code: str, *, now: dt.datetime | None = None) -> SignIn:
    """The public account of ``phone`` (created on first sign-in) when ``code`` is its latest code, unused,
    unexpired and within its tries; otherwise a ValidationError in Chinese."""
    now = now or timezone.now()
    phone = clean_phone(phone)
    _check_code(phone, otp.clean_code(code), now)
    with transaction.atomic():
        user = User.objects.filter(kind=User.Kind.PUBLIC, phone=phone).order_by("pk").first()
        if user is not None:
            if not user.is_active:
                raise ValidationError(_("该账号已停用，如有疑问请拨打 12348。"), code="inactive")
            return SignIn(user, False)
        user = User(username=_new_username(phone), kind=User.Kind.PUBLIC, phone=phone)
        user.set_unusable_password()
        user.save()
        return SignIn(user, True)


def _public(user: User) -> None:
    if user.kind != User.Kind.PUBLIC:
        raise ValidationError(_("工作人员账号不能使用公众服务。"), code="not_public")


@transaction.atomic
def do_update_profile(user_id: int, *, name: str, id_number: str) -> User:
    """Real-name details: the name (``display_name``) and the 18-digit ID number, checked (format, birth date,
    check digit) and stored encrypted. The account's own person record (``own_person``) follows the name."""
    user = User.objects.select_for_update().get(pk=user_id)
    _public(user)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写真实姓名。")]
    elif len(name) > 32:
        errors["name"] = [_("姓名不能超过 32 个字。")]
    id_number = (id_number or "").strip().upper()
    if not id_number:
        errors["id_number"] = [_("请填写身份证号码。")]
    else:
        try:
            validate_id_number(id_number)
        except ValidationError as error:
            errors["id_number"] = list(error.messages)
    # No look-up of who else holds the number: the answer is the same whether or not it is registered (a
    # refusal here told anyone which ID numbers have an account). Stating a number proves nothing; the record
    # with that number becomes the account's only on proof (request_claim_code, or staff: do_link_account).
    if errors:
        raise ValidationError(errors)
    user.display_name = name
    user.save(update_fields=["display_name"])
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.id_number = id_number
    profile.id_number_hash = crypto.lookup_hash(id_number)
    profile.save()
    Person.objects.filter(user=user).update(name=name)
    return user


def has_real_name(user: User) -> bool:
    return bool(user.display_name) and Profile.objects.filter(user=user).exclude(id_number_hash="").exists()


def own_person(user: User) -> Person:
    """The person record of the account's own online requests, one per person (一人一档): the record linked to
    the account, else the one the front desk registered with the account's ID number, name and mobile (or, with
    no ID number, its name and mobile), else a new one (``matters.actions.account_person``)."""
    profile = Profile.objects.filter(user=user).first()
    return account_person(user, id_number=profile.id_number if profile else "")


@transaction.atomic
def do_ask(
    *,
    actor: User,
    question: str,
    region: Region,
    topic: Speciality | None = None,
    key: str = "",
    channel: str = "web",
    now: dt.datetime | None = None,
) -> SubmitResult:
    """An online consultation (网上咨询): a matter of the 法律咨询 item on an online channel (``web`` for the
    portal, ``app`` or ``wechat`` through the API), routed like any other. ``key`` (from the form, or derived
    from the API's Idempotency-Key) makes a resend return the first matter instead of a second one."""
    _public(actor)
    if not has_real_name(actor):
        raise ValidationError(_("请先填写实名信息。"), code="no_real_name")
    item = ServiceItem.objects.filter(code=CONSULTATION).first()
    if item is None:
        raise ValidationError(_("服务事项目录中没有“法律咨询”事项，请联系管理员。"), code="no_item")
    key = "".join(c for c in key if c.isalnum())[:32]
    return do_submit(
        actor=actor,
        person=own_person(actor),
        requests=[MatterRequest(service_item=item, description=question, region=region, topic=topic)],
        channel=channel,
        # Scoped to the account: a key copied from someone else's form can only ever return one's own matter.
        idempotency_key=f"me:{actor.pk}:consult:{key}" if key else None,
        now=now,
    )


def do_follow_up(matter_id: int, *, actor: User, text: str) -> MatterEvent:
    """追问: the person's follow-up question on their own matter, shown to the handling unit (``do_comment``).
    A consultation the person has confirmed solved takes no more: a new question is a new consultation."""
    _public(actor)
    matter = Matter.objects.of_public_user(actor).select_related("service_item").filter(pk=matter_id).first()
    if matter is None:
        raise PermissionDenied(_("您只能办理本人的事项。"))
    if threads.thread(matter).resolved:
        raise ValidationError(
            _("您已确认该咨询的问题已解决。如有新的问题，请重新提交咨询。"), code="already_resolved"
        )
    return do_comment(matter.pk, actor=actor, text=text)


@transaction.atomic
def do_sign_out_device(user_id: int, token_id: int) -> bool:
    """Sign one of the account's apps out (``/me/devices/``): its API token is revoked at once. False when the
    token is not the account's own or is already signed out."""
    token = (
        ApiToken.objects.select_for_update()
        .filter(pk=token_id, user_id=user_id, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        "citizens.sign_out_device",
        actor=token.user,
        target=token,
        target_name=str(token),
        diff=({}, {"revoked_at": token.revoked_at.isoformat()}),
    )
    return True


# --- claiming the person record of one's ID number (认领档案) ------------------------------------------------


def claimed_person(user: User) -> Person | None:
    """The person record with the account's stated ID number when it is linked to the account (proved by a
    code to the record's mobile number, by signing in with that number, or by staff); None otherwise."""
    profile = Profile.objects.filter(user=user).exclude(id_number_hash="").first()
    if profile is None:
        return None
    return Person.objects.filter(id_number_hash=profile.id_number_hash, user=user).first()


@transaction.atomic
def request_claim_code(user_id: int, *, ip: str | None, now: dt.datetime | None = None) -> SentCode:
    """Send a code to the mobile number on the person record with the account's stated ID number, so the
    account can prove the record is its own. The caller answers the same whatever happened here: with no such
    record, a record without a mobile number or one linked to another account, nothing is sent and a row that
    can never match is kept (so the limits and the wrong-code answer are the same too). ``SentCode.code`` is
    empty when nothing was sent. Raises ValidationError with no real-name details, RateLimited when asked too
    often."""
    from fawang.notify.actions import enqueue

    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user_id)
    _public(user)
    profile = Profile.objects.filter(user=user).exclude(id_number_hash="").first()
    if profile is None:
        raise ValidationError(_("请先填写实名信息。"), code="no_real_name")
    check_send_limits(
        IdClaimCode.objects.all(),
        Q(user=user),
        ip,
        now,
        interval=dt.timedelta(seconds=_setting("CITIZENS_SEND_INTERVAL_SECONDS", 60)),
        per_key=_setting("CITIZENS_SENDS_PER_HOUR", 5),
        per_ip=_setting("CITIZENS_SENDS_PER_HOUR_PER_IP", 10),
    )
    person = Person.objects.filter(id_number_hash=profile.id_number_hash).first()
    target = person if person is not None and person.user_id is None and person.phone else None
    code = otp.new_code()
    row = IdClaimCode.objects.create(
        user=user,
        id_number_hash=profile.id_number_hash,
        person_id=target.pk if target else None,
        code_hash=otp.code_hash(CLAIM_SALT, f"{user.pk}:{profile.id_number_hash}", code) if target else "",
        ip=ip,
        expires_at=now + dt.timedelta(minutes=code_minutes()),
        created_at=now,
    )
    if target is None:
        return SentCode("", "")
    enqueue(
        channel="sms",
        kind="otp.claim",
        subject=_("档案认领验证码"),
        body=_(
            "有人申请把您在 12348 法网的服务档案（身份证号码尾号 %(tail)s）关联到一个公众账号，验证码 %(code)s，"
            "%(minutes)s 分钟内有效。如非本人操作，请勿把验证码告诉任何人。"
        )
        % {"tail": profile.id_number[-4:], "code": code, "minutes": code_minutes()},
        phone=target.phone,
        dedupe_key=f"citizen-claim:{row.pk}",
        max_attempts=3,
    )
    return SentCode(target.phone, code)


def verify_claim_code(user_id: int, code: str, *, now: dt.datetime | None = None) -> Person:
    """Link the person record with the account's stated ID number to the account when ``code`` is the latest
    claim code; a wrong code and a code never sent get the same answer (``otp.check_latest``)."""
    now = now or timezone.now()
    user = User.objects.get(pk=user_id)
    _public(user)
    profile = Profile.objects.filter(user=user).exclude(id_number_hash="").first()
    if profile is None:
        raise ValidationError(_("请先填写实名信息。"), code="no_real_name")
    row = otp.check_latest(
        IdClaimCode.objects.filter(user=user, id_number_hash=profile.id_number_hash),
        salt=CLAIM_SALT,
        key=f"{user.pk}:{profile.id_number_hash}",
        code=otp.clean_code(code),
        now=now,
        attempts=code_attempts(),
        usable=lambda row: bool(row.code_hash) and row.person_id is not None,
    )
    person = Person.objects.filter(pk=row.person_id, id_number_hash=profile.id_number_hash).first()
    if person is None:  # the record was merged away meanwhile
        raise ValidationError(_("该验证码已失效，请重新获取。"), code="stale")
    return do_claim_person(person.pk, user=user, how=str(_("登记手机号码验证码")))


# --- browsers signed in (/me/devices/) ---------------------------------------------------------------------


def record_browser_session(
    user: User, session_key: str, *, user_agent: str, ip: str | None
) -> BrowserSession:
    """A browser signed in (called right after ``login()``, which gave the session its new key)."""
    row, _created = BrowserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "user_agent": user_agent[:200], "ip": ip, "ended_at": None},
    )
    return row


def end_browser_session(session_key: str | None) -> None:
    """The browser signed out itself."""
    if session_key:
        BrowserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


def live_browser_sessions(user: User) -> list[BrowserSession]:
    """The account's browsers still signed in: not signed out, and the session still live in the store (the
    database store of settings.SESSION_ENGINE; a session that expired or timed out is gone from it)."""
    from django.contrib.sessions.models import Session

    rows = list(BrowserSession.objects.filter(user=user, ended_at__isnull=True).order_by("-signed_in_at"))
    live = set(
        Session.objects.filter(
            session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    return [row for row in rows if row.session_key in live]


@transaction.atomic
def do_sign_out_browser(user_id: int, row_id: int) -> BrowserSession | None:
    """Sign one of the account's browsers out from another (``/me/devices/``): its session is deleted from the
    store at once, so its next request is signed out. None when the row is not the account's or has ended."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    row = (
        BrowserSession.objects.select_for_update()
        .filter(pk=row_id, user_id=user_id, ended_at__isnull=True)
        .select_related("user")
        .first()
    )
    if row is None:
        return None
    store(session_key=row.session_key).delete()
    row.ended_at = timezone.now()
    row.save(update_fields=["ended_at"])
    audit.record(
        "citizens.sign_out_browser",
        actor=row.user,
        target=row,
        target_name=str(row),
        diff=({}, {"ended_at": row.ended_at.isoformat()}),
    )
    return row
