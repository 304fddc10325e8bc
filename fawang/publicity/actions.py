"""The only writers of publicity sites, photos, display items, activities, village surveys and talk bookings; each
leaves an audit row in its transaction. ``publicity.manage`` applies over the unit that keeps the row (a 司法局,
公共法律服务中心, 工作站 or 司法所), and a town must lie in that unit's region."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.knowledge.models import KnowledgeEntry
from fawang.lib import crypto
from fawang.lib.validators import normalize_mobile, validate_mobile
from fawang.matters.uploads import check_upload
from fawang.orgs.models import Unit
from fawang.orgs.roles import require_capability, require_capability_in_region
from fawang.regions.models import Region

from .models import Activity, DisplayItem, Photo, Site, TalkBooking, VillageSurvey

if TYPE_CHECKING:
    from fawang.accounts.models import User

MANAGE = "publicity.manage"
UNIT_KINDS = frozenset({Unit.Kind.BUREAU, Unit.Kind.CENTRE, Unit.Kind.STATION, Unit.Kind.JUDICIAL_OFFICE})
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
MAX_PHOTOS = 12


def _check_unit_and_town(actor: User, unit: Unit, town: Region, village: Region | None) -> None:
    require_capability(actor, MANAGE, unit)
    errors: dict[str, str] = {}
    if unit.kind not in UNIT_KINDS:
        errors["unit"] = _("普法阵地和活动由司法局、公共法律服务中心（站）或司法所登记。")
    if town.level != Region.Level.TOWN or not town.code.startswith(unit.region_id):
        errors["town"] = _("请选择本单位辖区内的乡镇（街道）。")
    if village is not None and village.parent_id != town.code:
        errors["village"] = _("村（社区）应属于所选乡镇（街道）。")
    if errors:
        raise ValidationError(errors)


@dataclass
class SiteData:
    kind: str
    name: str
    town: Region
    address: str
    form: str = ""
    village: Region | None = None


@transaction.atomic
def register_site(unit_id: int, data: SiteData, *, actor: User) -> Site:
    unit = Unit.objects.get(pk=unit_id)
    _check_unit_and_town(actor, unit, data.town, data.village)
    if data.kind != Site.Kind.CULTURE and data.form:
        data.form = ""
    if data.kind == Site.Kind.CULTURE and not data.form:
        raise ValidationError({"form": _("请选择法治文化阵地的形式（公园、广场、长廊等）。")})
    site = Site(
        kind=data.kind,
        form=data.form,
        name=data.name.strip(),
        town=data.town,
        village=data.village,
        address=data.address.strip(),
        unit=unit,
        created_by=actor,
    )
    site.full_clean(exclude=["created_by", "unit", "town", "village"], validate_unique=False)
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError:
        raise ValidationError({"name": _("本乡镇（街道）已有同名阵地。")}, code="duplicate") from None
    audit.record(
        "publicity.register_site",
        actor=actor,
        target=site,
        unit=unit,
        region=data.town,
        diff=audit.created({"kind": site.kind, "name": site.name, "address": site.address}),
    )
    return site


def _store_photo(stream: IO[bytes], name_hint: str) -> tuple[str, str, int, str]:
    checked = check_upload(stream)
    if checked.content_type not in IMAGE_TYPES:
        raise ValidationError(_("照片只能是 JPG 或 PNG 图片。"), code="file_type")
    from django.core.files.storage import default_storage

    name = default_storage.save(
        f"publicity/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{checked.extension}", File(stream)
    )
    return name, checked.content_type, checked.size, checked.sha256


@transaction.atomic
def add_photo(
    *,
    actor: User,
    stream: IO[bytes],
    site: Site | None = None,
    activity: Activity | None = None,
    caption: str = "",
) -> Photo:
    owner = site or activity
    assert owner is not None and (site is None or activity is None)
    require_capability(actor, MANAGE, owner.unit)
    if owner.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("每项最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}, code="too_many")
    name, content_type, size, sha = _store_photo(stream, "photo")
    if owner.photos.filter(sha256=sha).exists():
        raise ValidationError(_("这张照片已经上传过了。"), code="duplicate_photo")
    photo = Photo.objects.create(
        site=site,
        activity=activity,
        file=name,
        content_type=content_type,
        size=size,
        sha256=sha,
        caption=caption.strip()[:80],
        uploaded_by=actor,
    )
    photo_word = _("照片")
    audit.record(
        "publicity.add_photo",
        actor=actor,
        target=photo,
        unit=owner.unit,
        target_name=f"{owner}：{photo.caption or photo_word}",
    )
    return photo


@transaction.atomic
def add_display_item(
    site_id: int, *, actor: User, title: str, content: str, starts_on: dt.date, ends_on: dt.date
) -> DisplayItem:
    site = Site.objects.select_related("unit").get(pk=site_id)
    require_capability(actor, MANAGE, site.unit)
    if site.kind == Site.Kind.CULTURE:
        raise ValidationError(_("展示内容只用于宣传栏和 LED 显示屏。"), code="not_a_screen")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    item = DisplayItem.objects.create(
        site=site,
        title=title.strip(),
        content=content.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit.record(
        "publicity.add_display_item",
        actor=actor,
        target=item,
        unit=site.unit,
        target_name=f"{site.name}：{item.title}",
        diff=audit.created({"title": item.title, "starts_on": str(starts_on), "ends_on": str(ends_on)}),
    )
    return item


@dataclass
class ActivityData:
    title: str
    target: str
    town: Region
    place: str
    starts_at: dt.datetime
    audience: str
    organiser: str = ""
    village: Region | None = None
    cases: list[KnowledgeEntry] = field(default_factory=list)


def _check_cases(cases: list[KnowledgeEntry]) -> None:
    wrong = [c.title for c in cases if c.kind != KnowledgeEntry.Kind.CASE]
    if wrong:
        raise ValidationError({"cases": _("以案释法只能选择典型案例：%(t)s。") % {"t": "、".join(wrong)}})


@transaction.atomic
def plan_activity(unit_id: int, data: ActivityData, *, actor: User) -> Activity:
    unit = Unit.objects.get(pk=unit_id)
    _check_unit_and_town(actor, unit, data.town, data.village)
    _check_cases(data.cases)
    activity = Activity(
        title=data.title.strip(),
        target=data.target,
        unit=unit,
        organiser=data.organiser.strip(),
        town=data.town,
        village=data.village,
        place=data.place.strip(),
        starts_at=data.starts_at,
        audience=data.audience.strip(),
        created_by=actor,
    )
    activity.full_clean(exclude=["created_by", "unit", "town", "village", "cases"])
    activity.save()
    activity.cases.set(data.cases)
    audit.record(
        "publicity.plan_activity",
        actor=actor,
        target=activity,
        unit=unit,
        region=data.town,
        diff=audit.created(
            {"title": activity.title, "target": activity.target, "starts_at": str(activity.starts_at)}
        ),
    )
    return activity


@transaction.atomic
def record_activity(
    activity_id: int, *, actor: User, reached: int, summary: str, cases: list[KnowledgeEntry]
) -> Activity:
    """The activity took place: the numbers reached, what was done and the 以案释法 cases used."""
    activity = Activity.objects.select_for_update(of=("self",)).select_related("unit").get(pk=activity_id)
    require_capability(actor, MANAGE, activity.unit)
    if activity.starts_at > timezone.now():
        raise ValidationError(_("活动尚未开始，不能登记开展情况。"), code="not_yet")
    if reached < 1:
        raise ValidationError({"reached": _("请填写覆盖人数。")})
    _check_cases(cases)
    before = audit.snapshot(activity, ("status", "reached"))
    activity.reached, activity.summary, activity.status = reached, summary.strip(), Activity.Status.DONE
    activity.save(update_fields=["reached", "summary", "status"])
    activity.cases.set(cases)
    audit.record(
        "publicity.record_activity",
        actor=actor,
        target=activity,
        unit=activity.unit,
        diff=audit.changes(before, audit.snapshot(activity, ("status", "reached"))),
    )
    return activity


@transaction.atomic
def save_survey(
    village_code: str,
    *,
    actor: User,
    year: int,
    households: int,
    households_reached: int,
    sample_size: int,
    aware: int,
    surveyed_on: dt.date,
) -> VillageSurvey:
    village = Region.objects.filter(code=village_code, level=Region.Level.VILLAGE).first()
    if village is None:
        raise ValidationError({"village": _("请选择村（社区）。")})
    require_capability_in_region(actor, MANAGE, village.code)
    errors: dict[str, str] = {}
    if households_reached > households:
        errors["households_reached"] = _("入户数不能多于户数。")
    if aware > sample_size:
        errors["aware"] = _("知晓人数不能多于抽样人数。")
    if surveyed_on.year != year:
        errors["surveyed_on"] = _("调查日期应在所填年度内。")
    if errors:
        raise ValidationError(errors)
    survey = VillageSurvey.objects.filter(village=village, year=year).first()
    fields = ("households", "households_reached", "sample_size", "aware")
    before = audit.snapshot(survey, fields) if survey else {}
    survey = survey or VillageSurvey(village=village, year=year, created_by=actor)
    survey.households, survey.households_reached = households, households_reached
    survey.sample_size, survey.aware, survey.surveyed_on = sample_size, aware, surveyed_on
    survey.save()
    audit.record(
        "publicity.save_survey",
        actor=actor,
        target=survey,
        region=village,
        target_name=f"{village.name} {year}",
        diff=audit.changes(before, audit.snapshot(survey, fields)),
    )
    return survey


def office_of(town: Region) -> Unit | None:
    """Where a town's talk bookings go: its 司法所 (the town's 工作站 when it has none)."""
    units = Unit.objects.filter(
        region=town, is_active=True, kind__in=[Unit.Kind.JUDICIAL_OFFICE, Unit.Kind.STATION]
    )
    return sorted(units, key=lambda u: (u.kind != Unit.Kind.JUDICIAL_OFFICE, u.pk))[0] if units else None


@dataclass
class BookingData:
    org_kind: str
    org_name: str
    contact_name: str
    phone: str
    preferred_date: dt.date
    topic: str
    audience_size: int


@transaction.atomic
def book_talk(town_code: str, data: BookingData, *, user: User) -> TalkBooking:
    town = Region.objects.filter(code=town_code, level=Region.Level.TOWN).first()
    unit = office_of(town) if town else None
    if town is None or unit is None:
        raise ValidationError(_("该乡镇（街道）暂不受理讲座预约。"), code="no_office")
    errors: dict[str, str] = {}
    phone = normalize_mobile(data.phone)
    try:
        validate_mobile(phone)
    except ValidationError as e:
        errors["phone"] = e.messages[0]
    if data.preferred_date <= timezone.localdate():
        errors["preferred_date"] = _("请选择明天以后的日期。")
    elif data.preferred_date > timezone.localdate() + dt.timedelta(days=180):
        errors["preferred_date"] = _("只能预约半年内的日期。")
    if TalkBooking.objects.filter(user=user, status=TalkBooking.Status.SUBMITTED).count() >= 3:
        errors["__all__"] = _("您已有 3 个待安排的预约，请等待司法所安排后再预约。")
    if errors:
        raise ValidationError(errors)
    booking = TalkBooking.objects.create(
        user=user,
        town=town,
        unit=unit,
        org_kind=data.org_kind,
        org_name=data.org_name.strip(),
        contact_name=data.contact_name.strip(),
        phone_encrypted=crypto.encrypt(phone),
        preferred_date=data.preferred_date,
        topic=data.topic.strip(),
        audience_size=data.audience_size,
    )
    audit.record(
        "publicity.book_talk",
        actor=user,
        target=booking,
        unit=unit,
        region=town,
        target_name=f"{booking.number} {booking.org_name}",
        diff=audit.created({"org_name": booking.org_name, "preferred_date": str(booking.preferred_date)}),
    )
    return booking


TARGET_OF = {
    TalkBooking.OrgKind.VILLAGE: Activity.Target.VILLAGES,
    TalkBooking.OrgKind.SCHOOL: Activity.Target.SCHOOLS,
    TalkBooking.OrgKind.COMPANY: Activity.Target.ENTERPRISES,
    TalkBooking.OrgKind.OTHER: Activity.Target.UNITS,
}


@transaction.atomic
def decide_booking(
    booking_id: int, *, actor: User, accept: bool, reply: str, starts_at: dt.datetime | None = None
) -> TalkBooking:
    """Accepting plans the talk as an activity ("法律六进" by the kind of organisation) on the day agreed."""
    booking = (
        TalkBooking.objects.select_for_update(of=("self",)).select_related("unit", "town").get(pk=booking_id)
    )
    require_capability(actor, MANAGE, booking.unit)
    if booking.status != TalkBooking.Status.SUBMITTED:
        raise ValidationError(_("该预约已经处理过了。"), code="done")
    if not reply.strip():
        raise ValidationError({"reply": _("请填写给预约人的答复。")})
    before = audit.snapshot(booking, ("status",))
    if accept:
        if starts_at is None or starts_at <= timezone.now():
            raise ValidationError({"starts_at": _("请填写讲座的时间（今后的时间）。")})
        booking.activity = plan_activity(
            booking.unit_id,
            ActivityData(
                title=_("普法讲座：%(org)s") % {"org": booking.org_name},
                target=TARGET_OF[TalkBooking.OrgKind(booking.org_kind)],
                town=booking.town,
                place=booking.org_name,
                starts_at=starts_at,
                audience=booking.get_org_kind_display(),
            ),
            actor=actor,
        )
    booking.status = TalkBooking.Status.ACCEPTED if accept else TalkBooking.Status.DECLINED
    booking.reply = reply.strip()[:200]
    booking.save(update_fields=["status", "reply", "activity"])
    audit.record(
        "publicity.decide_booking",
        actor=actor,
        target=booking,
        unit=booking.unit,
        target_name=f"{booking.number} {booking.org_name}",
        diff=audit.changes(before, audit.snapshot(booking, ("status",))),
    )
    return booking
