"""The only writers of online applications: start (or resume) a draft, save a step, upload or remove a
material, discard a draft, and submit it as one Matter through ``matters.actions.do_submit``.

Views (/me/applications/) and the API (/api/v1/me/applications/) call these; pages and apps fetch the
application through ``access.get_own_application`` first (the same 404 for "missing" and "not yours"), and every
action checks again that the draft is the actor's own. Each action is one transaction holding the draft's row
lock, so a double click or a resend from a second device is answered from the saved state: a submitted draft
returns its matter (``created=False``) instead of making a second one.

Errors: ``ValidationError`` with Chinese messages (``StepInvalid`` for a step's forms, keyed by field; a list of
what is missing for an incomplete submission), ``PermissionDenied`` for a staff account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.catalog.models import Channel, ServiceItem
from fawang.citizens.actions import has_real_name, own_person
from fawang.matters.actions import (
    ONLINE_CHANNELS,
    MatterRequest,
    PersonData,
    account_person,
    add_attachment,
    do_submit,
    resolve_person,
)
from fawang.matters.models import Matter, Person
from fawang.matters.uploads import check_upload

from .definitions import Definition, PartiesStep, StepInvalid, definition_for
from .models import Application, ApplicationFile

if TYPE_CHECKING:
    from fawang.accounts.models import User

MAX_FILES_PER_SLOT = 5
MAX_FILES = 20


@dataclass(frozen=True)
class Started:
    application: Application
    created: bool  # False: the citizen's existing draft of that item, resumed


@dataclass(frozen=True)
class Submitted:
    application: Application
    matter: Matter
    created: bool  # False: the draft was already submitted (a double click, a resend)


def _public(actor: User) -> None:
    from fawang.accounts.models import User

    if not (actor.is_authenticated and actor.kind == User.Kind.PUBLIC):
        raise PermissionDenied(_("工作人员账号不能使用公众服务。"))


def _lock(application_id: int, actor: User) -> Application:
    """The actor's own application, locked for this transaction."""
    _public(actor)
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("service_item", "user")
            .get(pk=application_id, user=actor)
        )
    except Application.DoesNotExist:
        raise ValidationError(_("该申请不存在。"), code="no_application") from None


def _draft(app: Application) -> Definition:
    if not app.is_draft:
        raise ValidationError(
            _("该申请已经提交，不能再修改；请在“我的事项”中查看办理进度。"), code="already_submitted"
        )
    definition = definition_for(app.service_item)
    if definition is None:
        raise ValidationError(_("该事项不能在网上申请。"), code="not_online")
    return definition


def _delete_files(names: list[str]) -> None:
    """Remove stored draft files once the transaction that dropped their rows has committed."""

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def start_application(*, actor: User, item: ServiceItem, now: dt.datetime | None = None) -> Started:
    """A new draft of ``item`` for ``actor``, or their draft of it already begun (one per item: 草稿)."""
    _public(actor)
    if not has_real_name(actor):
        raise ValidationError(_("请先填写实名信息。"), code="no_real_name")
    definition = definition_for(item)
    if definition is None or not item.is_active or not any(item.offers(ch) for ch in ONLINE_CHANNELS):
        raise ValidationError(_("“%(item)s”不能在网上申请。") % {"item": item.name}, code="not_online")
    existing = Application.objects.drafts().filter(user=actor, service_item=item).first()
    if existing is not None:
        return Started(existing, False)
    try:
        with transaction.atomic():
            app = Application.objects.create(
                user=actor, service_item=item, applicant_phone=actor.phone, created_at=now or timezone.now()
            )
    except IntegrityError:
        # The same start from another tab or device a moment ago (the one-draft constraint): resume that one.
        return Started(Application.objects.drafts().get(user=actor, service_item=item), False)
    return Started(app, True)


@transaction.atomic
def do_save_step(application_id: int, *, actor: User, step: str, data: Mapping[str, Any]) -> Application:
    """Check one step's data with its forms and save it; other steps' saved data is left as it is. Raises
    ``StepInvalid`` (nothing of the step saved) when a field is wrong."""
    app = _lock(application_id, actor)
    definition = _draft(app)
    spec = definition.step(step)
    if spec is None or not spec.saves:
        raise ValidationError(_("没有这一步。"), code="no_step")
    bound = spec.bind(app, data)
    if not bound.is_valid():
        raise StepInvalid(bound)
    spec.save(app, bound)
    done = set(app.steps_done or []) | {spec.code}
    app.steps_done = [code for code in definition.codes if code in done]
    app.save()
    return app


@transaction.atomic
def do_upload_material(
    application_id: int, *, actor: User, slot: str, upload: UploadedFile
) -> ApplicationFile:
    """Store a file in one of the draft's material slots after checking its type (by content) and size."""
    app = _lock(application_id, actor)
    definition = _draft(app)
    slots = {s.key: s for s in definition.materials_step.slots(app)}
    target = slots.get(slot)
    if target is None:
        raise ValidationError(_("请选择要上传到哪一项材料。"), code="bad_slot")
    if len(target.files) >= MAX_FILES_PER_SLOT:
        raise ValidationError(
            _("每项材料最多上传 %(n)d 个文件，请先删除不需要的文件。") % {"n": MAX_FILES_PER_SLOT},
            code="too_many_files",
        )
    if sum(len(s.files) for s in slots.values()) >= MAX_FILES:
        raise ValidationError(_("一份申请最多上传 %(n)d 个文件。") % {"n": MAX_FILES}, code="too_many_files")
    if upload.file is None:
        raise ValidationError(_("文件为空，请重新选择。"), code="empty_file")
    checked = check_upload(upload.file, upload.size)
    row = ApplicationFile(
        application=app,
        slot=target.slot,
        material=target.material,
        original_name=(upload.name or "")[-200:] or _("未命名文件"),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    row.extension = checked.extension
    row.file.save(upload.name or "upload", upload, save=False)
    row.save()
    app.save(update_fields=["updated_at"])
    return row


@transaction.atomic
def do_remove_material(application_id: int, file_id: int, *, actor: User) -> None:
    app = _lock(application_id, actor)
    _draft(app)
    row = app.files.filter(pk=file_id).first()
    if row is None:
        raise ValidationError(_("该文件不存在或已删除。"), code="no_file")
    name = row.file.name or ""
    row.delete()
    app.save(update_fields=["updated_at"])
    _delete_files([name])


@transaction.atomic
def do_discard(application_id: int, *, actor: User) -> None:
    """放弃草稿: the draft and its files go; a submitted application stays (it is a matter's record)."""
    app = _lock(application_id, actor)
    if not app.is_draft:
        raise ValidationError(_("已提交的申请不能删除。"), code="already_submitted")
    names = [row.file.name or "" for row in app.files.all()]
    app.delete()
    _delete_files(names)


def incomplete(app: Application) -> list[str]:
    """What still keeps the draft from being submitted, in step order (empty when it can be submitted)."""
    definition = definition_for(app.service_item)
    if definition is None:
        return [_("该事项不能在网上申请。")]
    missing: list[str] = []
    if not has_real_name(app.user):
        missing.append(_("请先填写实名信息。"))
    for step in definition.steps:
        missing.extend(step.missing(app))
    if (
        app.service_item.requires_id_number
        and "applicant" in (app.steps_done or [])
        and not app.applicant_id_number
    ):
        missing.append(_("办理“%(item)s”须登记申请人的身份证号码。") % {"item": app.service_item.name})
    return missing


def applicant_person(app: Application) -> Person:
    """The matter's person (服务对象).

    An item needing the ID number gets the person record with that ID number only when the account has proved
    it is theirs (linked: by a code to the record's mobile number, ``citizens.actions.verify_claim_code``, or by
    staff after an identity check, ``matters.actions.do_link_account``) — stating someone's ID number in the
    real-name details must not file under their record nor send them its messages. Without proof the account's
    own record is used (``matters.actions.account_person``: a record of the same ID number, name and signed-in
    mobile is the same person for certain; otherwise a record of its own, noted in the audit trail as a
    possible duplicate for staff to merge). With no record of that ID number, a new one with the applicant's
    details. Other items get the account's own person (``citizens.actions.own_person``), as a consultation
    does. Either way the matter is the citizen's own online through ``submitted_by``.
    """
    if not app.service_item.requires_id_number:
        return own_person(app.user)
    found = Person.objects.by_id_number(app.applicant_id_number).first()
    if found is not None:
        if found.user_id == app.user_id:
            return found
        return account_person(app.user, id_number=app.applicant_id_number)
    return resolve_person(
        PersonData(
            name=app.applicant_name,
            phone=app.applicant_phone,
            id_number=app.applicant_id_number,
            special_groups=list(app.special_groups or []),
            address=app.applicant_address,
        )
    )


def id_number_pending(app: Application, person: Person) -> bool:
    """The application states an ID number that the matter's person record does not hold (another record
    does, and the account has not proved it theirs: ``applicant_person``)."""
    return bool(app.applicant_id_number) and person.id_number_hash != Person.hash_id_number(
        app.applicant_id_number
    )


def matter_description(app: Application, definition: Definition) -> str:
    """事项描述 of the matter: the item's facts in a line, the parties, then the applicant's own words."""
    lines = [definition.matter_step.line(app)]
    for step in definition.steps:
        if isinstance(step, PartiesStep):
            names = "、".join(p.name for p in app.parties.all() if p.role == step.role)
            if names:
                lines.append(f"{step.title}：{names}")
    head = "\n".join(line for line in lines if line)
    return f"{head}\n\n{app.description}" if head else app.description


@transaction.atomic
def do_submit_application(
    application_id: int,
    *,
    actor: User,
    channel: str = Channel.WEB,
    pledge: bool = False,
    now: dt.datetime | None = None,
) -> Submitted:
    """Submit the draft: one Matter (``do_submit``, on ``channel``, routed by the application's region), the
    uploaded files as its attachments, and the draft marked submitted and linked to it. Resubmitting returns
    that matter and changes nothing."""
    app = _lock(application_id, actor)
    if not app.is_draft:
        assert app.matter is not None
        return Submitted(app, app.matter, False)
    definition = _draft(app)
    if channel not in ONLINE_CHANNELS:
        raise ValidationError(_("只能通过网站、APP 或微信提交。"), code="bad_channel")
    if not pledge:
        raise ValidationError({"pledge": [_("请勾选承诺后再提交。")]})
    missing = incomplete(app)
    if missing:
        raise ValidationError(missing, code="incomplete")
    now = now or timezone.now()
    assert app.region is not None
    person = applicant_person(app)
    result = do_submit(
        actor=actor,
        person=person,
        requests=[
            MatterRequest(
                service_item=app.service_item,
                description=matter_description(app, definition),
                region=app.region,
                id_number_pending=id_number_pending(app, person),
            )
        ],
        channel=channel,
        # The matters' own unique key: even a submission racing past the row lock cannot make a second matter.
        idempotency_key=f"apply:{app.pk}",
        now=now,
    )
    matter = result.matters[0]
    stored: list[str] = []
    if result.created:
        for row in app.files.order_by("created_at", "pk"):
            with row.file.open("rb") as handle:
                upload = UploadedFile(
                    handle, name=row.original_name, content_type=row.content_type, size=row.size
                )
                row.attachment = add_attachment(
                    matter.pk, actor=actor, upload=upload, material_id=row.material_id
                )
            stored.append(row.file.name or "")
            # The file now lives with the matter; the draft keeps the name and the link.
            row.file = ""
            row.save(update_fields=["attachment", "file"])
    app.status = Application.Status.SUBMITTED
    app.matter = matter
    app.channel = channel
    app.submitted_at = now
    app.save()
    _delete_files(stored)
    return Submitted(app, matter, result.created)
