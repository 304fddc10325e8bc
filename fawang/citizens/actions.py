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
from django.db import IntegrityError, transaction
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
from fawang.matters.actions import MatterRequest, SubmitResult, account_person, do_comment, do_submit
from fawang.matters.models import Matter, MatterEvent, Person
from fawang.orgs.models import Speciality
from fawang.regions.models import Region

from .models import PhoneCode, Profile

CODE_DIGITS = otp.CODE_DIGITS
SALT = "fawang.citizens.sign-in-code"
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
    if not errors:
        other = Profile.objects.filter(id_number_hash=crypto.lookup_hash(id_number)).exclude(user=user)
        if other.exists():
            errors["id_number"] = [_("该身份证号码已被其他账号实名登记，如有疑问请拨打 12348。")]
    if errors:
        raise ValidationError(errors)
    user.display_name = name
    user.save(update_fields=["display_name"])
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.id_number = id_number
    profile.id_number_hash = crypto.lookup_hash(id_number)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise ValidationError(
            {"id_number": [_("该身份证号码已被其他账号实名登记，如有疑问请拨打 12348。")]}
        ) from None
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
